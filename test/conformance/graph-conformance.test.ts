/**
 * Conformance of the local tenant's Microsoft Graph to Microsoft's published metadata: every Graph route the
 * local tenant serves is called as the product calls it (the same paths, `$select`, `$filter`, `$top`, `$expand`,
 * `$batch`), and every JSON body (successes, collections and their paging, directory objects of mixed types,
 * `$batch` inner answers, errors with `innerError`) is validated against JSON Schemas derived from the v1.0
 * CSDL (and the beta CSDL for photoUpdateSettings) with unknown properties refused (test/support/graph-metadata.ts).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DEMO_APP, DEMO_GROUPS, DEMO_TEAMS_APP_ID, DEMO_USERS } from '../../emulator';
import { USER_PROPERTY_TYPES } from '../../emulator/graph/user-properties';
import { USER_SELECT } from '../../bot/src/m365/graph-directory';
import {
  GRAPH_ERROR_SCHEMA,
  collectionSchema,
  graphBeta,
  graphV1,
  memberSchema,
  objectSchema,
  propertiesOf,
} from '../support/graph-metadata';
import { call, TenantClient, type Answer } from '../support/local-tenant';
import { image } from '../support/photos';

type Json = Record<string, unknown>;

let t: TenantClient;
let app: string;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Validates `body` against `schema`; the message lists what is wrong, property by property. */
function expectConforms(body: unknown, schema: Json, what: string): void {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  const ok = validate(body);
  if (!ok) {
    const problems = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    );
    throw new Error(`${what} does not conform:\n${problems.join('\n')}\n${JSON.stringify(body).slice(0, 600)}`);
  }
}

const v1 = () => graphV1();
const user = (select?: readonly string[]) => objectSchema(v1(), 'microsoft.graph.user', select);
const selectOf = (s: string) => s.split(',');
const entity = (schema: Json) => ({
  ...schema,
  required: ['@odata.context'],
  properties: { ...(schema.properties as Json), '@odata.context': { type: 'string' } },
});

async function get(path: string, headers: Record<string, string> = {}, token = app): Promise<Answer> {
  return call(`${t.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
}

/** Every item of a directory-object collection conforms to the type its @odata.type names. */
function expectMembers(body: Json, base: string, select?: readonly string[]): void {
  expectConforms(body, collectionSchema({ type: 'object' }), 'the collection');
  for (const item of body.value as Json[])
    expectConforms(item, memberSchema(v1(), base, item['@odata.type'], select), `a ${String(item['@odata.type'])}`);
}

beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
  // Alex gets a photo so that every photo route has one to answer about.
  const put = await call(`${t.url}/v1.0/users/${DEMO_USERS.alex}/photo/$value`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${app}`, 'Content-Type': 'image/jpeg' },
    body: image('exif-orientation-examples/Landscape_1.jpg'),
  });
  expect(put.status).toBe(200);
});
afterAll(() => t.close());

describe('the metadata itself', () => {
  test("the local tenant's user properties are exactly microsoft.graph.user's in the v1.0 CSDL", () => {
    expect(USER_PROPERTY_TYPES.map(([name, type]) => [name, type])).toEqual(
      propertiesOf(v1(), 'microsoft.graph.user').map((p) => [p.name, p.type]),
    );
  });
});

describe('users, as the product reads them', () => {
  test("GET /users/{id} with the product's $select, and with the default set", async () => {
    const selected = await get(`/v1.0/users/${DEMO_USERS.megan}?$select=${USER_SELECT}`);
    expect(selected.status).toBe(200);
    expectConforms(selected.json, entity(user(selectOf(USER_SELECT))), 'a user with $select');
    const all = await get(`/v1.0/users/${DEMO_USERS.megan}`);
    expectConforms(all.json, entity(user()), 'a user');
  });

  test('GET /users pages with @odata.nextLink and counts with ConsistencyLevel: eventual', async () => {
    const select = `${USER_SELECT},assignedLicenses`;
    const first = await get(`/v1.0/users?$select=${select}&$top=4`);
    expectConforms(first.json, collectionSchema(user(selectOf(select))), 'a page of users');
    expect(first.json['@odata.nextLink']).toEqual(expect.any(String));
    const next = await call(String(first.json['@odata.nextLink']), { headers: { Authorization: `Bearer ${app}` } });
    expectConforms(next.json, collectionSchema(user(selectOf(select))), 'the next page');
    const counted = await get(`/v1.0/users?$count=true&$select=id`, { ConsistencyLevel: 'eventual' });
    expectConforms(counted.json, collectionSchema(user(['id'])), 'a counted page');
    expect(counted.json['@odata.count']).toBe(9);
  });

  test('manager and direct reports are directory objects of the type they say', async () => {
    const manager = await get(`/v1.0/users/${DEMO_USERS.megan}/manager?$select=${USER_SELECT}`);
    expect(manager.status).toBe(200);
    const { ['@odata.context']: context, ...managerObject } = manager.json as Json;
    expect(context).toEqual(expect.any(String));
    expectConforms(
      managerObject,
      memberSchema(v1(), 'microsoft.graph.directoryObject', managerObject['@odata.type'], selectOf(USER_SELECT)),
      'a manager',
    );
    const reports = await get(`/v1.0/users/${DEMO_USERS.patti}/directReports?$select=${USER_SELECT}`);
    expectMembers(reports.json, 'microsoft.graph.directoryObject', selectOf(USER_SELECT));
  });

  test('mailboxSettings is microsoft.graph.mailboxSettings', async () => {
    const a = await get(`/v1.0/users/${DEMO_USERS.megan}/mailboxSettings`);
    expect(a.status).toBe(200);
    expectConforms(a.json, entity(objectSchema(v1(), 'microsoft.graph.mailboxSettings')), 'mailboxSettings');
  });
});

