/**
 * Before and at sign-in: the tab's configuration, local mode's demo people and sign-in, and
 * the SSO check every other route relies on (a token from the demo sign-in works; a tampered
 * or expired one is refused and changes nothing).
 */
import { DEMO_TEAMS_APP_ID, DEMO_USERS } from '../../../emulator';
import { DEFAULT_AVATAR_SIDES } from '../../../bot/src/photo/sharp-image-processor';
import type { DemoPerson, LocalSignInResult, MeView, TabConfig } from '../../../bot/src/api/tab-contract';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { call, tokenFor, type ErrorBody } from '../../support/tab-state';

const h = useHarness({ PHOTO_MIN_SIDE: '120' });

test('GET /api/tab/config: what the page needs, public, from configuration', async () => {
  const res = await call<TabConfig>(h.service.url, 'GET', '/api/tab/config');
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    mode: 'local',
    localSignIn: true,
    teamsAppId: DEMO_TEAMS_APP_ID,
    maxUploadBytes: 20 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 120,
    masterSide: 648,
    avatarSides: [...DEFAULT_AVATAR_SIDES],
  });
});

test('GET /api/local/people: the seeded people who can sign in, with manager and admin flags', async () => {
  const res = await call<DemoPerson[]>(h.service.url, 'GET', '/api/local/people');
  expect(res.status).toBe(200);
  const byId = new Map(res.json.map((p) => [p.id, p]));
  expect(byId.get(DEMO_USERS.megan)).toEqual({
    id: DEMO_USERS.megan,
    displayName: 'Megan Bowen',
    userPrincipalName: 'meganb@example.com',
    jobTitle: 'Marketing Manager',
    isManager: true,
    isAdmin: false,
  });
  expect(byId.get(DEMO_USERS.patti)).toMatchObject({ isManager: true, isAdmin: true });
  expect(byId.get(DEMO_USERS.alex)).toMatchObject({ isManager: false, isAdmin: false });
  // Henrietta's account is disabled: she is not offered.
  expect(byId.has(DEMO_USERS.henrietta)).toBe(false);
  expect(res.json.length).toBe(8);
});

test('POST /api/local/sign-in: a token the normal SSO check accepts, for that person', async () => {
  const res = await call<LocalSignInResult>(h.service.url, 'POST', '/api/local/sign-in', {
    body: { userId: DEMO_USERS.adele },
  });
  expect(res.status).toBe(200);
  expect(Date.parse(res.json.expiresAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
  const me = await call<MeView>(h.service.url, 'GET', '/api/me', { token: res.json.token });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ id: DEMO_USERS.adele, displayName: 'Adele Vance', preferredLocale: 'nl' });
  // The token went to the caller only: never into the service's logs.
  const signature = res.json.token.split('.')[2] as string;
  expect(h.logLines.some((line) => line.includes(signature))).toBe(false);
});

test('sign-in refuses a disabled account (400) and an unknown person (404), in the caller language', async () => {
  const disabled = await call<ErrorBody>(h.service.url, 'POST', '/api/local/sign-in', {
    body: { userId: DEMO_USERS.henrietta },
    locale: 'pl',
  });
  expect(disabled.status).toBe(400);
  expect(disabled.json.error).toEqual({
    code: 'input.invalid',
    message: t('pl', 'tab.errors.person_disabled'),
  });
  const unknown = await call<ErrorBody>(h.service.url, 'POST', '/api/local/sign-in', {
    body: { userId: '00000000-0000-4000-8000-000000000999' },
    locale: 'fi',
  });
  expect(unknown.status).toBe(404);
  expect(unknown.json.error).toEqual({ code: 'input.not_found', message: t('fi', 'tab.errors.person_unknown') });
  const malformed = await call<ErrorBody>(h.service.url, 'POST', '/api/local/sign-in', { body: '{"user":' });
  expect(malformed.status).toBe(400);
});

describe('the SSO check on tab routes', () => {
  const upload = (token: string | null) =>
    call<ErrorBody>(h.service.url, 'POST', '/api/me/photo-requests', {
      token,
      raw: image('exif-orientation-examples/Landscape_1.jpg'),
    });
  const requestsOf = async (userId: string) =>
    ((await h.service.db.get(`SELECT COUNT(*) AS n FROM photo_requests WHERE user_id = ?`, [userId])) as { n: number })
      .n;

  test('a tampered token (one signature character flipped) is refused with 401 and nothing is stored', async () => {
    const token = await tokenFor(h, DEMO_USERS.alex);
    const i = token.length - 5;
    const flipped = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    const before = await requestsOf(DEMO_USERS.alex);
    const res = await upload(flipped);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(res.json.error.code).toBe('auth.unauthenticated');
    expect(await requestsOf(DEMO_USERS.alex)).toBe(before);
    // The same token unchanged gets in: the refusal was the flipped character.
    expect((await upload(token)).status).toBe(200);
  });

  test('an expired token (issued three hours ago by the tenant clock) is refused with 401', async () => {
    await h.control('POST', '/_control/clock', { now: Date.now() - 3 * 3_600_000 });
    const old = await tokenFor(h, DEMO_USERS.alex);
    await h.control('POST', '/_control/clock', { now: Date.now() });
    const before = await requestsOf(DEMO_USERS.alex);
    const res = await upload(old);
    expect(res.status).toBe(401);
    expect(await requestsOf(DEMO_USERS.alex)).toBe(before);
    const me = await call<ErrorBody>(h.service.url, 'GET', '/api/me', { token: old, locale: 'nl' });
    expect(me.json.error).toEqual({ code: 'auth.unauthenticated', message: t('nl', 'errors.auth.unauthenticated') });
  });

  test('no token, and a token without access_as_user, are refused', async () => {
    expect((await call(h.service.url, 'GET', '/api/me')).status).toBe(401);
    const graphToken = await tokenFor(h, DEMO_USERS.alex, { scopes: ['User.Read'] });
    expect((await call(h.service.url, 'GET', '/api/me', { token: graphToken })).status).toBe(403);
  });

  test('personal answers are never cached, refusals included', async () => {
    const token = await tokenFor(h, DEMO_USERS.alex);
    for (const path of ['/api/me', '/api/approvals', '/api/admin/settings']) {
      for (const tok of [token, null]) {
        const res = await call(h.service.url, 'GET', path, { token: tok });
        expect([path, res.headers.get('cache-control')]).toEqual([path, 'no-store']);
      }
    }
  });
});
