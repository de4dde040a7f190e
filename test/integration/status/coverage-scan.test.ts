/**
 * The batched photo scan against the real local tenant with throttling on: $batch of 20, at
 * most 4 in flight, every inner 429 retried after its own Retry-After, and a result that is
 * exactly what the tenant holds.
 */
import { DEMO_APP, startLocalTenant, type LocalTenant, type OrgSeed, type SeedUser } from '../../../emulator';
import type { PhotoEvidenceReader } from '../../../bot/src/core/status/evidence-ports';
import { createGraphClient } from '../../../bot/src/m365/graph-client';
import { GraphBatchRunner } from '../../../bot/src/m365/graph-batch';
import { GraphPhotoEvidenceReader } from '../../../bot/src/m365/graph-photo-evidence';
import { LocalClientCredentials } from '../../../bot/src/m365/token-source';

/** The reader's scan of `ids`, with counts of what it found. */
async function scanCoverage(reader: PhotoEvidenceReader, ids: string[]) {
  const { photos, stats } = await reader.scan(ids);
  const found = ids.map((id) => photos.get(id));
  const summary = {
    users: ids.length,
    withPhoto: found.filter((p) => p?.ok && p.value !== null).length,
    withoutPhoto: found.filter((p) => p?.ok && p.value === null).length,
    unknown: found.filter((p) => !p?.ok).length,
  };
  return { summary, photos, stats };
}

const TENANT = 'scan-tenant';
const USERS = 100;

function seed(): OrgSeed {
  const users: SeedUser[] = Array.from({ length: USERS }, (_, i) => ({
    id: `u${i}`,
    upn: `user${i}@scan.test`,
    displayName: `User ${i}`,
    givenName: null,
    surname: null,
    mail: `user${i}@scan.test`,
    userType: 'Member',
    preferredLanguage: 'en-US',
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    mailbox: i % 10 === 9 ? 'none' : 'online',
    ...(i % 3 === 0 ? { photo: { size: 96, color: '#336699' } } : {}),
  }));
  return {
    tenantId: TENANT,
    domain: 'scan.test',
    users,
    apps: [{ ...DEMO_APP, displayName: 'Headshot', roles: ['User.Read.All', 'ProfilePhoto.Read.All'] }],
  };
}

let tenant: LocalTenant;
let reader: GraphPhotoEvidenceReader;
const realFetch = globalThis.fetch;
let inFlight = 0;
let maxInFlight = 0;
let largestBatch = 0;

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, seed: seed() });
  const graph = createGraphClient({
    baseUrl: tenant.url,
    tokens: new LocalClientCredentials(tenant.url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret),
  });
  const runner = new GraphBatchRunner(graph, { maxAttempts: 10, maxRetryAfterSeconds: 5 });
  reader = new GraphPhotoEvidenceReader(runner, runner);
  // Watch what the client sends: batches in flight and their sizes.
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/$batch')) return realFetch(input, init);
    largestBatch = Math.max(largestBatch, (JSON.parse(String(init?.body)) as { requests: unknown[] }).requests.length);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      return await realFetch(input, init);
    } finally {
      inFlight--;
    }
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await tenant.close();
});

test('throttled to 40 photo requests a second, the scan still reports exactly what the tenant holds', async () => {
  await realFetch(`${tenant.url}/_control/throttling`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ photoRequestsPerSecond: 40 }),
  });
  const ids = Array.from({ length: USERS }, (_, i) => `u${i}`);
  const { summary, photos, stats } = await scanCoverage(reader, ids);

  expect(summary).toEqual({ users: USERS, withPhoto: 34, withoutPhoto: 66, unknown: 0 });
  for (let i = 0; i < USERS; i++)
    expect(photos.get(`u${i}`)).toEqual(
      i % 3 === 0 ? { ok: true, value: expect.objectContaining({ width: 96, height: 96 }) } : { ok: true, value: null },
    );
  // Throttling happened, every 429 was retried on its own, and the rules held.
  expect(stats.throttled).toBeGreaterThan(0);
  expect(stats.retried).toBe(stats.throttled);
  expect(stats.innerRequests).toBe(USERS + stats.retried);
  const tenantSays = (await (await realFetch(`${tenant.url}/_control/throttling`)).json()) as { throttled: number };
  expect(tenantSays.throttled).toBe(stats.throttled);
  expect(largestBatch).toBe(20);
  expect(maxInFlight).toBeLessThanOrEqual(4);
  expect(stats.httpRequests).toBeLessThan(stats.innerRequests / 10);
});

test('a request that keeps failing is reported as unknown for that user; the scan does not throw', async () => {
  await realFetch(`${tenant.url}/_control/throttling`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ photoRequestsPerSecond: null }),
  });
  await realFetch(`${tenant.url}/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '^/v1.0/users/u7/photo$', status: 500, times: 100 }),
  });
  const { summary, photos } = await scanCoverage(reader, ['u6', 'u7', 'u8']);
  expect(summary).toEqual({ users: 3, withPhoto: 1, withoutPhoto: 1, unknown: 1 });
  expect(photos.get('u7')).toMatchObject({ ok: false, error: { code: 'm365.unexpected', retryable: false } });
});
