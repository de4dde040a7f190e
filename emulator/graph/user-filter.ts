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
    `Unsupported or invalid query filter clause specified: '${clause}'. The local tenant supports 'prop eq value', 'startswith(prop,'text')' and 'and' (and, as advanced queries, 'ne', 'not(...)', 'endswith').`,
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

/** 400 for an operator Graph allows on users only as an advanced query (ConsistencyLevel: eventual and $count=true). */
function needsAdvanced(operator: string): GraphError {
  return new GraphError(
    400,
    'Request_UnsupportedQuery',
    `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

function compileClause(clause: string, advanced: boolean): UserPredicate {
  const not = /^not\s*\((.+)\)$/i.exec(clause);
  if (not !== null) {
    if (!advanced) throw needsAdvanced('not');
    const inner = compileClause((not[1] as string).trim(), advanced);
    return (u) => !inner(u);
  }
  const eq = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(clause);
  if (eq !== null) {
    const prop = property(eq[1] as string, clause);
    const value = literal((eq[3] as string).trim(), clause);
    const negate = (eq[2] as string).toLowerCase() === 'ne';
    if (negate && !advanced) throw needsAdvanced('ne');
    return (u) => same(userProperty(u, prop), value) !== negate;
  }
  const ew = /^endswith\(\s*(\w+)\s*,\s*('.*')\s*\)$/i.exec(clause);
  if (ew !== null) {
    if (!advanced) throw needsAdvanced('endsWith');
    const prop = property(ew[1] as string, clause);
    const value = literal(ew[2] as string, clause) as string;
    return (u) => {
      const actual = userProperty(u, prop);
      return typeof actual === 'string' && actual.toLowerCase().endsWith(value.toLowerCase());
    };
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

/**
 * Compiles the supported `$filter` subset (`eq`, `startswith`, joined by `and`; `ne`, `not(...)` and `endswith`
 * when `advanced`, i.e. with ConsistencyLevel: eventual and $count=true); 400 otherwise.
 */
export function compileUserFilter(filter: string | undefined, advanced = false): UserPredicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  const predicates = splitOnAnd(filter).map((clause) => compileClause(clause, advanced));
  return (u) => predicates.every((p) => p(u));
}
