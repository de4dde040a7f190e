import { GraphError } from '../http/graph-error';
import type { SeedUser } from '../seed/org-seed';
import { userProperty } from './user-json';

/** A compiled `$filter`: true when a user matches. */
export type UserPredicate = (u: SeedUser) => boolean;

const FILTERABLE = [
  'id',
  'userType',
  'accountEnabled',
  'mail',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'preferredLanguage',
  'onPremisesSyncEnabled',
];

function unsupported(clause: string): GraphError {
  return new GraphError(
    400,
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified: '${clause}'. The local tenant supports 'prop eq value', 'startswith(prop,'text')' and 'and'.`,
  );
}

function literal(raw: string, clause: string): string | boolean | null {
  if (/^'.*'$/s.test(raw)) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  throw unsupported(clause);
}

function property(name: string, clause: string): string {
  const match = FILTERABLE.find((p) => p.toLowerCase() === name.toLowerCase());
  if (match === undefined) throw unsupported(clause);
  return match;
}

function same(actual: unknown, expected: string | boolean | null): boolean {
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

function compileClause(clause: string): UserPredicate {
  const eq = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(clause);
  if (eq !== null) {
    const prop = property(eq[1] as string, clause);
    const value = literal((eq[3] as string).trim(), clause);
    const negate = (eq[2] as string).toLowerCase() === 'ne';
    return (u) => same(userProperty(u, prop), value) !== negate;
  }
  const sw = /^startswith\(\s*(\w+)\s*,\s*('.*')\s*\)$/i.exec(clause);
  if (sw !== null) {
    const prop = property(sw[1] as string, clause);
    const value = literal(sw[2] as string, clause) as string;
    return (u) => {
      const actual = userProperty(u, prop);
      return typeof actual === 'string' && actual.toLowerCase().startsWith(value.toLowerCase());
    };
  }
  throw unsupported(clause);
}

/** Splits on ` and ` outside quoted literals (`'Smith and Sons'` stays whole). */
function splitOnAnd(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i += 1) {
    const ch = filter[i] as string;
    if (ch === "'") quoted = !quoted;
    const and = quoted ? null : /^\s+and\s+/i.exec(filter.slice(i));
    if (and !== null) {
      parts.push(current.trim());
      current = '';
      i += and[0].length - 1;
    } else {
      current += ch;
    }
  }
  parts.push(current.trim());
  return parts;
}

/** Compiles the supported `$filter` subset (`eq`/`ne`, `startswith`, joined by `and`); 400 otherwise. */
export function compileUserFilter(filter: string | undefined): UserPredicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  const predicates = splitOnAnd(filter).map(compileClause);
  return (u) => predicates.every((p) => p(u));
}
