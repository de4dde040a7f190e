/**
 * Which person a file is for, from its name (docs/import.md, "Matching"). Pure: the people come in as a list.
 *
 * A file name (without its folder and extension) is compared with each person's UPN (or the part before the @),
 * mail (or its part before the @), employeeId, and name
 * in the forms photographers and HR systems use: "First Last", "Last, First", "first.last", "first_last". Case and
 * accents are folded ("Łukasz Żółć" is "lukasz zolc"). A name more than one person has is never guessed: the row
 * is ambiguous and names the candidates. A mapping.csv (file, UPN or mail) beside the photos decides for the files
 * it names.
 */
import type { ImportPerson, MatchedBy, MatchMode } from './import-types';

/** A person as matching needs them. */
export interface MatchablePerson extends ImportPerson {
  mail?: string;
  employeeId?: string;
  givenName?: string;
  surname?: string;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
}

/** The answer for one file. */
export type MatchResult =
  | { kind: 'matched'; person: MatchablePerson; by: MatchedBy }
  | { kind: 'ambiguous'; by: MatchedBy; candidates: MatchablePerson[] }
  | { kind: 'no_match' };

/** Letters NFKD does not take apart (they are letters of their own, not a letter and a mark). */
const SPECIAL: Record<string, string> = {
  ł: 'l',
  đ: 'd',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents: what two spellings of one name have in common. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[łđøæœßþı]/g, (c) => SPECIAL[c] ?? c)
    .trim();
}

/** The words of a name: folded, split at spaces, dots, underscores; parenthesised parts ("(IT)") dropped. */
function nameWords(text: string): string[] {
  return fold(text.replace(/\([^)]*\)/g, ' '))
    .split(/[\s._]+/)
    .filter((w) => w.length > 0);
}

/** The name a file name spells, as one folded string: "Last, First" turned round. */
function fileNameKey(stem: string): string {
  const comma = stem.indexOf(',');
  const ordered = comma >= 0 ? `${stem.slice(comma + 1)} ${stem.slice(0, comma)}` : stem;
  return nameWords(ordered).join(' ');
}

/** The file name without folders and extension. */
export function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).normalize('NFC').trim();
}

function push<K>(map: Map<K, MatchablePerson[]>, key: K | undefined, person: MatchablePerson): void {
  if (key === undefined || key === '') return;
  const list = map.get(key);
  if (!list) map.set(key, [person]);
  else if (!list.some((p) => p.id === person.id)) list.push(person);
}

/** The people of the tenant, indexed once for every file of an import. */
export class PeopleIndex {
  private readonly byUpn = new Map<string, MatchablePerson[]>();
  private readonly byAlias = new Map<string, MatchablePerson[]>();
  private readonly byMail = new Map<string, MatchablePerson[]>();
  private readonly byMailAlias = new Map<string, MatchablePerson[]>();
  private readonly byEmployeeId = new Map<string, MatchablePerson[]>();
  private readonly byName = new Map<string, MatchablePerson[]>();

  constructor(people: Iterable<MatchablePerson>) {
    for (const p of people) this.add(p);
  }

  private add(p: MatchablePerson): void {
    const upn = fold(p.userPrincipalName);
    push(this.byUpn, upn, p);
    push(this.byAlias, upn.split('@')[0], p);
    if (p.mail) {
      push(this.byMail, fold(p.mail), p);
      push(this.byMailAlias, fold(p.mail).split('@')[0], p);
    }
    if (p.employeeId) push(this.byEmployeeId, fold(p.employeeId), p);
    const names = new Set<string>();
    if (p.givenName && p.surname) {
      names.add([...nameWords(p.givenName), ...nameWords(p.surname)].join(' '));
    }
    if (p.displayName) names.add(fileNameKey(p.displayName));
    for (const n of names) push(this.byName, n, p);
  }

  /** The person a UPN or mail names (the mapping file's second column), or null. */
  byAddress(address: string): MatchResult {
    const key = fold(address);
    return answer(this.byUpn.get(key) ?? this.byMail.get(key), 'mapping');
  }

  /** The person the file at `path` is for, by `mode`. */
  match(path: string, mode: MatchMode): MatchResult {
    const stem = fileStem(path);
    const key = fold(stem);
    const tries: Array<[MatchedBy, () => MatchablePerson[] | undefined]> = [
      ['upn', () => this.byUpn.get(key) ?? (key.includes('@') ? undefined : this.byAlias.get(key))],
      ['mail', () => this.byMail.get(key) ?? (key.includes('@') ? undefined : this.byMailAlias.get(key))],
      ['employeeId', () => this.byEmployeeId.get(key)],
      ['name', () => this.byName.get(fileNameKey(stem))],
    ];
    for (const [by, find] of tries) {
      if (mode !== 'auto' && mode !== by) continue;
      const found = find();
      if (found && found.length > 0) return answer(found, by);
    }
    return { kind: 'no_match' };
  }
}

function answer(found: MatchablePerson[] | undefined, by: MatchedBy): MatchResult {
  if (!found || found.length === 0) return { kind: 'no_match' };
  if (found.length > 1) return { kind: 'ambiguous', by, candidates: found };
  return { kind: 'matched', person: found[0] as MatchablePerson, by };
}
