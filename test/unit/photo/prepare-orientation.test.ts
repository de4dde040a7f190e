import sharp from 'sharp';
import type { PreparedPhoto } from '../../../bot/src/core/photo/pipeline-ports';
import { exif, expectedOutputs, heic, meanAbsDiff, pixels, processor } from '../../support/images';

const ORIENTATIONS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/** Mean absolute pixel difference (0-255, at 64x64) under which two masters show the same picture. */
const SAME = 4;

/** Every output of a result as pixels at 16x16 (the smallest avatar's side), by output name. */
async function allOutputs(result: PreparedPhoto): Promise<Map<string, Buffer>> {
  const map = new Map<string, Buffer>();
  for (const o of expectedOutputs(result)) map.set(o.name, await pixels(o.jpeg, 16));
  return map;
}

describe.each(['Landscape', 'Portrait'] as const)('%s EXIF orientations', (kind) => {
  const photos = processor();
  let upright: Buffer;
  let uprightOutputs: Map<string, Buffer>;

  beforeAll(async () => {
    const result = await photos.prepare(exif(kind, 1));
    upright = await pixels(result.master, 64);
    uprightOutputs = await allOutputs(result);
  });

  it('a wrongly oriented master really differs (the comparison can fail)', async () => {
    const mirrored = await sharp((await photos.prepare(exif(kind, 1))).master)
      .flop()
      .toBuffer();
    const rotated = await sharp((await photos.prepare(exif(kind, 1))).master)
      .rotate(90)
      .toBuffer();
    expect(meanAbsDiff(upright, await pixels(mirrored, 64))).toBeGreaterThan(3 * SAME);
    expect(meanAbsDiff(upright, await pixels(rotated, 64))).toBeGreaterThan(3 * SAME);
  });

  it.each(ORIENTATIONS)(`${kind}_%i gives upright outputs, every one like orientation 1's`, async (n) => {
    const result = await photos.prepare(exif(kind, n));
    const meta = await sharp(result.master).metadata();
    expect([meta.format, meta.width, meta.height, meta.isProgressive]).toEqual(['jpeg', 648, 648, false]);
    expect(result.source).toEqual({
      format: 'jpeg',
      width: kind === 'Landscape' ? 1800 : 1200,
      height: kind === 'Landscape' ? 1200 : 1800,
      bytes: exif(kind, n).length,
      orientation: n === 0 ? 1 : n, // 0 is out of range: read as 1
    });
    expect(meanAbsDiff(upright, await pixels(result.master, 64))).toBeLessThan(SAME);
    const outputs = await allOutputs(result);
    for (const [name, px] of outputs) {
      expect([name, meanAbsDiff(uprightOutputs.get(name) as Buffer, px) < SAME]).toEqual([name, true]);
    }
  });
});

describe('HEIC orientation', () => {
  const photos = processor();

  it.each([
    ['landscape', 'stored upright'],
    ['landscape-irot', 'stored sideways with an irot box and EXIF Orientation 6, as phones write it'],
  ] as const)('%s (%s) gives an upright 900x600 photo, like the JPEG it came from', async (name, _how) => {
    const upright = await pixels((await photos.prepare(exif('Landscape', 1))).master, 64);
    const result = await photos.prepare(heic(name));
    expect(result.source).toMatchObject({ format: 'heic', width: 900, height: 600, orientation: 1 });
    // HEVC at quality 30 against JPEG: a little looser than JPEG against JPEG, far below a rotation's ~40.
    expect(meanAbsDiff(upright, await pixels(result.master, 64))).toBeLessThan(2 * SAME);
  });
});