describe('photos', () => {
  const photo = () => objectSchema(v1(), 'microsoft.graph.profilePhoto');

  test('GET /photo, /photos and /photos/{size} are profilePhoto', async () => {
    expectConforms((await get(`/v1.0/users/${DEMO_USERS.alex}/photo`)).json, entity(photo()), 'photo');
    expectConforms((await get(`/v1.0/users/${DEMO_USERS.alex}/photos`)).json, collectionSchema(photo()), 'photos');
    expectConforms((await get(`/v1.0/users/${DEMO_USERS.alex}/photos/48x48`)).json, entity(photo()), 'a size');
  });

  test("no photo is 404 ImageNotFound in Graph's error shape; DELETE /photo without $value is not a route", async () => {
    const none = await get(`/v1.0/users/${DEMO_USERS.adele}/photo/$value`);
    expect(none.status).toBe(404);
    expectConforms(none.json, GRAPH_ERROR_SCHEMA, 'ImageNotFound');
    const wrong = await call(`${t.url}/v1.0/users/${DEMO_USERS.adele}/photo`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${app}` },
    });
    expect(wrong.status).toBe(405);
    expectConforms(wrong.json, GRAPH_ERROR_SCHEMA, 'a method not allowed');
  });
});

describe('policy, apps and roles', () => {
  test('GET /beta/admin/people/photoUpdateSettings is beta photoUpdateSettings (an entity, with its id)', async () => {
    const a = await get('/beta/admin/people/photoUpdateSettings');
    expect(a.status).toBe(200);
    const schema = entity(objectSchema(graphBeta(), 'microsoft.graph.photoUpdateSettings'));
    expectConforms(
      a.json,
      { ...schema, required: ['@odata.context', 'id', 'source', 'allowedRoles'] },
      'photoUpdateSettings',
    );
  });

  test("service principal, its role holders, and a user's assignments", async () => {
    const select = 'id,appId,appRoles';
    const sps = await get(
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${DEMO_APP.clientId}'`)}&$select=${select}`,
    );
    expectConforms(
      sps.json,
      collectionSchema(objectSchema(v1(), 'microsoft.graph.servicePrincipal', selectOf(select))),
      'servicePrincipals',
    );
    const spId = (sps.json.value as Json[])[0]?.id as string;
    const assignment = objectSchema(v1(), 'microsoft.graph.appRoleAssignment');
    expectConforms(
      (await get(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`)).json,
      collectionSchema(assignment),
      'appRoleAssignedTo',
    );
    const directory = await t.appTokenWithRoles(['Directory.Read.All']);
    const own = await get(`/v1.0/users/${DEMO_USERS.patti}/appRoleAssignments`, {}, directory);
    expectConforms(own.json, collectionSchema(assignment), 'appRoleAssignments');
  });
});

describe('groups', () => {
  test('memberOf and members are directory objects of several types, paged', async () => {
    const memberOf = await get(`/v1.0/users/${DEMO_USERS.megan}/memberOf?$select=id&$top=999`);
    expectMembers(memberOf.json, 'microsoft.graph.directoryObject', ['id']);
    const members = await get(`/v1.0/groups/${DEMO_GROUPS.approvers}/members?$select=${USER_SELECT}&$top=3`);
    expectMembers(members.json, 'microsoft.graph.directoryObject', selectOf(USER_SELECT));
    const rest = await call(String(members.json['@odata.nextLink']), { headers: { Authorization: `Bearer ${app}` } });
    expectMembers(rest.json, 'microsoft.graph.directoryObject', selectOf(USER_SELECT));
    expect((rest.json.value as Json[]).map((o) => o['@odata.type'])).toEqual([
      '#microsoft.graph.device',
      '#microsoft.graph.servicePrincipal',
    ]);
    const group = await get(`/v1.0/groups/${DEMO_GROUPS.approvers}?$select=id,displayName`);
    const { ['@odata.type']: tag, ...plain } = group.json as Json;
    expect(tag).toBe('#microsoft.graph.group');
    expectConforms(plain, entity(objectSchema(v1(), 'microsoft.graph.group', ['id', 'displayName'])), 'a group');
  });
});

