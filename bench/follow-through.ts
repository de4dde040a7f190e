/**
 * Benchmark: the read budget of follow-through when a broadcast or an import changes many photos at once. In one run
 * against the local tenant (USERS people, each given a new photo through Graph, photo throttling on):
 *   follow-through: the product's first check of every change (FollowThrough.runDue: user, mailbox settings and the
 *                   48x48 photo of 100 people per claim, in `$batch`es of 20, at most 4 in flight)
 *   per change:     what checking each change with a status report's Graph part would cost (one `$batch` of four per
 *                   person: user, photo, 48x48 photo, mailbox settings; 4 in flight)
 * Both must find every new photo. Prints seconds, HTTP requests and inner requests per change, 429s, and their ratios.
 * SharePoint is left out of both: `userphoto.aspx` is one GET per person and check whatever the mode (no batch can
 * carry it). Figures, never a gate.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/follow-through.ts --bundle --platform=node --packages=external --outfile=/tmp/follow-through.js \
 *     && NODE_PATH=node_modules node /tmp/follow-through.js
 * Knobs: USERS (2000), RATE (photo requests per second per app, 300, as bench/status-scan.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DEMO_APP, startLocalTenant, type OrgSeed } from '../emulator';
import { benchUsers } from './bench-users';
import { FollowThrough } from '../bot/src/core/status/follow-through';
import { samePicture } from '../bot/src/core/status/picture-match';
import { createGraphClient } from '../bot/src/m365/graph-client';
import { GraphBatchRunner, PHOTO_CONCURRENCY } from '../bot/src/m365/graph-batch';
import { GraphPhotoEvidenceReader } from '../bot/src/m365/graph-photo-evidence';
import { LocalClientCredentials } from '../bot/src/m365/token-source';
import { SharpPictureTools } from '../bot/src/photo/picture-tools';
import { SqlFollowUps } from '../bot/src/store/sql-follow-ups';
import { SqliteDb } from '../bot/src/store/sql/sqlite-db';

const USERS = Number(process.env.USERS ?? 2000);
const RATE = Number(process.env.RATE ?? 300);
const TENANT = 'bench-tenant';

function seed(): OrgSeed {
  const users = benchUsers(USERS, () => ({ photo: { size: 96, color: '#2b579a' } }));
  return {
    tenantId: TENANT,
    domain: 'bench.test',
    users,
    apps: [
      {
        ...DEMO_APP,
        displayName: 'Headshot',
        roles: ['User.Read.All', 'ProfilePhoto.ReadWrite.All', 'MailboxSettings.Read'],
      },
    ],
  };
}

/** A new photo: a 648 px square, light on the left and dark on the right (unlike the seed's flat colour). */
async function newPhoto(): Promise<Buffer> {
  const half = await sharp({ create: { width: 324, height: 648, channels: 3, background: '#202020' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 648, height: 648, channels: 3, background: '#f0f0f0' } })
    .composite([{ input: half, left: 324, top: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

interface Figures {
  seconds: number;
  http: number;
  inner: number;
  throttled: number;
  found: number;
}

async function main(): Promise<void> {
  const tenant = await startLocalTenant({ port: 0, seed: seed() });
  const control = (method: string, p: string, body?: unknown) =>
    fetch(`${tenant.url}${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const tokens = new LocalClientCredentials(tenant.url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret);
  const graph = createGraphClient({ baseUrl: tenant.url, tokens });
  const ids = Array.from({ length: USERS }, (_, i) => `user-${i}`);

  // The changes: every person's new photo, written through Graph as an apply does.
  const photo = await newPhoto();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        await graph.api(`/users/${id}/photo/$value`).header('content-type', 'image/jpeg').put(photo);
      }
    }),
  );
  const tools = new SharpPictureTools();
  const expected = await tools.hash(photo);
  await control('PUT', '/_control/throttling', { photoRequestsPerSecond: RATE });

  const requests = async (): Promise<{ http: number; inner: number; throttled: number }> => {
    const { value } = (await (await control('GET', '/_control/requests')).json()) as {
      value: { method: string; path: string; status: number }[];
    };
    const http = value.filter((r) => r.method === 'POST' && /\/\$batch$/.test(r.path)).length;
    return { http, inner: value.length - http, throttled: value.filter((r) => r.status === 429).length };
  };

  // Follow-through: the first check of every change.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-follow-'));
  const db = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  const store = new SqlFollowUps(db);
  const changedAt = new Date();
  let now = changedAt;
  const reader = new GraphPhotoEvidenceReader(
    new GraphBatchRunner(graph, { maxAttempts: 3, maxRetryAfterSeconds: 5 }),
    new GraphBatchRunner(graph, { maxAttempts: 10, maxRetryAfterSeconds: 60 }),
  );
  const followThrough = new FollowThrough({
    store,
    reader,
    hash: (bytes) => tools.hash(bytes),
    report: async () => {
      throw new Error('every photo shows at the first check: no report is needed');
    },
    messenger: { visible: async () => true, notYet: async () => true },
    muted: async () => false,
    clock: { now: () => now },
    schedule: { everyHours: 6, limitHours: 72 },
    owner: 'bench',
    batchSize: 100,
    sharePointConcurrency: 4,
  });
  for (const id of ids)
    await followThrough.watch({ id: `change-${id}`, userId: id, kind: 'self_service', locale: 'en', changedAt }, photo);
  now = new Date(changedAt.getTime() + 60_000);
  await tokens.getToken('https://graph.microsoft.com/.default');

  await control('DELETE', '/_control/requests');
  let started = performance.now();
  let checked = 0;
  while (checked < USERS) {
    const n = await followThrough.runDue();
    if (n === 0) break;
    checked += n;
  }
  const batchedSeconds = (performance.now() - started) / 1000;
  const batched: Figures = {
    seconds: batchedSeconds,
    ...(await requests()),
    found: (await store.since(changedAt, USERS + 1)).filter((f) => f.systems.exchange.state === 'visible').length,
  };
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // Per change: the status report's Graph part for each person.
  await new Promise((r) => setTimeout(r, 2000)); // the throttling bucket fills again: both start alike
  await control('DELETE', '/_control/requests');
  started = performance.now();
  let found = 0;
  next = 0;
  await Promise.all(
    Array.from({ length: PHOTO_CONCURRENCY }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const evidence = await reader.read(id);
        const small = evidence.photo.ok ? evidence.photo.value?.small : null;
        if (small && samePicture(await tools.hash(small), expected)) found++;
      }
    }),
  );
  const single: Figures = { seconds: (performance.now() - started) / 1000, ...(await requests()), found };
  await tenant.close();

  const row = (name: string, f: Figures) =>
    `${name.padEnd(15)} ${f.seconds.toFixed(1).padStart(7)} ${(f.http / USERS).toFixed(3).padStart(13)} ${(f.inner / USERS).toFixed(2).padStart(14)} ${String(f.throttled).padStart(6)}   ${f.found === USERS ? 'all found' : `FOUND ${f.found} of ${USERS}`}`;
  const lines = [
    `follow-through: ${USERS} changed photos, first check; photo throttling ${RATE} requests/s per app`,
    `mode            seconds  HTTP/change  inner/change   429s   result`,
    row('follow-through', batched),
    row('per change', single),
    `ratios (follow-through / per change): seconds x${(batched.seconds / single.seconds).toFixed(2)}, HTTP requests x${(batched.http / single.http).toFixed(3)}, inner requests x${(batched.inner / single.inner).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
