/**
 * The tab's API in m365 mode (production wiring against a local tenant playing Entra ID and
 * Graph): no demo sign-in (the local routes stay registered with their rule and answer 404
 * input.not_found), SSO tokens for the configured audience, and no SharePoint to push to.
 */
import { DEMO_APP, DEMO_USERS } from '../../../emulator';
import type { MeView, TabConfig, TenantSettingsView } from '../../../bot/src/api/tab-contract';
import { routeRules } from '../../../bot/src/api/route-rules';
import { t } from '../../../bot/src/i18n/i18n';
import { startM365Harness, type M365Harness } from '../../support/headshot-m365';
import { call, tokenFor, type ErrorBody } from '../../support/tab-state';

let h: M365Harness;
const AUDIENCE = `api://127.0.0.1:9/${DEMO_APP.clientId}`;

beforeAll(async () => {
  h = await startM365Harness({ ADMIN_APP_ROLE: 'HeadshotAdmin', TEAMS_APP_ID: 'contoso-headshot-app' });
});
afterAll(async () => {
  await h?.close();
});

test('the local routes are registered (public) but answer 404 input.not_found, localised', async () => {
  const rules = routeRules(h.service.server).map((r) => `${r.method} ${r.path} ${r.auth}`);
  expect(rules).toEqual(expect.arrayContaining(['GET /api/local/people public', 'POST /api/local/sign-in public']));
  const people = await call<ErrorBody>(h.service.url, 'GET', '/api/local/people', { locale: 'nl' });
  expect([people.status, people.json.error]).toEqual([
    404,
    { code: 'input.not_found', message: t('nl', 'tab.errors.local_only') },
  ]);
  const signIn = await call<ErrorBody>(h.service.url, 'POST', '/api/local/sign-in', {
    body: { userId: DEMO_USERS.alex },
  });
  expect([signIn.status, signIn.json.error.code]).toEqual([404, 'input.not_found']);
});

test('config says m365, without demo sign-in, with the configured Teams app id', async () => {
  const res = await call<TabConfig>(h.service.url, 'GET', '/api/tab/config');
  expect(res.json).toMatchObject({ mode: 'm365', localSignIn: false, teamsAppId: 'contoso-headshot-app' });
});

test("SSO tokens for the app's audience work; local mode's audience does not", async () => {
  const token = await tokenFor(h, DEMO_USERS.megan, { audience: AUDIENCE });
  const me = await call<MeView>(h.service.url, 'GET', '/api/me', { token });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ id: DEMO_USERS.megan, isApprover: true, isAdmin: false });
  const local = await tokenFor(h, DEMO_USERS.megan);
  expect((await call(h.service.url, 'GET', '/api/me', { token: local })).status).toBe(401);
});

test('without a SharePoint address, turning the legacy push on is refused (400, localised) and nothing is stored', async () => {
  const token = await tokenFor(h, DEMO_USERS.patti, { audience: AUDIENCE });
  const before = await call<TenantSettingsView>(h.service.url, 'GET', '/api/admin/settings', { token });
  expect(before.json.sharePoint).toEqual({ pictures: 'auto', legacyPush: false, available: false });
  const res = await call<ErrorBody>(h.service.url, 'PUT', '/api/admin/settings', {
    token,
    locale: 'fi',
    body: { sharePoint: { legacyPush: true }, approvalPolicy: { requiredFor: 'everyone' } },
  });
  expect([res.status, res.json.error]).toEqual([
    400,
    { code: 'input.invalid', message: t('fi', 'tab.errors.sharepoint_unavailable') },
  ]);
  const after = await call<TenantSettingsView>(h.service.url, 'GET', '/api/admin/settings', { token });
  expect(after.json).toEqual(before.json);
});
