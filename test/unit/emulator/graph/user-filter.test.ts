import { fc, test as fcTest } from '@fast-check/jest';
import { compileUserFilter } from '../../../../emulator/graph/user-filter';
import { GraphError } from '../../../../emulator/http/graph-error';
import { demoSeed } from '../../../../emulator/seed/demo-seed';
import type { SeedUser } from '../../../../emulator/seed/org-seed';

const users = demoSeed().users;
const ids = (filter: string, advanced = false): string[] =>
  users.filter(compileUserFilter(filter, advanced)).map((u) => u.displayName);

describe('compileUserFilter', () => {
  test('eq on strings is case-insensitive, booleans exact, and/startswith combine', () => {
    expect(ids("userType eq 'guest'")).toEqual(['Jordan Miller (Contoso)']);
    expect(ids('accountEnabled eq false')).toEqual(['Henrietta Mueller']);
    expect(ids("startswith(displayName,'ad') and userType eq 'Member'")).toEqual(['Adele Vance']);
    expect(ids('onPremisesSyncEnabled eq true')).toEqual(['Isaiah Langer', 'Grady Archie']);
    expect(ids('onPremisesSyncEnabled eq null')).toHaveLength(7);
  });

  test('ne, not() and endswith are advanced queries: 400 Request_UnsupportedQuery unless asked as one', () => {
    for (const f of ["userType ne 'Guest'", "not(userType eq 'Guest')", "endswith(mail,'@example.com')"]) {
      expect(() => compileUserFilter(f)).toThrow(
        expect.objectContaining({ status: 400, code: 'Request_UnsupportedQuery' }),
      );
    }
    expect(ids("startswith(displayName,'ad') and userType ne 'Guest'", true)).toEqual(['Adele Vance']);
    expect(ids("not(userType eq 'Member')", true)).toEqual(['Jordan Miller (Contoso)']);
    expect(ids("endswith(userPrincipalName,'#EXT#@example.com')", true)).toEqual(['Jordan Miller (Contoso)']);
  });

  test("'and' inside a quoted literal is not a separator; doubled quotes escape", () => {
    const odd: SeedUser = { ...(users[0] as SeedUser), displayName: "Smith and O'Brien" };
    expect([odd].filter(compileUserFilter("displayName eq 'Smith and O''Brien'"))).toHaveLength(1);
  });

  test('unsupported clauses are 400 Request_UnsupportedQuery', () => {
    for (const f of ['shoeSize eq 4', "displayName gt 'a'", 'userType eq Guest', "endswith(mail,'x')"]) {
      // endswith is refused here as an advanced query asked without ConsistencyLevel and $count.
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
