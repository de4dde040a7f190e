import sharp from 'sharp';
import {
  BLURRY_LAPLACIAN_VARIANCE_MAX,
  BRIGHT_MEAN_LUMA_MIN,
  DARK_MEAN_LUMA_MAX,
  LOW_CONTRAST_STDEV_MAX,
  lumaStats,
  qualityWarnings,
} from '../../../bot/src/photo';
import type { PhotoWarning } from '../../../bot/src/core/ports';
import { exif, flatPng, processor } from './images';

const photos = processor();
const codes = (warnings: PhotoWarning[]): string[] => warnings.map((w) => w.code).sort();

describe('lumaStats', () => {
  it('is zero-variance on a flat image and high on a checkerboard', () => {
    const flat = Buffer.alloc(16 * 16 * 3, 100);
    expect(lumaStats(flat, 16, 16)).toEqual({ mean: expect.closeTo(100, 5), stdev: expect.closeTo(0, 5), laplacianVariance: 0 });
    const checker = Buffer.alloc(16 * 16 * 3);
    for (let i = 0; i < 256; i++) checker.fill(((i % 16) + Math.floor(i / 16)) % 2 ? 255 : 0, i * 3, i * 3 + 3);
    const stats = lumaStats(checker, 16, 16);
    expect(stats.stdev).toBeCloseTo(127.5, 0);
    expect(stats.laplacianVariance).toBeGreaterThan(100_000);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => lumaStats(Buffer.alloc(10), 4, 4)).toThrow(RangeError);
  });
});

describe('qualityWarnings thresholds', () => {
  const ok = { mean: 120, stdev: 60, laplacianVariance: 900 };
  it.each([
    [{ ...ok, mean: DARK_MEAN_LUMA_MAX }, ['dark']],
    [{ ...ok, mean: DARK_MEAN_LUMA_MAX + 1 }, []],
    [{ ...ok, mean: BRIGHT_MEAN_LUMA_MIN }, ['bright']],
    [{ ...ok, mean: BRIGHT_MEAN_LUMA_MIN - 1 }, []],
    [{ ...ok, stdev: LOW_CONTRAST_STDEV_MAX }, ['low_contrast']],
    [{ ...ok, laplacianVariance: BLURRY_LAPLACIAN_VARIANCE_MAX }, ['blurry']],
    [{ ...ok, laplacianVariance: BLURRY_LAPLACIAN_VARIANCE_MAX + 1 }, []],
    // Blur is meaningless on a flat image: only low_contrast is said.
    [{ ...ok, stdev: 2, laplacianVariance: 0 }, ['low_contrast']],
  ])('%o -> %o', (stats, expected) => {
    expect(codes(qualityWarnings(stats))).toEqual(expected);
  });
});

describe('warnings on real and synthetic images', () => {
  it.each(['Landscape', 'Portrait'].flatMap((k) => [1, 3, 6, 8].map((n) => [k, n] as const)))(
    'no warnings on the photo %s_%i',
    async (kind, n) => {
      expect((await photos.prepare(exif(kind as 'Landscape', n))).warnings).toEqual([]);
    },
  );

  it('a near-black image is dark (and flat)', async () => {
    const result = await photos.prepare(await flatPng(800, 800, [12, 10, 14]));
    expect(codes(result.warnings)).toEqual(['dark', 'low_contrast']);
  });

  it('a near-white image is bright (and flat)', async () => {
    const result = await photos.prepare(await flatPng(800, 800, [246, 248, 245]));
    expect(codes(result.warnings)).toEqual(['bright', 'low_contrast']);
  });

  it('a flat mid-grey image is only low contrast', async () => {
    const result = await photos.prepare(await flatPng(800, 800, [128, 128, 128]));
    expect(codes(result.warnings)).toEqual(['low_contrast']);
  });

  it('a photo darkened to a fifth is dark', async () => {
    const dark = await sharp(exif('Landscape', 1)).linear(0.2, 0).jpeg().toBuffer();
    expect(codes((await photos.prepare(dark)).warnings)).toContain('dark');
  });

  it('a photo washed out towards white is bright', async () => {
    const washed = await sharp(exif('Portrait', 1)).linear(0.3, 185).jpeg().toBuffer();
    expect(codes((await photos.prepare(washed)).warnings)).toContain('bright');
  });

  it('a blurred photo is blurry, not low contrast', async () => {
    const blurred = await sharp(exif('Landscape', 1)).blur(8).jpeg({ quality: 95 }).toBuffer();
    expect(codes((await photos.prepare(blurred)).warnings)).toEqual(['blurry']);
  });

  it('a foggy photo (contrast squeezed to a tenth) is low contrast', async () => {
    const foggy = await sharp(exif('Landscape', 1)).linear(0.1, 115).jpeg().toBuffer();
    expect(codes((await photos.prepare(foggy)).warnings)).toEqual(['low_contrast']);
  });
});
