/**
 * Benchmark: outputs made from one decoded 648 master vs one sharp pipeline per
 * output size. Prints figures; never a gate.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/photo-prepare.ts --bundle --platform=node --external:sharp --outfile=/tmp/photo-prepare.js \
 *     && NODE_PATH=node_modules node /tmp/photo-prepare.js
 * Images are read from ../shared/images (override with IMAGES=...).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { SharpImageProcessor } from '../bot/src/photo';

const IMAGES = process.env.IMAGES ?? path.resolve(process.cwd(), '../shared/images');
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** Square sizes Graph serves. */
const GRAPH_SIZES = [648, 504, 432, 360, 240, 120, 96, 64, 48];

/** The one-master approach for arbitrary sizes: decode once to 648 raw, derive every size from it. */
async function oneMaster(input: Buffer, sizes: number[]): Promise<number> {
  const { data, info } = await sharp(input)
    .autoOrient()
    .resize(648, 648, { position: 'attention' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const outputs = await Promise.all(sizes.map((s) => sharp(data, raw).resize(s, s).jpeg({ quality: 85 }).toBuffer()));
  return outputs.reduce((n, b) => n + b.length, 0);
}

/** One full pipeline (decode, orient, crop, resize, encode) per size. */
async function pipelinePerSize(input: Buffer, sizes: number[]): Promise<number> {
  let total = 0;
  for (const s of sizes) {
    const out = await sharp(input)
      .autoOrient()
      .resize(s, s, { position: 'attention' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer();
    total += out.length;
  }
  return total;
}

async function timePerPhoto(photos: Buffer[], run: (b: Buffer) => Promise<unknown>): Promise<number> {
  for (const p of photos) await run(p); // warm-up
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) for (const p of photos) await run(p);
  return (performance.now() - start) / (ROUNDS * photos.length);
}

async function main(): Promise<void> {
  const exif = (name: string): Buffer => fs.readFileSync(path.join(IMAGES, 'exif-orientation-examples', name));
  const twoMp = [exif('Landscape_1.jpg'), exif('Landscape_6.jpg'), exif('Portrait_1.jpg'), exif('Portrait_8.jpg')];
  // A phone-sized photo: 12 MP, stored sideways with EXIF orientation 6.
  const twelveMp = await sharp(exif('Landscape_6.jpg'))
    .resize(3000, 4000)
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();

  const processor = new SharpImageProcessor({
    maxBytes: 50 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 96,
    background: '#ffffff',
    concurrency: 1,
    queueLimit: 100,
  });

  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${ROUNDS} rounds, sequential, ms per photo`);
  for (const [label, photos, cropSizes] of [
    ['1800x1200 JPEG (EXIF examples)', twoMp, [1000]],
    ['12 MP JPEG, orientation 6', [twelveMp], [1000, 2600]],
  ] as const) {
    const prepare = await timePerPhoto([...photos], (b) => processor.prepare(b));
    console.log(`\n${label}`);
    console.log(`  SharpImageProcessor.prepare (648 + 96 + checks): ${prepare.toFixed(1)}`);
    for (const size of cropSizes) {
      const crop = await timePerPhoto([...photos], (b) => processor.prepare(b, { crop: { left: 100, top: 100, size } }));
      console.log(`  prepare with a ${size} px user crop:                ${crop.toFixed(1)}`);
    }
    for (const sizes of [[648, 96], GRAPH_SIZES]) {
      const master = await timePerPhoto([...photos], (b) => oneMaster(b, sizes));
      const perSize = await timePerPhoto([...photos], (b) => pipelinePerSize(b, sizes));
      console.log(
        `  ${sizes.length} sizes: one master ${master.toFixed(1)}, pipeline per size ${perSize.toFixed(1)}, ratio ${(perSize / master).toFixed(2)}x`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
