import { DEMO_USERS, demoSeed, startLocalTenant, type OrgSeed } from '../../../emulator';
import { call, squareJpeg, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());

async function upload(
  name: string,
  bytes: Buffer,
  contentType: string,
): Promise<{ id: string; downloadUrl: string; contentUrl: string }> {
  const a = await call(`${t.url}/_control/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: bytes,
  });
  expect(a.status).toBe(201);
  return a.json;
}

describe('files (attachment download URLs)', () => {
  test('upload then download the same bytes and content type without auth', async () => {
    const jpeg = await squareJpeg(120);
    const file = await upload('my photo.jpg', jpeg, 'image/jpeg');
    expect(file.downloadUrl).toBe(file.contentUrl);
    expect(file.downloadUrl).toBe(`${t.url}/_files/${file.id}/my%20photo.jpg`);
    const a = await call(file.downloadUrl);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('image/jpeg');
    expect(a.bytes.equals(jpeg)).toBe(true);
    expect((await call(`${t.url}/_files/${file.id}/other.jpg`)).status).toBe(404);
  });

  test('files beyond the Graph photo limit are accepted (the limit here is 64 MB)', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    const file = await upload('big.bin', big, 'application/octet-stream');
    const a = await call(file.downloadUrl);
    expect(a.bytes.length).toBe(big.length);
  });

  test('redirect answers 302 to the given URL', async () => {
    const file = await upload('a.txt', Buffer.from('hello'), 'text/plain');
    const a = await call(`${t.url}/_files/redirect?to=${encodeURIComponent(file.downloadUrl)}`);
    expect(a.status).toBe(302);
    expect(a.headers.get('location')).toBe(file.downloadUrl);
    const followed = await fetch(`${t.url}/_files/redirect?to=${encodeURIComponent(file.downloadUrl)}`);
    expect(await followed.text()).toBe('hello');
  });

  test('slow serves after the delay, and a client timeout gives up first', async () => {
    const file = await upload('slow.txt', Buffer.from('eventually'), 'text/plain');
    const slowUrl = `${t.url}/_files/slow/${file.id}/slow.txt`;
    const started = Date.now();
    const a = await call(`${slowUrl}?delayMs=250`);
    expect(a.bytes.toString()).toBe('eventually');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    await expect(fetch(`${slowUrl}?delayMs=5000`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });
});

describe('reset and seed', () => {
  test('reset restores photos, policy, faults, clock, logs, connector and files', async () => {
    const app = await t.appToken();
    await t.graph(app, 'DELETE', `/v1.0/users/${DEMO_USERS.megan}/photo`);
    await t.graph(app, 'PUT', `/v1.0/users/${DEMO_USERS.alex}/photo/$value`, {
      bytes: await squareJpeg(648),
      contentType: 'image/jpeg',
    });
    await t.control('PUT', '/_control/photo-policy', { source: 'onPremises' });
    await t.control('POST', '/_control/faults', { path: '^/nothing$', status: 500, times: 3 });
    await t.control('POST', '/_control/clock/advance', { seconds: 86_400 });
    await t.control('POST', '/v3/conversations/a%3Ax/activities', { type: 'message', text: 'hi' });
    const file = await upload('x.txt', Buffer.from('x'), 'text/plain');

    expect((await t.control('POST', '/_control/reset')).status).toBe(200);

    expect((await t.control('GET', `/_control/users/${DEMO_USERS.megan}/photo-info`)).json).toMatchObject({
      hasPhoto: true,
      width: 648,
    });
    expect((await t.control('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`)).json.hasPhoto).toBe(false);
    expect((await t.control('GET', '/_control/photo-policy')).json).toEqual({ source: 'cloud', allowedRoles: [] });
    expect((await t.control('GET', '/_control/faults')).json.value).toEqual([]);
    expect(Math.abs(Date.parse((await t.control('GET', '/_control/clock')).json.now) - Date.now())).toBeLessThan(5000);
    expect((await t.control('GET', '/_control/requests')).json.value).toEqual([]);
    expect((await t.control('GET', '/_control/connector/activities')).json.value).toEqual([]);
    expect((await call(file.downloadUrl)).status).toBe(404);
  });

  test('seed replaces the organisation; invalid seeds are 400 naming the problem', async () => {
    const seed: OrgSeed = {
      tenantId: 'tenant-b',
      domain: 'contoso.test',
      users: [
        {
          id: 'u1',
          upn: 'ann@contoso.test',
          displayName: 'Ann',
          givenName: 'Ann',
          surname: null,
          mail: 'ann@contoso.test',
          userType: 'Member',
          preferredLanguage: 'fi-FI',
          accountEnabled: true,
          onPremisesSyncEnabled: false,
          mailbox: 'online',
        },
        {
          id: 'u2',
          upn: 'bo@contoso.test',
          displayName: 'Bo',
          givenName: 'Bo',
          surname: null,
          mail: null,
          userType: 'Member',
          preferredLanguage: null,
          accountEnabled: true,
          onPremisesSyncEnabled: false,
          mailbox: 'none',
          managerId: 'u1',
          photo: { size: 96, color: '#336699' },
        },
      ],
      apps: [{ clientId: 'app-b', clientSecret: 's3cret', displayName: 'B', roles: ['User.Read.All'] }],
    };
    expect((await t.control('POST', '/_control/seed', seed)).status).toBe(200);
    const token = await call(`${t.url}/tenant-b/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'app-b',
        client_secret: 's3cret',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    expect(token.status).toBe(200);
    const users = await t.graph(token.json.access_token, 'GET', '/v1.0/users?$select=id');
    expect(users.json.value).toEqual([{ id: 'u1' }, { id: 'u2' }]);
    expect((await t.graph(token.json.access_token, 'GET', '/v1.0/users/u2/photo')).json).toMatchObject({
      id: '96X96',
      width: 96,
    });

    const bad = await t.control('POST', '/_control/seed', {
      ...seed,
      users: [{ ...seed.users[1], managerId: 'nobody' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('unknown managerId nobody');
    expect((await t.control('POST', '/_control/seed', { tenantId: 'x' })).status).toBe(400);
    await t.control('POST', '/_control/seed', demoSeed());
  });

  test('a tenant started with a custom seed resets to that seed', async () => {
    const seed = demoSeed();
    seed.users = seed.users.filter((u) => u.id !== DEMO_USERS.grady);
    const custom = await startLocalTenant({ seed });
    try {
      await call(`${custom.url}/_control/reset`, { method: 'POST' });
      const dump = await call(`${custom.url}/_control/seed`);
      expect(dump.json.users).toHaveLength(8);
      expect(JSON.stringify(dump.json)).not.toContain('local-tenant-dev-secret');
    } finally {
      await custom.close();
    }
  });

  test('healthz', async () => {
    expect((await call(`${t.url}/healthz`)).json).toEqual({ ok: true });
  });
});
