/**
 * An import under faults (docs/import.md): Graph's write limits with 429 and Retry-After, a restart while rows wait
 * and while a write is in flight (each photo written once), cancel, and the approval option.
 */
import fs from 'node:fs';
import { importCommand } from '../../../bot/src/cli/import-command';
import { DEMO_USERS } from '../../../emulator';
import { photoWrites } from '../../support/approvals';
import { until } from '../../support/broadcasts';
import { startHarness, useHarness, type Harness } from '../../support/headshot';
import { PHOTOS, forgetImports, photoFolder } from '../../support/import-files';

const h = useHarness(
  { IMPORT_POLL_MS: '50', FACE_CHECK: '0', IMPORT_LEASE_SECONDS: '5' },
  { shutdownGraceMs: 0 },
  forgetImports,
);
const { alex, adele, isaiah, megan } = DEMO_USERS;
const PEOPLE = [alex, adele, isaiah, megan];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A folder with one photo for each of four demo people, named by UPN. */
function fourPhotos(): string {
  const dir = photoFolder({
    'alexw@example.com.jpg': PHOTOS[0]!,
    'adelev@example.com.jpg': PHOTOS[1]!,
    'isaiahl@example.com.jpg': PHOTOS[2]!,
    'meganb@example.com.jpg': PHOTOS[3]!,
  });
  dirs.push(dir);
  return dir;
}

async function cli(harness: Harness, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await importCommand([...args, '--as', 'pattif@example.com'], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: { DATA_DIR: harness.dataDir, LOCAL_TENANT_URL: harness.tenant.url, PLAYGROUND: '0', FACE_CHECK: '0' },
  });
  return { code, out, err };
}

/** The import's id from `--no-wait --json` output. */
const idOf = (out: string): string => (JSON.parse(out) as { job: { id: string } }).job.id;

async function state(id: string): Promise<string> {
  return (await h.service.imports.service.job(id)).state;
}

test('over Graph’s directory write limit: 429s are waited out (Retry-After), every photo is written once', async () => {
  await h.control('PUT', '/_control/throttling/directory-writes', {
    limits: { perApp: { limit: 2, windowSeconds: 2 }, perTenant: { limit: 100, windowSeconds: 300 } },
  });
  const started = Date.now();
  const r = await cli(h, fourPhotos(), '--json');
  expect(r.code).toBe(0);
  for (const id of PEOPLE) expect((await photoWrites(h, id)).filter((s) => s === 200)).toHaveLength(1);
  const limits = await h.control<{ throttled: number; lowPriority: number }>(
    'GET',
    '/_control/throttling/directory-writes',
  );
  expect(limits.throttled).toBeGreaterThan(0);
  expect(limits.lowPriority).toBe(4);
  // Two writes per 2 s: the last two had to wait for the window.
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
});

test('the service paces within IMPORT_WRITES_PER_150S: no 429 while it stays below the limit; cancel stops it', async () => {
  const paced = await startHarness({ IMPORT_POLL_MS: '50', FACE_CHECK: '0', IMPORT_WRITES_PER_150S: '3' });
  try {
    // The service allows itself 2 writes per 150 s (3 less the 10% headroom): two are written, two wait, unrefused.
    const id = idOf((await cli(paced, fourPhotos(), '--no-wait', '--json')).out);
    const progress = () => paced.service.imports.service.progress(id);
    await until(async () => (await progress()).counts.outcomes.applied === 2, 10_000);
    await new Promise((res) => setTimeout(res, 500));
    expect((await progress()).counts.outcomes).toMatchObject({ applied: 2, waiting: 2 });
    const limits = await paced.control<{ throttled: number }>('GET', '/_control/throttling/directory-writes');
    expect(limits.throttled).toBe(0);
    expect((await cli(paced, 'cancel', id)).code).toBe(0);
    expect((await progress()).job.state).toBe('cancelled');
    expect((await progress()).counts.outcomes).toMatchObject({ applied: 2, cancelled: 2 });
  } finally {
    await paced.close();
  }
});

