/** LocalClientCredentials against a real local tenant's token endpoint. */
import { decodeJwt } from 'jose';
import { DEMO_APP, DEMO_TENANT_ID, startLocalTenant, type LocalTenant } from '../../../emulator';
import { AppError } from '../../../bot/src/core/errors';
import { LocalClientCredentials } from '../../../bot/src/m365/token-source';

const GRAPH = 'https://graph.microsoft.com/.default';
const CONNECTOR = 'https://api.botframework.com/.default';

let tenant: LocalTenant;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
});
afterAll(() => tenant.close());
beforeEach(async () => {
  await fetch(`${tenant.url}/_control/reset`, { method: 'POST' });
});

/** Token requests the tenant answered, with their status. */
async function tokenRequests(): Promise<number[]> {
  const res = await fetch(
    `${tenant.url}/_control/requests?method=POST&path=${encodeURIComponent('/oauth2/v2.0/token$')}`,
  );
  return ((await res.json()) as { value: { status: number }[] }).value.map((r) => r.status);
}

const credentials = (now?: () => number, secret: string = DEMO_APP.clientSecret) =>
  new LocalClientCredentials(tenant.url, DEMO_TENANT_ID, DEMO_APP.clientId, secret, now);

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

test('gets an app token for the scope from the token endpoint and then serves it from the cache', async () => {
  const tokens = credentials();
  const token = await tokens.getToken(GRAPH);
  const claims = decodeJwt(token);
  expect(claims.aud).toBe('https://graph.microsoft.com');
  expect(claims.roles).toEqual(expect.arrayContaining(['ProfilePhoto.ReadWrite.All']));
  expect(await tokens.getToken(GRAPH)).toBe(token);
  expect(await tokens.getToken(GRAPH)).toBe(token);
  expect(await tokenRequests()).toEqual([200]);
});

test('each scope has its own token', async () => {
  const tokens = credentials();
  const graph = await tokens.getToken(GRAPH);
  const connector = await tokens.getToken(CONNECTOR);
  expect(decodeJwt(connector).aud).toBe('https://api.botframework.com');
  expect(connector).not.toBe(graph);
  expect(await tokens.getToken(GRAPH)).toBe(graph);
  expect(await tokenRequests()).toEqual([200, 200]);
});

test('refreshes five minutes before the token runs out, not earlier', async () => {
  let now = Date.parse('2025-03-01T09:00:00Z');
  const tokens = credentials(() => now);
  const first = await tokens.getToken(GRAPH);
  const lifetimeMs = ((decodeJwt(first).exp as number) - (decodeJwt(first).iat as number)) * 1000;
  const refreshAt = now + lifetimeMs - 5 * 60_000;

  now = refreshAt - 1;
  expect(await tokens.getToken(GRAPH)).toBe(first);
  expect(await tokenRequests()).toEqual([200]);

  now = refreshAt;
  await tokens.getToken(GRAPH);
  expect(await tokenRequests()).toEqual([200, 200]);
  now = refreshAt + 1000;
  await tokens.getToken(GRAPH);
  expect(await tokenRequests()).toEqual([200, 200]);
});

test('concurrent callers share one token request', async () => {
  const tokens = credentials();
  const all = await Promise.all(Array.from({ length: 8 }, () => tokens.getToken(GRAPH)));
  expect(new Set(all).size).toBe(1);
  expect(await tokenRequests()).toEqual([200]);
});

test('a wrong secret is an AppError that names no secret, shared by concurrent callers and not cached', async () => {
  const tokens = credentials(undefined, 'not-the-secret');
  const errors = await Promise.all([failure(tokens.getToken(GRAPH)), failure(tokens.getToken(GRAPH))]);
  for (const e of errors) {
    expect(e).toMatchObject({ code: 'm365.forbidden', retryable: false, status: 502 });
    expect(e.message).not.toContain('not-the-secret');
  }
  expect(await tokenRequests()).toEqual([401]);
  // The failure is not remembered: the next call asks again.
  await failure(tokens.getToken(GRAPH));
  expect(await tokenRequests()).toEqual([401, 401]);
});

test('a token endpoint that is down is retryable', async () => {
  await fetch(`${tenant.url}/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/oauth2/v2.0/token$', status: 503, times: 1 }),
  });
  const tokens = credentials();
  expect(await failure(tokens.getToken(GRAPH))).toMatchObject({ code: 'm365.unavailable', retryable: true });
  expect(decodeJwt(await tokens.getToken(GRAPH)).aud).toBe('https://graph.microsoft.com');
});

test('a token endpoint nobody listens on is retryable', async () => {
  const gone = await startLocalTenant({ port: 0 });
  await gone.close();
  const tokens = new LocalClientCredentials(gone.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret);
  expect(await failure(tokens.getToken(GRAPH))).toMatchObject({ code: 'm365.unavailable', retryable: true });
});
