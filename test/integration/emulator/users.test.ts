import { DEMO_USERS } from '../../../emulator';
import { call, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
});
afterAll(() => t.close());

describe('GET /v1.0/users', () => {
  test('lists every demo user with Graph default properties and context', async () => {
    const a = await t.graph(app, 'GET', '/v1.0/users');
    expect(a.status).toBe(200);
    expect(a.json['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users');
    expect(a.json.value).toHaveLength(9);
    expect(a.json['@odata.nextLink']).toBeUndefined();
    const alex = (a.json.value as Array<Record<string, unknown>>).find((u) => u.id === DEMO_USERS.alex);
    expect(alex).toEqual({
      businessPhones: [],
      displayName: 'Alex Wilber',
      givenName: 'Alex',
      jobTitle: 'Marketing Assistant',
      mail: 'alexw@example.com',
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      surname: 'Wilber',
      userPrincipalName: 'alexw@example.com',
      id: DEMO_USERS.alex,
    });
  });

  test('$select returns only the chosen properties; onPremisesSyncEnabled is null unless synced', async () => {
    const a = await t.graph(app, 'GET', '/v1.0/users?$select=id,userType,accountEnabled,onPremisesSyncEnabled');
    expect(a.json['@odata.context']).toBe(
      'https://graph.microsoft.com/v1.0/$metadata#users(id,userType,accountEnabled,onPremisesSyncEnabled)',
    );
    const byId = new Map((a.json.value as Array<Record<string, unknown>>).map((u) => [u.id, u]));
    expect(byId.get(DEMO_USERS.isaiah)).toEqual({
      id: DEMO_USERS.isaiah,
      userType: 'Member',
      accountEnabled: true,
      onPremisesSyncEnabled: true,
    });
    expect(byId.get(DEMO_USERS.alex)?.onPremisesSyncEnabled).toBeNull();
    expect(byId.get(DEMO_USERS.henrietta)?.accountEnabled).toBe(false);
    expect(byId.get(DEMO_USERS.jordan)?.userType).toBe('Guest');
  });

  test('unknown $select property is 400', async () => {
    const a = await t.graph(app, 'GET', '/v1.0/users?$select=id,shoeSize');
    expect(a.status).toBe(400);
    expect(a.json.error.message).toContain("'shoeSize'");
  });

  test('$top pages with an absolute @odata.nextLink that keeps $select', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${t.url}/v1.0/users?$top=4&$select=id,displayName`;
    let pages = 0;
    while (next !== undefined) {
      const a = await call(next, { headers: { Authorization: `Bearer ${app}` } });
      expect(a.status).toBe(200);
      for (const u of a.json.value as Array<Record<string, unknown>>) {
        expect(Object.keys(u).sort()).toEqual(['displayName', 'id']);
        seen.push(u.id as string);
      }
      next = a.json['@odata.nextLink'] as string | undefined;
      if (next !== undefined) expect(next.startsWith(`${t.url}/v1.0/users?`)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(9);
  });

  test('$top outside 1..999 and unsupported options are 400', async () => {
    expect((await t.graph(app, 'GET', '/v1.0/users?$top=1000')).status).toBe(400);
    expect((await t.graph(app, 'GET', '/v1.0/users?$top=0')).status).toBe(400);
    const expand = await t.graph(app, 'GET', '/v1.0/users?$expand=manager');
    expect(expand.status).toBe(400);
    expect(expand.json.error.code).toBe('Request_UnsupportedQuery');
  });

  test.each([
    ["userType eq 'Guest'", [DEMO_USERS.jordan]],
    ['accountEnabled eq false', [DEMO_USERS.henrietta]],
    [
      "userType eq 'Member' and accountEnabled eq true and startswith(displayName,'a')",
      [DEMO_USERS.alex, DEMO_USERS.adele],
    ],
    ["preferredLanguage eq 'fi-FI'", [DEMO_USERS.megan, DEMO_USERS.lynne]],
  ])('$filter %s', async (filter, expected) => {
    const a = await t.graph(app, 'GET', `/v1.0/users?$select=id&$filter=${encodeURIComponent(filter)}`);
    expect(a.status).toBe(200);
    expect((a.json.value as Array<{ id: string }>).map((u) => u.id)).toEqual(expected);
  });

  test('unsupported $filter is 400 Request_UnsupportedQuery', async () => {
    const a = await t.graph(app, 'GET', `/v1.0/users?$filter=${encodeURIComponent('shoeSize gt 40')}`);
    expect(a.status).toBe(400);
    expect(a.json.error.code).toBe('Request_UnsupportedQuery');
  });

  test('$count=true without ConsistencyLevel: eventual is answered without a count; with it, counted', async () => {
    const plain = await t.graph(app, 'GET', '/v1.0/users?$count=true');
    expect(plain.status).toBe(200);
    expect(plain.json['@odata.count']).toBeUndefined();
    const a = await call(`${t.url}/v1.0/users?$count=true&$top=2`, {
      headers: { Authorization: `Bearer ${app}`, ConsistencyLevel: 'eventual' },
    });
    expect(a.json['@odata.count']).toBe(9);
    expect(a.json.value).toHaveLength(2);
  });

  test('ne needs the advanced query parameters; /users/$count needs the header; $orderby=displayName sorts', async () => {
    const ne = `/v1.0/users?$filter=${encodeURIComponent("userType ne 'Guest'")}`;
    const refused = await t.graph(app, 'GET', ne);
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('Request_UnsupportedQuery');
    const advanced = await call(`${t.url}${ne}&$count=true`, {
      headers: { Authorization: `Bearer ${app}`, ConsistencyLevel: 'eventual' },
    });
    expect(advanced.json['@odata.count']).toBe(8);

    expect((await t.graph(app, 'GET', '/v1.0/users/$count')).status).toBe(400);
    const count = await call(`${t.url}/v1.0/users/$count`, {
      headers: { Authorization: `Bearer ${app}`, ConsistencyLevel: 'eventual' },
    });
    expect(count.status).toBe(200);
    expect(count.bytes.toString()).toBe('9');

    const sorted = await t.graph(app, 'GET', '/v1.0/users?$orderby=displayName&$select=displayName');
    const names = (sorted.json.value as Array<{ displayName: string }>).map((u) => u.displayName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect((await t.graph(app, 'GET', '/v1.0/users?$orderby=jobTitle')).status).toBe(400);
  });

  test('$select knows every property of microsoft.graph.user, not a short list', async () => {
    const a = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}?$select=id,employeeId,mySite,skills,birthday`);
    expect(a.status).toBe(200);
    // employeeId from the seed (bulk import matches on it); others the seed does not set are null or empty.
    expect(a.json).toMatchObject({ id: DEMO_USERS.megan, employeeId: 'E1002', mySite: null, skills: [] });
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}?$select=shoeSize`)).status).toBe(400);
  });
});

describe('single users, managers and reports', () => {
  test('by id and by (guest) UPN, case-insensitive', async () => {
    const byId = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}`);
    expect(byId.json['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users/$entity');
    expect(byId.json.userPrincipalName).toBe('meganb@example.com');
    const guest = await t.graph(
      app,
      'GET',
      `/v1.0/users/${encodeURIComponent('Jordan_contoso.com#EXT#@example.com')}?$select=id,userType`,
    );
    expect(guest.status).toBe(200);
    expect(guest.json).toMatchObject({ id: DEMO_USERS.jordan, userType: 'Guest' });
  });

  test('unknown user is 404 Request_ResourceNotFound', async () => {
    const a = await t.graph(app, 'GET', '/v1.0/users/nobody@example.com');
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe('Request_ResourceNotFound');
  });

  test('manager chain and 404 at the top', async () => {
    const alexManager = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.alex}/manager`);
    expect(alexManager.status).toBe(200);
    expect(alexManager.json).toMatchObject({
      '@odata.type': '#microsoft.graph.user',
      id: DEMO_USERS.megan,
      displayName: 'Megan Bowen',
    });
    const meganManager = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/manager?$select=id`);
    expect(meganManager.json.id).toBe(DEMO_USERS.patti);
    const top = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.patti}/manager`);
    expect(top.status).toBe(404);
    expect(top.json.error.code).toBe('Request_ResourceNotFound');
  });

  test('directReports', async () => {
    const a = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/directReports?$select=id`);
    expect(a.status).toBe(200);
    expect((a.json.value as Array<{ id: string }>).map((u) => u.id)).toEqual([
      DEMO_USERS.alex,
      DEMO_USERS.adele,
      DEMO_USERS.isaiah,
    ]);
    const none = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.alex}/directReports`);
    expect(none.json.value).toEqual([]);
  });
});

describe('delegated access and permissions', () => {
  test('/me aliases the signed-in user; with an app token it is 400', async () => {
    const alex = await t.userToken(DEMO_USERS.alex);
    const me = await t.graph(alex, 'GET', '/v1.0/me?$select=id,preferredLanguage');
    expect(me.json).toMatchObject({ id: DEMO_USERS.alex, preferredLanguage: 'en-US' });
    const manager = await t.graph(alex, 'GET', '/v1.0/me/manager?$select=id');
    expect(manager.json.id).toBe(DEMO_USERS.megan);
    const withApp = await t.graph(app, 'GET', '/v1.0/me');
    expect(withApp.status).toBe(400);
  });

  test('User.Read alone reads only oneself: listing or reading others is 403 Authorization_RequestDenied', async () => {
    const token = await t.userToken(DEMO_USERS.alex, ['User.Read']);
    expect((await t.graph(token, 'GET', `/v1.0/users/${DEMO_USERS.alex}`)).status).toBe(200);
    for (const path of ['/v1.0/users', `/v1.0/users/${DEMO_USERS.megan}`]) {
      const a = await t.graph(token, 'GET', path);
      expect(a.status).toBe(403);
      expect(a.json.error).toMatchObject({
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
    }
  });

  test('an app without User.Read.All cannot list users', async () => {
    const token = await t.appTokenWithRoles(['ProfilePhoto.Read.All']);
    expect((await t.graph(token, 'GET', '/v1.0/users')).status).toBe(403);
  });

  test('unknown Graph segment is 400 and wrong verb is 405, both in Graph shape', async () => {
    const unknown = await t.graph(app, 'GET', '/v1.0/places');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe("Resource not found for the segment 'places'.");
    const verb = await t.graph(app, 'DELETE', `/v1.0/users/${DEMO_USERS.alex}`);
    expect(verb.status).toBe(405);
    expect(verb.json.error.code).toBe('Request_BadRequest');
  });
});
