import sharp from 'sharp';
import { exif, meanAbsDiff, pixels, processor } from './images';

const ORIENTATIONS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/** Mean absolute pixel difference (0-255, at 64x64) under which two masters show the same picture. */
const SAME = 4;

describe.each(['Landscape', 'Portrait'] as const)('%s EXIF orientations', (kind) => {
  const photos = processor();
  let upright: Buffer;

  beforeAll(async () => {
    upright = await pixels((await photos.prepare(exif(kind, 1))).master, 64);
  });

  it('a wrongly oriented master really differs (the comparison can fail)', async () => {
    const mirrored = await sharp((await photos.prepare(exif(kind, 1))).master).flop().toBuffer();
    const rotated = await sharp((await photos.prepare(exif(kind, 1))).master).rotate(90).toBuffer();
    expect(meanAbsDiff(upright, await pixels(mirrored, 64))).toBeGreaterThan(3 * SAME);
    expect(meanAbsDiff(upright, await pixels(rotated, 64))).toBeGreaterThan(3 * SAME);
  });

  it.each(ORIENTATIONS)(`${kind}_%i gives an upright 648x648 baseline JPEG`, async (n) => {
    const result = await photos.prepare(exif(kind, n));
    const meta = await sharp(result.master).metadata();
    expect([meta.format, meta.width, meta.height, meta.isProgressive]).toEqual(['jpeg', 648, 648, false]);
    expect(result.source).toEqual({
      format: 'jpeg',
      width: kind === 'Landscape' ? 1800 : 1200,
      height: kind === 'Landscape' ? 1200 : 1800,
      bytes: exif(kind, n).length,
    });
    expect(meanAbsDiff(upright, await pixels(result.master, 64))).toBeLessThan(SAME);
  });
});
