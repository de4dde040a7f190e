/**
 * App roles in the local tenant need the permissions Microsoft Graph documents ("List servicePrincipals" and
 * "List appRoleAssignedTo": Application.Read.All; "List appRoleAssignments granted to a user": Directory.Read.All),
 * not User.Read.All, which is all a lenient tenant asked for.
 */
import { DEMO_APP, DEMO_USERS } from '../../../emulator';
import { TenantClient } from '../../support/local-tenant';

let t: TenantClient;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());

const spPath = `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${DEMO_APP.clientId}'`)}`;

test("User.Read.All alone reads neither the service principal nor anyone's app role assignments", async () => {
  const token = await t.appTokenWithRoles(['User.Read.All']);
  expect((await t.graph(token, 'GET', spPath)).status).toBe(403);
  const assignments = await t.graph(token, 'GET', `/v1.0/users/${DEMO_USERS.patti}/appRoleAssignments`);
  expect(assignments.status).toBe(403);
  expect(assignments.json.error.code).toBe('Authorization_RequestDenied');
});

test('Application.Read.All: the service principal and who holds its roles (appRoleAssignedTo), paged', async () => {
  const token = await t.appTokenWithRoles(['Application.Read.All']);
  const sp = await t.graph(token, 'GET', spPath);
  expect(sp.status).toBe(200);
  const [principal] = sp.json.value as Array<{ id: string; appRoles: Array<{ id: string; value: string }> }>;
  const admin = principal!.appRoles.find((r) => r.value === 'HeadshotAdmin');
  expect(admin).toBeDefined();
  const first = await t.graph(token, 'GET', `/v1.0/servicePrincipals/${principal!.id}/appRoleAssignedTo?$top=1`);
  expect(first.status).toBe(200);
  const holders = [...first.json.value];
  let next = first.json['@odata.nextLink'] as string | undefined;
  while (next) {
    const page = await t.graph(token, 'GET', next.slice(t.url.length));
    holders.push(...page.json.value);
    next = page.json['@odata.nextLink'];
  }
  expect(holders).toContainEqual(
    expect.objectContaining({ principalId: DEMO_USERS.patti, principalType: 'User', appRoleId: admin!.id }),
  );
  // The user's own list still needs Directory.Read.All.
  expect((await t.graph(token, 'GET', `/v1.0/users/${DEMO_USERS.patti}/appRoleAssignments`)).status).toBe(403);
  const directory = await t.appTokenWithRoles(['Directory.Read.All']);
  expect((await t.graph(directory, 'GET', `/v1.0/users/${DEMO_USERS.patti}/appRoleAssignments`)).status).toBe(200);
});