describe('Teams app installations', () => {
  test('install, list with $expand, one installation, its chat', async () => {
    const base = `/v1.0/users/${DEMO_USERS.megan}/teamwork/installedApps`;
    // As the outbox installs Headshot (graph-app-installer.ts).
    const install = () =>
      call(`${t.url}${base}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${app}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${DEMO_TEAMS_APP_ID}`,
        }),
      });
    const installed = await install();
    expect(installed.status).toBe(201);
    const installation = objectSchema(v1(), 'microsoft.graph.userScopeTeamsAppInstallation');
    const list = await get(`${base}?$expand=teamsApp`);
    expectConforms(list.json, collectionSchema(installation), 'installedApps');
    const id = (list.json.value as Json[])[0]?.id as string;
    expectConforms((await get(`${base}/${id}`)).json, entity(installation), 'an installation');
    const chat = await get(`${base}/${id}/chat`);
    expectConforms(chat.json, entity(objectSchema(v1(), 'microsoft.graph.chat')), 'the chat');
    const again = await install();
    expect(again.status).toBe(409);
    expectConforms(again.json, GRAPH_ERROR_SCHEMA, 'already installed');
  });
});

describe('$batch, as the status scanner sends it', () => {
  test('every inner answer conforms: user, photo, small photo bytes, mailbox, and a failed dependency', async () => {
    const u = DEMO_USERS.adele;
    const a = await call(`${t.url}/v1.0/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${app}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: 'user', method: 'GET', url: `/users/${u}?$select=${USER_SELECT}` },
          { id: 'photo', method: 'GET', url: `/users/${u}/photo` },
          { id: 'small', method: 'GET', url: `/users/${DEMO_USERS.alex}/photos/48x48/$value` },
          { id: 'mailbox', method: 'GET', url: `/users/${u}/mailboxSettings` },
          { id: 'after', method: 'GET', url: `/users/${u}/photo/$value`, dependsOn: ['photo'] },
        ],
      }),
    });
    expect(a.status).toBe(200);
    const inner = new Map((a.json.responses as Json[]).map((r) => [r.id as string, r]));
    expectConforms(inner.get('user')?.body, entity(user(selectOf(USER_SELECT))), 'inner user');
    expect(inner.get('photo')?.status).toBe(404);
    expectConforms(inner.get('photo')?.body, GRAPH_ERROR_SCHEMA, 'inner ImageNotFound');
    expect(inner.get('small')).toMatchObject({ status: 200, headers: { 'Content-Type': 'image/jpeg' } });
    expect(typeof inner.get('small')?.body).toBe('string');
    expectConforms(
      inner.get('mailbox')?.body,
      entity(objectSchema(v1(), 'microsoft.graph.mailboxSettings')),
      'inner mailbox',
    );
    expect(inner.get('after')?.status).toBe(424);
    expectConforms(inner.get('after')?.body, GRAPH_ERROR_SCHEMA, 'inner failed dependency');
  });
});

describe('errors are Graph-shaped everywhere', () => {
  test.each([
    ['no token', `/v1.0/users/${DEMO_USERS.megan}`, 401],
    ['a user that does not exist', '/v1.0/users/nobody@example.com', 404],
    ['an unknown $select property', `/v1.0/users/${DEMO_USERS.megan}?$select=shoeSize`, 400],
    [
      'an advanced query without its parameters',
      `/v1.0/users?$filter=${encodeURIComponent("userType ne 'Guest'")}`,
      400,
    ],
    ['/users/$count without ConsistencyLevel', '/v1.0/users/$count', 400],
    ['a permission the app lacks', `/v1.0/users/${DEMO_USERS.patti}/appRoleAssignments`, 403],
    ['a group that does not exist', '/v1.0/groups/00000000-0000-0000-0000-00000000dead', 404],
  ] as const)('%s', async (_what, path, status) => {
    const a = await (status === 401 ? call(`${t.url}${path}`) : get(path));
    expect(a.status).toBe(status);
    expectConforms(a.json, GRAPH_ERROR_SCHEMA, `${status}`);
  });
});
