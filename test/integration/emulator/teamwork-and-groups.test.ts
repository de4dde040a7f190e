/**
 * The local tenant's groups (`memberOf`, `/groups/{id}`, members) and Teams app installation
 * (`/users/{id}/teamwork/installedApps`, the installation's chat): Graph's shapes, status codes
 * and permission checks, and the chat's place in the Bot Connector stand-in.
 */
import { DEMO_APP, DEMO_GROUPS, DEMO_TEAMS_APP_ID, DEMO_USERS } from '../../../emulator';
import { checkSeed } from '../../../emulator/seed/org-seed';
import { demoSeed } from '../../../emulator/seed/demo-seed';
import { TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
});

const BIND = (id: string) => ({
  json: { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}` },
});
const installedApps = (userId: string) => `/v1.0/users/${userId}/teamwork/installedApps`;

describe('groups', () => {
  test('memberOf lists the groups a user is a direct member of, as directoryObjects', async () => {
    const a = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/memberOf?$select=id,displayName`);
    expect(a.status).toBe(200);
    expect(a.json.value).toEqual([
      { '@odata.type': '#microsoft.graph.group', id: DEMO_GROUPS.marketing, displayName: 'Marketing' },
      { '@odata.type': '#microsoft.graph.group', id: DEMO_GROUPS.approvers, displayName: 'Photo approvers' },
    ]);
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.lynne}/memberOf`)).json.value).toEqual([]);
  });

  test('a group and its members; 404 for a group that does not exist', async () => {
    expect((await t.graph(app, 'GET', `/v1.0/groups/${DEMO_GROUPS.approvers}?$select=displayName`)).json).toMatchObject(
      { displayName: 'Photo approvers' },
    );
    const members = await t.graph(
      app,
      'GET',
      `/v1.0/groups/${DEMO_GROUPS.approvers}/members?$select=id,displayName,accountEnabled`,
    );
    expect(members.json.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.user',
        id: DEMO_USERS.patti,
        displayName: 'Patti Fernandez',
        accountEnabled: true,
      },
      {
        '@odata.type': '#microsoft.graph.user',
        id: DEMO_USERS.megan,
        displayName: 'Megan Bowen',
        accountEnabled: true,
      },
      // Members are directory objects: a nested group, a device and an app's service principal too, with what they have.
      { '@odata.type': '#microsoft.graph.group', id: DEMO_GROUPS.sales, displayName: 'Sales' },
      {
        '@odata.type': '#microsoft.graph.device',
        id: expect.any(String),
        displayName: 'Reception kiosk',
        accountEnabled: true,
      },
      { '@odata.type': '#microsoft.graph.servicePrincipal', id: expect.any(String), displayName: 'Headshot (local)' },
    ]);
    // Paged like every directory collection.
    const first = await t.graph(app, 'GET', `/v1.0/groups/${DEMO_GROUPS.approvers}/members?$top=3&$select=id`);
    expect(first.json.value).toHaveLength(3);
    const next = await t.graph(app, 'GET', String(first.json['@odata.nextLink']).slice(t.url.length));
    expect(next.json.value).toHaveLength(2);
    expect(next.json['@odata.nextLink']).toBeUndefined();
    const missing = await t.graph(app, 'GET', '/v1.0/groups/no-such-group/members');
    expect([missing.status, missing.json.error.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  test('groups by the start of their name (startswith on displayName, any case); other queries are refused', async () => {
    const found = await t.graph(
      app,
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'PHO')")}&$select=id,displayName`,
    );
    expect(found.status).toBe(200);
    expect(found.json.value).toEqual([{ id: DEMO_GROUPS.approvers, displayName: 'Photo approvers' }]);
    const all = await t.graph(app, 'GET', '/v1.0/groups?$select=id');
    expect(all.json.value.map((g: { id: string }) => g.id)).toEqual(
      expect.arrayContaining([DEMO_GROUPS.marketing, DEMO_GROUPS.sales, DEMO_GROUPS.approvers]),
    );
    const quoted = await t.graph(
      app,
      'GET',
      `/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'o''brien')")}`,
    );
    expect(quoted.json.value).toEqual([]);
    for (const query of [
      `$filter=${encodeURIComponent("displayName eq 'Sales'")}`,
      '$search=%22displayName:sa%22',
      '$orderby=displayName',
    ]) {
      const refused = await t.graph(app, 'GET', `/v1.0/groups?${query}`);
      expect([query, refused.status, refused.json.error.code]).toEqual([query, 400, 'Request_UnsupportedQuery']);
    }
  });

  test('reading groups needs a group permission', async () => {
    const token = await t.appTokenWithRoles(['ProfilePhoto.ReadWrite.All']);
    expect((await t.graph(token, 'GET', `/v1.0/groups/${DEMO_GROUPS.sales}/members`)).status).toBe(403);
    expect((await t.graph(token, 'GET', '/v1.0/groups')).status).toBe(403);
    expect((await t.graph(token, 'GET', `/v1.0/users/${DEMO_USERS.alex}/memberOf`)).status).toBe(403);
  });

  test('seeds: duplicate ids are refused; members that are not users are left out', async () => {
    const seed = demoSeed();
    expect(checkSeed({ ...seed, groups: [{ id: DEMO_USERS.alex, displayName: 'G', memberIds: [] }] }).problems).toEqual(
      [`groups: duplicate id ${DEMO_USERS.alex}`],
    );
    const withoutGrady = { ...seed, users: seed.users.filter((u) => u.id !== DEMO_USERS.grady) };
    expect((await t.control('POST', '/_control/seed', withoutGrady)).status).toBe(200);
    const members = await t.graph(app, 'GET', `/v1.0/groups/${DEMO_GROUPS.sales}/members?$select=id`);
    expect(members.json.value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: DEMO_USERS.isaiah }]);
    await t.control('POST', '/_control/seed', demoSeed());
  });
});