test('a restart while rows wait: the next service goes on, and nobody is written twice', async () => {
  await h.control('PUT', '/_control/throttling/directory-writes', {
    limits: { perApp: { limit: 1, windowSeconds: 3 }, perTenant: { limit: 100, windowSeconds: 300 } },
  });
  const id = idOf((await cli(h, fourPhotos(), '--no-wait', '--json')).out);
  await until(async () => (await h.service.imports.service.progress(id)).counts.outcomes.applied >= 1, 10_000);
  await h.restart();
  // The dead owner's lease runs out on the service's clock.
  h.clock.advance(10_000);
  await until(async () => (await state(id)) === 'done', 30_000, 'the import to finish');
  for (const person of PEOPLE) expect((await photoWrites(h, person)).filter((s) => s === 200)).toHaveLength(1);
});

test('a restart while a write is in flight: the photo that went through is not written again', async () => {
  // Every photo write takes 1.5 s; the service stops while the first is on its way.
  await h.control('POST', '/_control/faults', { method: 'PUT', path: '/photo/\\$value', latencyMs: 1_500, times: 1 });
  const id = idOf((await cli(h, fourPhotos(), '--no-wait', '--json')).out);
  await until(
    async () => (await h.service.imports.service.progress(id)).counts.outcomes.writing === 1,
    10_000,
    'a write in flight',
  );
  await h.restart();
  h.clock.advance(10_000);
  await until(async () => (await state(id)) === 'done', 30_000, 'the import to finish');
  for (const person of PEOPLE) expect((await photoWrites(h, person)).filter((s) => s === 200)).toHaveLength(1);
  const p = await h.service.imports.service.progress(id);
  expect(p.counts.outcomes.applied).toBe(4);
});

test('--approval sends each photo to the person’s manager instead of writing it', async () => {
  const dir = photoFolder({ 'alexw@example.com.jpg': PHOTOS[0]! });
  dirs.push(dir);
  const r = await cli(h, dir, '--approval', '--json');
  expect(r.code).toBe(0);
  const items = (JSON.parse(r.out) as { items: Array<{ outcome: string; requestId: string }> }).items;
  expect(items[0]).toMatchObject({ outcome: 'sent_for_approval' });
  expect(await photoWrites(h, alex)).toEqual([]);
  const request = await h.service.photos.get(items[0]!.requestId);
  expect(request).toMatchObject({ state: 'pending_approval', source: 'import', flow: 'approval' });
  // The same file again waits for that decision: nothing new is sent.
  const again = await cli(h, dir, '--dry-run', '--json');
  expect(JSON.parse(again.out)).toMatchObject({ items: [{ plan: 'unchanged', reason: 'awaiting_approval' }] });
  // Megan (Alex's manager) approves: the photo is written, and the same file is then simply unchanged.
  await h.service.approvals.decide(items[0]!.requestId, megan, 'approve');
  await until(async () => (await photoWrites(h, alex)).length === 1, 10_000, 'the approved write');
  const approved = await cli(h, dir, '--dry-run', '--json');
  expect(JSON.parse(approved.out)).toMatchObject({ items: [{ plan: 'unchanged', reason: 'same_file' }] });
});

test('--approval, rejected: the next run sees the person as new again', async () => {
  const dir = photoFolder({ 'alexw@example.com.jpg': PHOTOS[1]! });
  dirs.push(dir);
  const sent = JSON.parse((await cli(h, dir, '--approval', '--json')).out) as { items: Array<{ requestId: string }> };
  await h.service.approvals.decide(sent.items[0]!.requestId, megan, 'reject', 'Not a work photo');
  const next = await cli(h, dir, '--dry-run', '--json');
  expect(JSON.parse(next.out)).toMatchObject({ items: [{ plan: 'new' }] });
  expect(await photoWrites(h, alex)).toEqual([]);
});
