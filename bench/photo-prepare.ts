/**
 * Benchmark of the photo pipeline (not a test: it prints figures, never gates).
 *
 * One run, interleaved rounds (every variant once per round, so drift hits all alike):
 *  - the 12 MP JPEG -> every output (SharpImageProcessor.prepare), as a ratio to the floor:
 *    a plain 1/2-scale JPEG decode of the same file (jpegload shrink=2, the scale sharp's
 *    shrink-on-load picks for a 648 cover of this photo; raw output via a nearest-neighbour
 *    step, since sharp cannot ask for the decode alone);
 *  - the same work with jimp (decode, EXIF orientation, cover 648, every size, JPEG): the naive baseline;
 *  - throughput with one and with two photos in flight;
 *  - peak RSS per photo, from child processes (this script re-run with --peak).
 *
 * Run from the repo root (/work/main):  bash bench/run-photo-prepare.sh
 * Environment: ROUNDS (default 15), JIMP_ROUNDS (default 3), IMAGES (default ../shared/images),
 * HEIC=<file> to add a HEIC photo to the peak-RSS table.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Jimp } from 'jimp';
import { DEFAULT_AVATAR_SIDES, DEFAULT_THUMBNAIL_SIDES, SharpImageProcessor } from '../bot/src/photo';
import { Deadline } from '../bot/src/photo/deadline';
import { renderMaster } from '../bot/src/photo/normalise';
import { openSource } from '../bot/src/photo/source';
import { MemoryBudget } from '../bot/src/photo/memory-budget';

const IMAGES = process.env.IMAGES ?? path.resolve(process.cwd(), '../shared/images');
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const JIMP_ROUNDS = Number(process.env.JIMP_ROUNDS ?? 3);
/** Photos per throughput measurement. */
const BATCH = 8;

/** Every output side the pipeline makes besides the 648 master (card preview and AD thumbnail are both 96). */
const OUTPUT_SIDES = [
  96,
  96,
  DEFAULT_THUMBNAIL_SIDES.s,
  DEFAULT_THUMBNAIL_SIDES.m,
  DEFAULT_THUMBNAIL_SIDES.l,
  ...DEFAULT_AVATAR_SIDES,
];

function processor(concurrency: number): SharpImageProcessor {
  return new SharpImageProcessor({
    maxBytes: 50 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 96,
    background: '#ffffff',
    concurrency,
    queueLimit: 100,
  });
}

/** A phone-sized photo: 12 MP, stored sideways (3000x4000) with EXIF orientation 6, from the corpus' landscape. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const source = fs.readFileSync(path.join(IMAGES, 'exif-orientation-examples/Landscape_6.jpg'));
  return sharp(source)
    .resize(3000, 4000, { fit: 'fill' })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The floor: decode at 1/2 scale and nothing else worth counting. */
async function halfScaleDecode(input: Buffer, width: number, height: number): Promise<void> {
  // A 3x reduction makes sharp load the JPEG at shrink 2; the remaining 1.5x nearest-neighbour step costs ~2 ms.
  await sharp(input)
    .resize(Math.floor(width / 3), Math.floor(height / 3), { fit: 'fill', kernel: 'nearest' })
    .raw()
    .toBuffer();
}

/** Where the time goes: header read, decode, orientation, attention crop and resize to the raw 648 master, no output. */
async function masterOnly(input: Buffer): Promise<void> {
  const deadline = new Deadline(60_000);
  const source = await openSource(
    input,
    'jpeg',
    { maxPixels: 50_000_000, heicMemory: new MemoryBudget(640 * 1048576) },
    deadline,
  );
  await renderMaster(source, undefined, '#ffffff', deadline);
}