describe('installing Headshot for a user', () => {
  test("install (201), already installed (409), list with $filter/$expand, the installation's chat, uninstall", async () => {
    const url = installedApps(DEMO_USERS.megan);
    expect((await t.graph(app, 'GET', url)).json.value).toEqual([]);
    const installed = await t.graph(app, 'POST', url, BIND(DEMO_TEAMS_APP_ID));
    expect([installed.status, installed.bytes.length]).toEqual([201, 0]);
    const again = await t.graph(app, 'POST', url, BIND(DEMO_TEAMS_APP_ID));
    expect([again.status, again.json.error.code]).toEqual([409, 'Conflict']);

    const list = await t.graph(app, 'GET', `${url}?$expand=teamsApp&$filter=teamsApp/id eq '${DEMO_TEAMS_APP_ID}'`);
    expect(list.json.value).toEqual([
      {
        id: expect.any(String),
        teamsApp: {
          id: DEMO_TEAMS_APP_ID,
          externalId: DEMO_APP.clientId,
          displayName: 'Headshot',
          distributionMethod: 'organization',
        },
      },
    ]);
    expect((await t.graph(app, 'GET', `${url}?$filter=teamsApp/id eq 'other'`)).json.value).toEqual([]);
    const id = list.json.value[0].id as string;

    const chat = await t.graph(app, 'GET', `${url}/${id}/chat`);
    expect(chat.status).toBe(200);
    expect(chat.json).toMatchObject({ id: expect.stringMatching(/^19:.+@unq\.gbl\.spaces$/), chatType: 'oneOnOne' });
    // The Bot Connector knows the chat, and who is in it.
    const conversations = (await t.control('GET', '/_control/connector/conversations')).json.value as Array<{
      id: string;
      members: { id: string }[];
    }>;
    expect(conversations.find((c) => c.id === chat.json.id)?.members).toEqual([{ id: `29:${DEMO_USERS.megan}` }]);
    const member = await t.graph(
      await t.certificateToken('https://api.botframework.com/.default'),
      'GET',
      `/v3/conversations/${encodeURIComponent(chat.json.id)}/members/${DEMO_USERS.megan}`,
    );
    expect(member.json).toMatchObject({
      id: `29:${DEMO_USERS.megan}`,
      aadObjectId: DEMO_USERS.megan,
      name: 'Megan Bowen',
    });
    expect((await t.control('GET', `/_control/users/${DEMO_USERS.megan}/installed-apps`)).json.value).toEqual([
      expect.objectContaining({ id, chatId: chat.json.id }),
    ]);

    expect((await t.graph(app, 'DELETE', `${url}/${id}`)).status).toBe(204);
    expect((await t.graph(app, 'GET', `${url}/${id}/chat`)).status).toBe(404);
  });

  test('an app not in the catalog is 404; a bad body is 400; an unsupported $filter is 400', async () => {
    const url = installedApps(DEMO_USERS.alex);
    expect((await t.graph(app, 'POST', url, BIND('not-in-catalog'))).status).toBe(404);
    expect((await t.graph(app, 'POST', url, { json: { teamsApp: DEMO_TEAMS_APP_ID } })).status).toBe(400);
    expect((await t.graph(app, 'GET', `${url}?$filter=displayName eq 'x'`)).status).toBe(400);
  });

  test('permissions: the Self permission installs only the calling app; without one, 403', async () => {
    const url = installedApps(DEMO_USERS.alex);
    const none = await t.appTokenWithRoles(['User.Read.All']);
    expect((await t.graph(none, 'POST', url, BIND(DEMO_TEAMS_APP_ID))).status).toBe(403);
    expect((await t.graph(none, 'GET', url)).status).toBe(403);
    // A token whose app is not Headshot, with the Self permission: it may not install Headshot.
    const other = (
      await t.control('POST', '/_control/tokens/app', {
        clientId: 'another-app',
        roles: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
      })
    ).json.access_token as string;
    const denied = await t.graph(other, 'POST', url, BIND(DEMO_TEAMS_APP_ID));
    expect([denied.status, denied.json.error.code]).toEqual([403, 'Authorization_RequestDenied']);
    const any = await t.appTokenWithRoles(['TeamsAppInstallation.ReadWriteForUser.All']);
    expect((await t.graph(any, 'POST', url, BIND(DEMO_TEAMS_APP_ID))).status).toBe(201);
  });

  test('reset forgets installations', async () => {
    await t.graph(app, 'POST', installedApps(DEMO_USERS.adele), BIND(DEMO_TEAMS_APP_ID));
    await t.control('POST', '/_control/reset');
    expect((await t.graph(app, 'GET', installedApps(DEMO_USERS.adele))).json.value).toEqual([]);
  });
});
