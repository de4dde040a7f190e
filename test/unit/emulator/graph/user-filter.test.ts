import { fc, test as fcTest } from '@fast-check/jest';
import { compileUserFilter } from '../../../../emulator/graph/user-filter';
import { GraphError } from '../../../../emulator/http/graph-error';
import { demoSeed } from '../../../../emulator/seed/demo-seed';
import type { SeedUser } from '../../../../emulator/seed/org-seed';

const users = demoSeed().users;
const ids = (filter: string): string[] => users.filter(compileUserFilter(filter)).map((u) => u.displayName);

describe('compileUserFilter', () => {
  test('eq on strings is case-insensitive, booleans exact, and/startswith combine', () => {
    expect(ids("userType eq 'guest'")).toEqual(['Jordan Miller (Contoso)']);
    expect(ids('accountEnabled eq false')).toEqual(['Henrietta Mueller']);
    expect(ids("startswith(displayName,'ad') and userType ne 'Guest'")).toEqual(['Adele Vance']);
    expect(ids('onPremisesSyncEnabled eq true')).toEqual(['Isaiah Langer']);
    expect(ids('onPremisesSyncEnabled eq null')).toHaveLength(8);
  });

  test("'and' inside a quoted literal is not a separator; doubled quotes escape", () => {
    const odd: SeedUser = { ...(users[0] as SeedUser), displayName: "Smith and O'Brien" };
    expect([odd].filter(compileUserFilter("displayName eq 'Smith and O''Brien'"))).toHaveLength(1);
  });

  test('unsupported clauses are 400 Request_UnsupportedQuery', () => {
    for (const f of ['shoeSize eq 4', "displayName gt 'a'", 'userType eq Guest', "endswith(mail,'x')"]) {
      expect(() => compileUserFilter(f)).toThrow(GraphError);
      try {
        compileUserFilter(f);
      } catch (e) {
        expect((e as GraphError).code).toBe('Request_UnsupportedQuery');
      }
    }
  });

  fcTest.prop([fc.constantFrom(...users), fc.constantFrom('displayName', 'mail', 'userPrincipalName', 'givenName')])(
    'every user matches an eq filter on its own property value (any casing)',
    (user, prop) => {
      const value = (user as unknown as Record<string, string | null>)[prop === 'userPrincipalName' ? 'upn' : prop];
      fc.pre(value !== null && value !== undefined);
      const literal = `'${String(value).toUpperCase().replace(/'/g, "''")}'`;
      expect(users.filter(compileUserFilter(`${prop} eq ${literal}`))).toContain(user);
    },
  );
});
