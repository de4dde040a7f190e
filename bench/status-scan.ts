/**
 * Benchmark: scanning many users' photos for the admin coverage view, in one run against the
 * local tenant with 10,000 users and photo throttling on:
 *   batched:  the product's scanner ($batch of 20, at most 4 in flight, each inner 429 retried
 *             after its own Retry-After)
 *   per user: one GET /users/{id}/photo per user, 4 in flight, each 429 retried after Retry-After
 * Prints users/s, HTTP requests sent and 429s received for each, and their ratios. Both must
 * report exactly what the tenant holds. Figures, never a gate.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/status-scan.ts --bundle --platform=node --packages=external --outfile=/tmp/status-scan.js \
 *     && NODE_PATH=node_modules node /tmp/status-scan.js
 * Knobs: USERS (10000), RATE (photo requests per second per app, 300: below what either mode reaches
 * unthrottled here, so throttling decides), WITH_PHOTO (1 in N users has a photo, 3).
 */
import { DEMO_APP, startLocalTenant, type OrgSeed } from '../emulator';
import { benchUsers } from './bench-users';
import { createGraphClient } from '../bot/src/m365/graph-client';
import { GraphBatchRunner, PHOTO_CONCURRENCY } from '../bot/src/m365/graph-batch';
import { GraphPhotoEvidenceReader } from '../bot/src/m365/graph-photo-evidence';

/** Counts over the scanned users: exactly what the tenant answered. */
interface CoverageSummary {
  users: number;
  withPhoto: number;
  withoutPhoto: number;
  unknown: number;
}
import { LocalClientCredentials } from '../bot/src/m365/token-source';

const USERS = Number(process.env.USERS ?? 10_000);
const RATE = Number(process.env.RATE ?? 300);
const WITH_PHOTO = Number(process.env.WITH_PHOTO ?? 3);
const TENANT = 'bench-tenant';

interface Figures {
  seconds: number;
  usersPerSecond: number;
  requests: number;
  throttled: number;
  summary: CoverageSummary;
}

function seed(): OrgSeed {
  const users = benchUsers(USERS, (i) => (i % WITH_PHOTO === 0 ? { photo: { size: 96, color: '#2b579a' } } : {}));
  return {
    tenantId: TENANT,
    domain: 'bench.test',
    users,
    apps: [{ ...DEMO_APP, displayName: 'Headshot', roles: ['User.Read.All', 'ProfilePhoto.Read.All'] }],
  };
}

/** One request per user, `concurrency` at a time, each 429 retried after its Retry-After. */
async function perUser(
  url: string,
  tokens: LocalClientCredentials,
  ids: string[],
): Promise<Omit<Figures, 'seconds' | 'usersPerSecond'>> {
  let next = 0;
  let requests = 0;
  let throttled = 0;
  const summary: CoverageSummary = { users: ids.length, withPhoto: 0, withoutPhoto: 0, unknown: 0 };
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      for (let attempt = 1; ; attempt++) {
        const token = await tokens.getToken('https://graph.microsoft.com/.default');
        requests++;
        const res = await fetch(`${url}/v1.0/users/${encodeURIComponent(id)}/photo`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        if (res.status === 429 && attempt < 10) {
          throttled++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
          continue;
        }
        if (res.status === 200) summary.withPhoto++;
        else if (res.status === 404) summary.withoutPhoto++;
        else summary.unknown++;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: PHOTO_CONCURRENCY }, worker));
  return { requests, throttled, summary };
}

async function timed<T extends Omit<Figures, 'seconds' | 'usersPerSecond'>>(run: () => Promise<T>): Promise<Figures> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  return { ...result, seconds, usersPerSecond: USERS / seconds };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const started = performance.now();
  const tenant = await startLocalTenant({ port: 0, seed: seed() });
  const seeded = (performance.now() - started) / 1000;
  const control = (path: string, body: unknown) =>
    fetch(`${tenant.url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await control('/_control/throttling', { photoRequestsPerSecond: RATE });

  const tokens = new LocalClientCredentials(tenant.url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret);
  const graph = createGraphClient({ baseUrl: tenant.url, tokens });
  const runner = new GraphBatchRunner(graph, { maxAttempts: 10, maxRetryAfterSeconds: 60 });
  const reader = new GraphPhotoEvidenceReader(runner, runner);
  const ids = Array.from({ length: USERS }, (_, i) => `user-${i}`);
  const truth: CoverageSummary = {
    users: USERS,
    withPhoto: Math.ceil(USERS / WITH_PHOTO),
    withoutPhoto: USERS - Math.ceil(USERS / WITH_PHOTO),
    unknown: 0,
  };
  await tokens.getToken('https://graph.microsoft.com/.default');

  const batched = await timed(async () => {
    const { photos, stats } = await reader.scan(ids);
    const summary: CoverageSummary = { users: ids.length, withPhoto: 0, withoutPhoto: 0, unknown: 0 };
    for (const id of ids) {
      const p = photos.get(id);
      if (!p?.ok) summary.unknown++;
      else if (p.value === null) summary.withoutPhoto++;
      else summary.withPhoto++;
    }
    return { requests: stats.httpRequests, throttled: stats.throttled, summary, inner: stats.innerRequests };
  });
  await pause(2000); // let the bucket fill again: both runs start alike
  const single = await timed(() => perUser(tenant.url, tokens, ids));
  await tenant.close();

  const row = (name: string, f: Figures) =>
    `${name.padEnd(10)} ${f.seconds.toFixed(1).padStart(8)} ${f.usersPerSecond.toFixed(0).padStart(8)} ${String(f.requests).padStart(10)} ${String(f.throttled).padStart(8)}   ${JSON.stringify(f.summary) === JSON.stringify(truth) ? 'exact' : `WRONG ${JSON.stringify(f.summary)}`}`;
  const lines = [
    `status-scan: ${USERS} users (1 in ${WITH_PHOTO} with a photo), photo throttling ${RATE} requests/s per app, ${PHOTO_CONCURRENCY} in flight; seeded in ${seeded.toFixed(1)} s`,
    `mode       seconds  users/s   requests      429s   result`,
    row('batched', batched),
    row('per user', single),
    `ratios (batched / per user): users/s x${(batched.usersPerSecond / single.usersPerSecond).toFixed(2)}, requests x${(batched.requests / single.requests).toFixed(3)}, 429s x${(batched.throttled / Math.max(1, single.throttled)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`status-scan failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
