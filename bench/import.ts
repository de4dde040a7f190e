/**
 * Benchmark of bulk import (docs/import.md). Figures, never a gate. One run:
 *   - COUNT photos (10,000) named after COUNT people of a local tenant (in its own process: its memory is not
 *     the product's) that enforces Graph's directory write limits (3,000 per 150 s per app, 18,000 per 5 minutes
 *     per tenant, the defaults);
 *   - the service (the product as `npm start` runs it, face check off) checks the folder and writes every photo;
 *   - the same folder again: the check, and how many writes it made (none expected).
 * Printed: the check's time, the writing's time, photos written per minute and that rate as a share of the write
 * limit (1,200 a minute), 429s, the service process's peak RSS, the second run's time and writes.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/import.ts --bundle --platform=node --packages=external --outfile=node_modules/.bench/import.js \
 *     && node node_modules/.bench/import.js
 * Knobs: COUNT (10000), SIDE (256, the photos' side in px).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  DEMO_APP,
  DEMO_APP_ROLES,
  DEMO_TEAMS_APP_ID,
  DEMO_TENANT_ID,
  startLocalTenant,
  type OrgSeed,
} from '../emulator';
import { loadConfig } from '../bot/src/config';
import { startTenantProcess } from './tenant-process';
import { createLogger } from '../bot/src/logger';
import { startHeadshot } from '../bot/src/wiring/service';
import { openImportSource } from '../bot/src/photo/photo-archive';
import { benchUsers } from './bench-users';

const COUNT = Number(process.env.COUNT ?? 10_000);
const SIDE = Number(process.env.SIDE ?? 256);
/** Graph's per-app directory write limit, a minute. */
const LIMIT_PER_MINUTE = (3_000 / 150) * 60;

function seed(): OrgSeed {
  return {
    // The demo tenant and app: the service in local mode signs in as the demo app of the demo tenant.
    tenantId: DEMO_TENANT_ID,
    domain: 'bench.test',
    users: benchUsers(
      COUNT,
      () => ({}),
      (i) => String(i).padStart(5, '0'),
    ),
    apps: [{ ...DEMO_APP, displayName: 'Headshot', roles: [...DEMO_APP_ROLES] }],
    teamsApps: [{ id: DEMO_TEAMS_APP_ID, externalId: DEMO_APP.clientId, displayName: 'Headshot' }],
  };
}

/** COUNT distinct photos (random 8x8 colour blocks, enlarged), named by UPN. */
async function makePhotos(dir: string): Promise<void> {
  for (let i = 0; i < COUNT; i++) {
    const raw = Buffer.alloc(8 * 8 * 3);
    for (let k = 0; k < raw.length; k++) raw[k] = Math.floor(Math.random() * 256);
    const jpeg = await sharp(raw, { raw: { width: 8, height: 8, channels: 3 } })
      .resize(SIDE, SIDE, { kernel: 'cubic' })
      .jpeg({ quality: 85 })
      .toBuffer();
    fs.writeFileSync(path.join(dir, `user${i}@bench.test.jpg`), jpeg);
  }
}

function peakRssMb(): number {
  const line = fs
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  if (process.env.BENCH_ROLE === 'tenant') {
    const tenant = await startLocalTenant({ port: 0, seed: seed() });
    process.stdout.write(`TENANT ${tenant.url}\n`);
    process.once('SIGTERM', () => void tenant.close().then(() => process.exit(0)));
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-import-bench-'));
  const photos = path.join(work, 'photos');
  fs.mkdirSync(photos);
  let t = Date.now();
  await makePhotos(photos);
  process.stdout.write(`import: ${COUNT} photos of ${SIDE} px made in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  const tenant = await startTenantProcess(['--max-old-space-size=4096']);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: path.join(work, 'data'),
    PLAYGROUND: '0',
    FACE_CHECK: '0',
    FOLLOW_THROUGH: '0',
    LOG_LEVEL: 'silent',
    IMPORT_POLL_MS: '200',
  });
  const service = await startHeadshot(config, { localTenantUrl: tenant.url, logger: createLogger('silent') });
  const imports = service.imports.service;
  const options = { match: 'auto' as const, onlyMissing: false, overwriteChanged: false, approval: false };
  const puts = async (): Promise<{ accepted: number; throttled: number }> =>
    (await (await fetch(`${tenant.url}/_control/throttling/directory-writes`)).json()) as {
      accepted: number;
      throttled: number;
    };

  const run = async (label: string): Promise<void> => {
    const before = await puts();
    const source = await openImportSource(photos, service.imports.limits);
    const job = await imports.create('bench-admin', 'photos', options, 'en', 'bench');
    t = Date.now();
    await imports.check(job.id, source, 'bench');
    const checkSeconds = (Date.now() - t) / 1000;
    const checked = await imports.progress(job.id);
    if (checked.job.state !== 'checked') throw new Error(`the check ended ${checked.job.state}: ${checked.job.error}`);
    t = Date.now();
    const { queued } = await imports.apply(job.id, 'bench-admin');
    for (;;) {
      const p = await imports.progress(job.id);
      if (p.job.state === 'done') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const writeSeconds = (Date.now() - t) / 1000;
    const after = await puts();
    const done = await imports.progress(job.id);
    const written = done.counts.outcomes.applied;
    const perMinute = writeSeconds > 0 ? (written / writeSeconds) * 60 : 0;
    process.stdout.write(
      [
        `${label}:`,
        `  check: ${checked.counts.files} files in ${checkSeconds.toFixed(1)} s (${(checked.counts.files / checkSeconds).toFixed(1)} files/s); plans ${JSON.stringify(
          Object.fromEntries(Object.entries(checked.counts.plans).filter(([, n]) => n > 0)),
        )}`,
        `  write: ${queued} queued, ${written} written in ${writeSeconds.toFixed(1)} s; ${perMinute.toFixed(0)} photos/min = ${(perMinute / LIMIT_PER_MINUTE).toFixed(3)} of the write limit (${LIMIT_PER_MINUTE}/min); photo writes seen by the tenant ${after.accepted - before.accepted}, 429s ${after.throttled - before.throttled}`,
        `  total ${(checkSeconds + writeSeconds).toFixed(1)} s; service process peak RSS so far ${peakRssMb().toFixed(0)} MB`,
        '',
      ].join('\n'),
    );
  };
  await run('first run');
  await run('second run (same folder)');
  await service.close();
  await tenant.close();
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
