import sharp from 'sharp';
import {
  BLURRY_LAPLACIAN_VARIANCE_MAX,
  BRIGHT_MEAN_LUMA_MIN,
  DARK_MEAN_LUMA_MAX,
  LOW_CONTRAST_STDEV_MAX,
  OFF_CENTRE_DISTANCE_MIN,
  lumaStats,
  offCentreWarning,
  qualityWarnings,
  subjectPosition,
} from '../../../bot/src/photo';
import type { PhotoWarning } from '../../../bot/src/core/photo/pipeline-ports';
import { exif, flatPng, image, processor } from '../../support/images';

const photos = processor();
const codes = (warnings: PhotoWarning[]): string[] => warnings.map((w) => w.code).sort();

describe('lumaStats', () => {
  it('is zero-variance on a flat image and high on a checkerboard', () => {
    const flat = Buffer.alloc(16 * 16 * 3, 100);
    expect(lumaStats(flat, 16, 16)).toEqual({
      mean: expect.closeTo(100, 5),
      stdev: expect.closeTo(0, 5),
      laplacianVariance: 0,
    });
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

  it('a near-black image is dark, and only dark: the cause, not "low contrast"', async () => {
    const result = await photos.prepare(await flatPng(800, 800, [12, 10, 14]));
    expect(codes(result.warnings)).toEqual(['dark']);
  });

  it('a near-white image is bright, and only bright', async () => {
    const result = await photos.prepare(await flatPng(800, 800, [246, 248, 245]));
    expect(codes(result.warnings)).toEqual(['bright']);
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

describe('off_centre (saliency heuristic, no face detection)', () => {
  /** A colourful, detailed subject (the 320x240 test pattern, 240x180) on a plain blue-grey 1000x1000 backdrop. */
  async function subjectAt(left: number, top: number): Promise<Buffer> {
    const subject = await sharp(image('sharp-fixtures/320x240.jpg')).resize(240, 180).toBuffer();
    return sharp({ create: { width: 1000, height: 1000, channels: 3, background: { r: 90, g: 110, b: 140 } } })
      .composite([{ input: subject, left, top }])
      .png()
      .toBuffer();
  }

  it('a subject in the middle: no warning', async () => {
    expect(codes((await photos.prepare(await subjectAt(380, 410))).warnings)).not.toContain('off_centre');
  });

  it.each([
    ['at the left edge', 20, 410, { subjectX: 15, subjectY: 50 }],
    ['in the top right corner', 740, 20, { subjectX: 85, subjectY: 12 }],
    ['at the bottom left', 20, 800, { subjectX: 15, subjectY: 89 }],
  ])('a subject %s: off_centre, saying where', async (_, left, top, where) => {
    const result = await photos.prepare(await subjectAt(left, top));
    const warning = result.warnings.find((w) => w.code === 'off_centre');
    expect(warning).toBeDefined();
    expect(Math.abs(Number(warning?.params?.subjectX) - where.subjectX)).toBeLessThanOrEqual(5);
    expect(Math.abs(Number(warning?.params?.subjectY) - where.subjectY)).toBeLessThanOrEqual(5);
  });

  it('a user crop that leaves the subject at the side warns; one around it does not', async () => {
    const bytes = await subjectAt(380, 410);
    const aside = await photos.prepare(bytes, { crop: { left: 480, top: 250, size: 500 } });
    expect(codes(aside.warnings)).toContain('off_centre');
    const around = await photos.prepare(bytes, { crop: { left: 250, top: 250, size: 500 } });
    expect(codes(around.warnings)).not.toContain('off_centre');
  });

  it('flat and uniformly textured images have no subject to place', () => {
    const flat = Buffer.alloc(648 * 648 * 3, 128);
    expect(subjectPosition(flat, 648).prominence).toBe(0);
    expect(offCentreWarning(subjectPosition(flat, 648))).toEqual([]);
  });

  it('vertical offsets count for less than horizontal ones', () => {
    const at = (x: number, y: number): string[] => codes(offCentreWarning({ x, y, prominence: 1 }));
    expect(at(0.5 - OFF_CENTRE_DISTANCE_MIN - 0.01, 0.5)).toEqual(['off_centre']);
    expect(at(0.5, 0.5 + OFF_CENTRE_DISTANCE_MIN + 0.01)).toEqual([]);
    expect(at(0.1, 0.5)).toEqual(['off_centre']);
    expect(codes(offCentreWarning({ x: 0.1, y: 0.5, prominence: 0.05 }))).toEqual([]);
  });
});