/** The naive baseline: the same outputs with jimp (pure JavaScript). */
async function withJimp(input: Buffer): Promise<number> {
  const image = await Jimp.read(input); // decodes and applies the EXIF orientation
  image.cover({ w: 648, h: 648 });
  let bytes = (await image.getBuffer('image/jpeg', { quality: 85 })).length;
  for (const side of OUTPUT_SIDES) {
    bytes += (await image.clone().resize({ w: side, h: side }).getBuffer('image/jpeg', { quality: 85 })).length;
  }
  return bytes;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function spread(values: number[]): string {
  return `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
}

/** Child mode: prepare `file` `inFlight` times at once (or jimp once), print this process's peak RSS (kB). */
async function peakChild(mode: string, file: string, inFlight: number): Promise<void> {
  const bytes = fs.readFileSync(file);
  const warmUp = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  if (mode === 'jimp') {
    await withJimp(warmUp);
    if (inFlight > 0) await withJimp(bytes);
  } else {
    const photos = processor(2);
    await photos.prepare(warmUp);
    await Promise.all(Array.from({ length: inFlight }, () => photos.prepare(bytes)));
  }
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  process.stdout.write(String(hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS));
}

function peakKb(mode: string, file: string, inFlight: number): number {
  const run = spawnSync(process.execPath, [process.argv[1], '--peak', mode, file, String(inFlight)], {
    encoding: 'utf8',
    env: process.env,
  });
  if (run.status !== 0) throw new Error(`peak child failed: ${run.stderr}`);
  return Number(run.stdout);
}

async function main(): Promise<void> {
  const input = await twelveMegapixelJpeg();
  const meta = await sharp(input).metadata();
  const { width, height } = meta as { width: number; height: number };
  const one = processor(1);
  const two = processor(2);

  console.log(
    `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, node ${process.version}, ${os.availableParallelism()} cores`,
  );
  console.log(`input: ${width}x${height} JPEG, EXIF orientation ${meta.orientation}, ${input.length} bytes (12 MP)`);
  console.log(`outputs: 648 master + ${OUTPUT_SIDES.length} small JPEGs, from one decoded master`);
  console.log(
    `${ROUNDS} interleaved rounds (jimp in the first ${JIMP_ROUNDS}), after one warm-up round; times are medians\n`,
  );

  const heic = process.env.HEIC ? fs.readFileSync(process.env.HEIC) : undefined;
  const samples: Record<'floor' | 'master' | 'prepare' | 'jimp' | 'heic' | 'oneInFlight' | 'twoInFlight', number[]> = {
    heic: [],
    floor: [],
    master: [],
    prepare: [],
    jimp: [],
    oneInFlight: [],
    twoInFlight: [],
  };
  const ratios: number[] = [];
  const masterRatios: number[] = [];
  for (let round = -1; round < ROUNDS; round++) {
    const floor = await timed(() => halfScaleDecode(input, width, height));
    const master = await timed(() => masterOnly(input));
    const prepare = await timed(() => one.prepare(input));
    const jimp = round < JIMP_ROUNDS ? await timed(() => withJimp(input)) : undefined;
    const heicTime = heic && round < JIMP_ROUNDS ? await timed(() => one.prepare(heic)) : undefined;
    const oneInFlight = await timed(async () => {
      for (let i = 0; i < BATCH; i++) await one.prepare(input);
    });
    const twoInFlight = await timed(() => Promise.all(Array.from({ length: BATCH }, () => two.prepare(input))));
    if (round < 0) continue; // warm-up
    samples.floor.push(floor);
    samples.master.push(master);
    samples.prepare.push(prepare);
    if (jimp !== undefined) samples.jimp.push(jimp);
    if (heicTime !== undefined) samples.heic.push(heicTime);
    samples.oneInFlight.push(oneInFlight);
    samples.twoInFlight.push(twoInFlight);
    ratios.push(prepare / floor);
    masterRatios.push(master / floor);
  }

  const floor = median(samples.floor);
  const prepare = median(samples.prepare);
  const jimp = median(samples.jimp);
  console.log('12 MP JPEG -> all outputs (median ms, ratio)');
  console.log(`  floor: 1/2-scale JPEG decode          ${floor.toFixed(1)} ms`);
  const master = median(samples.master);
  console.log(
    `  decode to the raw 648 master only    ${master.toFixed(1)} ms   ratio to floor ${median(masterRatios).toFixed(2)} (rounds ${spread(masterRatios)})`,
  );
  // The ratio is the median of per-round ratios: each pairs two runs made moments apart, so machine drift cancels.
  console.log(
    `  prepare: master + every output       ${prepare.toFixed(1)} ms   ratio to floor ${median(ratios).toFixed(2)} (rounds ${spread(ratios)}; ratio of medians ${(prepare / floor).toFixed(2)})`,
  );
  console.log(
    `  jimp, same outputs                   ${jimp.toFixed(1)} ms   ratio to floor ${(jimp / floor).toFixed(1)}, jimp/sharp ${(jimp / prepare).toFixed(1)}x`,
  );
  if (heic)
    console.log(
      `  HEIC ${path.basename(process.env.HEIC ?? '')} -> all outputs        ${median(samples.heic).toFixed(1)} ms (WebAssembly decode in a worker)`,
    );
  const perSecond = (ms: number): number => (BATCH * 1000) / ms;
  const t1 = perSecond(median(samples.oneInFlight));
  const t2 = perSecond(median(samples.twoInFlight));
  console.log('\nthroughput, 12 MP JPEG (photos per second)');
  console.log(`  one photo in flight                  ${t1.toFixed(2)}/s`);
  console.log(`  two photos in flight                 ${t2.toFixed(2)}/s   (${(t2 / t1).toFixed(2)}x)`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photo-bench-'));
  const jpegFile = path.join(dir, '12mp.jpg');
  fs.writeFileSync(jpegFile, input);
  console.log('\npeak RSS (child processes; baseline = node + sharp after one small photo)');
  const baseline = peakKb('sharp', jpegFile, 0);
  const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
  console.log(`  baseline                             ${mb(baseline)}`);
  const rows: Array<[string, string, string]> = [['12 MP JPEG', 'sharp', jpegFile]];
  if (process.env.HEIC) rows.push([`HEIC ${path.basename(process.env.HEIC)}`, 'sharp', process.env.HEIC]);
  for (const [label, mode, file] of rows) {
    const p1 = peakKb(mode, file, 1);
    const p2 = peakKb(mode, file, 2);
    console.log(
      `  ${label.padEnd(22)} 1 in flight ${mb(p1)} (+${mb(p1 - baseline)}/photo), 2 in flight ${mb(p2)} (+${mb((p2 - baseline) / 2)}/photo)`,
    );
  }
  const jimpBase = peakKb('jimp', jpegFile, 0);
  const jimpPeak = peakKb('jimp', jpegFile, 1);
  console.log(`  ${'12 MP JPEG, jimp'.padEnd(22)} 1 in flight ${mb(jimpPeak)} (+${mb(jimpPeak - jimpBase)}/photo)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--peak') {
  peakChild(process.argv[3], process.argv[4], Number(process.argv[5])).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
