/**
 * Benchmark of the face check (photo guidelines). Figures, never a gate. In one run:
 *   quality:  the labelled set (test/fixtures/faces, SOURCES.md) and single portraits cut from its
 *             group photos, each through SharpImageProcessor.prepare with the face check: precision
 *             and recall of `no_face` and `multiple_faces`, faces found against faces labelled, and
 *             how often the automatic square holds the whole labelled face of a single portrait.
 *   time:     prepare() of the six 1920 px group photos with and without the check, in interleaved
 *             rounds (a fresh FaceChecker each round, so its memory of answers never helps), and the ratio.
 *   memory:   peak RSS (VmHWM) of a child process preparing one photo, with and without the check.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/face-check.ts --bundle --platform=node --packages=external --outfile=/tmp/face-check.js \
 *     && NODE_PATH=node_modules node /tmp/face-check.js
 * Knobs: ROUNDS (5).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import sharp from 'sharp';
import { shareInside } from '../bot/src/core/photo/face-rules';
import type { PreparedPhoto } from '../bot/src/core/photo/pipeline-ports';
import { FaceChecker } from '../bot/src/photo/face-check';
import { WorkerFaceDetector } from '../bot/src/photo/face-detector';
import { SharpImageProcessor } from '../bot/src/photo/sharp-image-processor';
import { iou, labelledImages, portraitsFromGroups } from '../test/support/face-set';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const TIMEOUT_MS = 20_000;

function processor(faces?: FaceChecker): SharpImageProcessor {
  return new SharpImageProcessor({
    maxBytes: 20 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 96,
    background: '#ffffff',
    concurrency: 1,
    queueLimit: 64,
    ...(faces ? { faces } : {}),
  });
}

function ratio(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${n}/${d} = ${((100 * n) / d).toFixed(1)}%`;
}

async function quality(detector: WorkerFaceDetector): Promise<void> {
  const base = await labelledImages();
  const images = [...base, ...(await portraitsFromGroups(base))];
  const photos = processor(new FaceChecker(detector, TIMEOUT_MS));
  const count = { noFace: { tp: 0, fp: 0, fn: 0 }, multi: { tp: 0, fp: 0, fn: 0 } };
  let labelled = 0;
  let matched = 0;
  let found = 0;
  let portraits = 0;
  let whole = 0;
  let unavailable = 0;
  const misses: string[] = [];
  for (const image of images) {
    const photo: PreparedPhoto = await photos.prepare(new Uint8Array(image.bytes));
    const codes = new Set(photo.warnings.map((w) => w.code));
    const check = photo.faceCheck;
    if (check.status !== 'checked') {
      unavailable++;
      continue;
    }
    const tally = (c: { tp: number; fp: number; fn: number }, expected: boolean, said: boolean): void => {
      if (expected && said) c.tp++;
      else if (!expected && said) c.fp++;
      else if (expected && !said) c.fn++;
    };
    tally(count.noFace, image.faces.length === 0, codes.has('no_face'));
    tally(count.multi, image.kind === 'group', codes.has('multiple_faces'));
    if (image.faces.length === 0 && check.faces.length > 0)
      misses.push(`${image.name}: ${check.faces.length} face(s) found in a ${image.kind}`);
    if (image.faces.length > 0 && codes.has('no_face')) misses.push(`${image.name}: no face found`);
    if (image.kind === 'group' && !codes.has('multiple_faces')) misses.push(`${image.name}: no multiple_faces`);
    labelled += image.faces.length;
    found += check.faces.length;
    matched += image.faces.filter((l) => check.faces.some((f) => iou(l, f) >= 0.3)).length;
    if (image.kind === 'portrait' || image.kind === 'portrait_from_group') {
      portraits++;
      const square = check.square;
      if (shareInside(image.faces[0], square) >= 0.99) whole++;
      else
        misses.push(
          `${image.name}: automatic square cuts the face (${Math.round(100 * shareInside(image.faces[0], square))}% inside)`,
        );
    }
  }
  const pr = (c: { tp: number; fp: number; fn: number }): string =>
    `precision ${ratio(c.tp, c.tp + c.fp)}, recall ${ratio(c.tp, c.tp + c.fn)}`;
  const kinds = new Map<string, number>();
  for (const image of images) kinds.set(image.kind, (kinds.get(image.kind) ?? 0) + 1);
  console.log(`labelled set: ${images.length} images (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
  console.log(`no_face:        ${pr(count.noFace)}`);
  console.log(`multiple_faces: ${pr(count.multi)}`);
  console.log(`faces:          ${matched} of ${labelled} labelled faces found (IoU >= 0.3); ${found} found in all`);
  console.log(`automatic square holds the whole face: ${ratio(whole, portraits)} of single portraits`);
  console.log(`checks without an answer: ${unavailable}`);
  for (const miss of misses) console.log(`  - ${miss}`);
}

async function timing(detector: WorkerFaceDetector): Promise<void> {
  const groups = (await labelledImages()).filter((i) => i.kind === 'group').map((i) => new Uint8Array(i.bytes));
  const plain = processor();
  const times = { without: [] as number[], with: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const checked = processor(new FaceChecker(detector, TIMEOUT_MS));
    for (const [name, photos] of [
      ['without', plain],
      ['with', checked],
    ] as const) {
      const start = performance.now();
      for (const bytes of groups) await photos.prepare(bytes);
      times[name].push((performance.now() - start) / groups.length);
    }
  }
  // How long the event loop waits while the worker detects (what /healthz would feel).
  const { data, info } = await sharp(groups[0])
    .resize(640, 640, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(now - last - 5);
    last = now;
  }, 5);
  for (let i = 0; i < 10; i++) await detector.detect(new Uint8Array(data), info.width, info.height, TIMEOUT_MS);
  clearInterval(timer);
  lags.sort((a, b) => a - b);
  console.log(
    `event loop delay during 10 detections: p99 ${lags[Math.floor(lags.length * 0.99)].toFixed(1)} ms, worst ${lags[lags.length - 1].toFixed(1)} ms`,
  );
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const w = median(times.with);
  const wo = median(times.without);
  console.log(`time per 1920 px photo, median of ${ROUNDS} interleaved rounds of ${groups.length}:`);
  console.log(`  without face check ${wo.toFixed(0)} ms, with ${w.toFixed(0)} ms: ratio ${(w / wo).toFixed(2)}`);
}

/** Child: prepare one photo (with the check or not) and print VmHWM in kB. */
async function peakChild(withCheck: boolean): Promise<void> {
  const image = (await labelledImages()).find((i) => i.kind === 'group')!;
  const detector = new WorkerFaceDetector();
  const photos = processor(withCheck ? new FaceChecker(detector, TIMEOUT_MS) : undefined);
  await photos.prepare(new Uint8Array(image.bytes));
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(String(hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS));
  await detector.close();
}

function peakKb(withCheck: boolean): number {
  const run = spawnSync(process.execPath, [process.argv[1], '--peak', withCheck ? 'with' : 'without'], {
    encoding: 'utf8',
    env: process.env,
  });
  if (run.status !== 0) throw new Error(`peak child failed: ${run.stderr}`);
  return Number(run.stdout);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--peak') return peakChild(process.argv[3] === 'with');
  const detector = new WorkerFaceDetector();
  try {
    await quality(detector);
    await timing(detector);
  } finally {
    await detector.close();
  }
  const [without, withCheck] = [peakKb(false), peakKb(true)];
  console.log(
    `peak RSS of a process preparing one 1920 px photo: without ${Math.round(without / 1024)} MB, with ${Math.round(withCheck / 1024)} MB (+${Math.round((withCheck - without) / 1024)} MB)`,
  );
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
