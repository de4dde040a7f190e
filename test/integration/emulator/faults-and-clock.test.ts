import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { call, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
  app = await t.appToken();
});

const alexPath = `/v1.0/users/${DEMO_USERS.alex}`;

describe('injected faults', () => {
  test('429 with Retry-After hits exactly `times` matching requests, then the service answers normally', async () => {
    await t.control('POST', '/_control/faults', {
      path: '^/v1.0/users/[^/]+$',
      status: 429,
      retryAfterSeconds: 3,
      times: 2,
    });
    for (let i = 0; i < 2; i += 1) {
      const a = await t.graph(app, 'GET', alexPath);
      expect(a.status).toBe(429);
      expect(a.headers.get('retry-after')).toBe('3');
      expect(a.json.error.code).toBe('TooManyRequests');
      expect(a.json.error.innerError['request-id']).toBe(a.headers.get('request-id'));
    }
    expect((await t.graph(app, 'GET', alexPath)).status).toBe(200);
  });

  test('method filter, custom code, and other paths untouched', async () => {
    await t.control('POST', '/_control/faults', {
      method: 'PUT',
      path: '/photo/\\$value$',
      status: 503,
      code: 'serviceNotAvailable',
    });
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/photo/$value`)).status).toBe(200);
    const put = await t.graph(app, 'PUT', `/v1.0/users/${DEMO_USERS.megan}/photo/$value`, {
      bytes: Buffer.from('x'),
      contentType: 'image/jpeg',
    });
    expect(put.status).toBe(503);
    expect(put.json.error.code).toBe('serviceNotAvailable');
    expect(put.headers.get('retry-after')).toBeNull();
  });

  test('latency-only fault delays without changing the answer', async () => {
    await t.control('POST', '/_control/faults', { path: '^/v1.0/users/', latencyMs: 300 });
    const started = Date.now();
    const a = await t.graph(app, 'GET', alexPath);
    expect(a.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('faults hit the token endpoint in Entra ID error shape', async () => {
    await t.control('POST', '/_control/faults', { path: '/oauth2/v2.0/token$', status: 503, retryAfterSeconds: 1 });
    const a = await call(`${t.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEMO_APP.clientId,
        client_secret: DEMO_APP.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.json.error).toBe('server_error');
    expect(typeof a.json.error_description).toBe('string');
  });

  test('DELETE /_control/faults clears them; bad input is 400', async () => {
    await t.control('POST', '/_control/faults', { path: '.*', status: 500, times: 100 });
    expect((await t.control('GET', '/_control/faults')).json.value).toHaveLength(1);
    await t.control('DELETE', '/_control/faults');
    expect((await t.graph(app, 'GET', alexPath)).status).toBe(200);
    expect((await t.control('POST', '/_control/faults', { path: '(', status: 429 })).status).toBe(400);
    expect((await t.control('POST', '/_control/faults', { path: '.*' })).status).toBe(400);
  });

  test('the control API itself is never faulted', async () => {
    await t.control('POST', '/_control/faults', { path: '.*', status: 500, times: 5 });
    expect((await t.control('GET', '/_control/clock')).status).toBe(200);
    expect((await t.control('GET', '/_control/faults')).json.value[0].remaining).toBe(5);
  });
});

describe('request log', () => {
  test('records method, path, status and user agent of answered requests, filterable, without the control API', async () => {
    await t.control('DELETE', '/_control/requests');
    await call(`${t.url}${alexPath}`, { headers: { Authorization: `Bearer ${app}`, 'User-Agent': 'headshot-test/1' } });
    await t.graph(undefined, 'GET', alexPath);
    await t.graph(app, 'GET', '/v1.0/users?$top=1');
    const all = await t.control('GET', '/_control/requests');
    expect(
      all.json.value.map((r: { method: string; path: string; status: number }) => [r.method, r.path, r.status]),
    ).toEqual([
      ['GET', alexPath, 200],
      ['GET', alexPath, 401],
      ['GET', '/v1.0/users', 200],
    ]);
    expect(all.json.value[0].userAgent).toBe('headshot-test/1');
    expect(JSON.stringify(all.json)).not.toContain(app);
    const filtered = await t.control(
      'GET',
      `/_control/requests?method=GET&path=${encodeURIComponent('^/v1.0/users$')}`,
    );
    expect(filtered.json.value).toHaveLength(1);
  });
});

describe('virtual clock', () => {
  test('advancing past expiry makes a token 401 expired; new tokens work and carry the virtual time', async () => {
    const before = (await t.control('GET', '/_control/clock')).json.now as string;
    expect(Math.abs(Date.parse(before) - Date.now())).toBeLessThan(5000);
    await t.control('POST', '/_control/clock/advance', { seconds: 3598 });
    expect((await t.graph(app, 'GET', alexPath)).status).toBe(200);
    await t.control('POST', '/_control/clock/advance', { seconds: 5 });
    const expired = await t.graph(app, 'GET', alexPath);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/);
    const fresh = await t.appToken();
    expect((await t.graph(fresh, 'GET', alexPath)).status).toBe(200);
    const iat = JSON.parse(Buffer.from(fresh.split('.')[1] as string, 'base64url').toString()).iat as number;
    expect(iat * 1000 - Date.now()).toBeGreaterThan(3500 * 1000);
  });

  test('setting the clock moves photo timestamps', async () => {
    await t.control('POST', '/_control/clock', { now: '2030-01-02T03:04:05.000Z' });
    expect((await t.control('GET', '/_control/clock')).json.now.slice(0, 16)).toBe('2030-01-02T03:04');
    const token = await t.appToken();
    const jpeg = (await t.graph(token, 'GET', `/v1.0/users/${DEMO_USERS.megan}/photo/$value`)).bytes;
    await t.graph(token, 'PUT', `/v1.0/users/${DEMO_USERS.alex}/photo/$value`, {
      bytes: jpeg,
      contentType: 'image/jpeg',
    });
    const info = await t.control('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`);
    expect(info.json.updatedAt.slice(0, 16)).toBe('2030-01-02T03:04');
    expect((await t.control('POST', '/_control/clock', { now: 'yesterday' })).status).toBe(400);
  });
});
