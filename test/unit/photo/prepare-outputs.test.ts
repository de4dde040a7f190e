import sharp from 'sharp';
import type { CropRect } from '../../../bot/src/core/ports';
import { MASTER_TARGET_BYTES, PREVIEW_TARGET_BYTES } from '../../../bot/src/photo';
import { Deadline } from '../../../bot/src/photo/deadline';
import { encodeMaster } from '../../../bot/src/photo/encode';
import { appError, exif, image, meanAbsDiff, pixels, processor } from './images';

const photos = processor();

/** The metadata fields that must never reach an output. */
async function leakedMetadata(jpeg: Uint8Array): Promise<Record<string, unknown>> {
  const meta = await sharp(jpeg).metadata();
  const leaked = { exif: meta.exif, icc: meta.icc, xmp: meta.xmp, iptc: meta.iptc, orientation: meta.orientation, comments: meta.comments };
  return Object.fromEntries(Object.entries(leaked).filter(([, v]) => v !== undefined));
}

describe('metadata is stripped', () => {
  it.each([
    ['sharp-fixtures/Landscape_9.jpg'], // EXIF (camera), IPTC, XMP, ICC
    ['sharp-fixtures/320x240.jpg'], // EXIF + ICC
    ['exif-orientation-examples/Portrait_6.jpg'], // orientation tag
    ['pngsuite/png/exif2c08.png'], // PNG eXIf chunk
  ])('%s', async (file) => {
    const input = await sharp(image(file)).metadata();
    expect(input.exif ?? input.icc).toBeDefined(); // the premise: there is something to strip
    const result = await processor({ minSide: 1 }).prepare(image(file));
    expect(await leakedMetadata(result.master)).toEqual({});
    expect(await leakedMetadata(result.preview)).toEqual({});
  });
});

describe('sizes', () => {
  it.each(['Landscape', 'Portrait'].flatMap((k) => [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${k}_${n}`)))(
    '%s: master <= 500 KB and preview 96x96 <= 8 KB, both baseline',
    async (name) => {
      const [kind, n] = name.split('_');
      const result = await photos.prepare(exif(kind as 'Landscape', Number(n)));
      expect(result.master.length).toBeLessThanOrEqual(MASTER_TARGET_BYTES);
      expect(result.preview.length).toBeLessThanOrEqual(PREVIEW_TARGET_BYTES);
      const preview = await sharp(result.preview).metadata();
      expect([preview.format, preview.width, preview.height, preview.isProgressive]).toEqual(['jpeg', 96, 96, false]);
    },
  );

  it('preview shows the master', async () => {
    const result = await photos.prepare(exif('Portrait', 3));
    expect(meanAbsDiff(await pixels(result.master, 32), await pixels(result.preview, 32))).toBeLessThan(4);
  });

  it('pure noise, the worst case for JPEG, still fits', async () => {
    const noise = await sharp({ create: { width: 648, height: 648, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 90 } } })
      .png()
      .toBuffer();
    const result = await photos.prepare(noise);
    expect(result.master.length).toBeLessThanOrEqual(MASTER_TARGET_BYTES);
    expect(result.preview.length).toBeLessThanOrEqual(PREVIEW_TARGET_BYTES);
  });
});

describe('encodeMaster', () => {
  it('steps quality down until the JPEG fits the target', async () => {
    const data = await sharp({ create: { width: 648, height: 648, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 90 } } })
      .raw()
      .toBuffer();
    const master = { data, width: 648, height: 648, channels: 3 as const };
    const atFirstStep = await encodeMaster(master, new Deadline(10_000), Number.MAX_SAFE_INTEGER);
    const target = Math.floor(atFirstStep.length * 0.7);
    const fitted = await encodeMaster(master, new Deadline(10_000), target);
    expect(fitted.length).toBeLessThanOrEqual(target);
    expect((await sharp(fitted).metadata()).isProgressive).toBe(false);
  });
});

describe('crop', () => {
  const crop = (left: number, top: number, size: number): { crop: CropRect } => ({ crop: { left, top, size } });

  it('the left and right halves give different photos, each matching the same region cut by sharp', async () => {
    const bytes = exif('Landscape', 1);
    const left = await photos.prepare(bytes, crop(0, 150, 900));
    const right = await photos.prepare(bytes, crop(900, 150, 900));
    expect(meanAbsDiff(await pixels(left.master, 64), await pixels(right.master, 64))).toBeGreaterThan(20);
    const reference = await sharp(bytes).extract({ left: 900, top: 150, width: 900, height: 900 }).png().toBuffer();
    expect(meanAbsDiff(await pixels(right.master, 64), await pixels(reference, 64))).toBeLessThan(3);
  });

  describe.each([
    ['shrunk a little', 1000],
    ['enlarged', 400],
  ])('one pass, %s: the crop is in oriented pixel space for every orientation', (_, size) => {
    let upright: { p: Buffer; l: Buffer };
    beforeAll(async () => {
      upright = {
        l: await pixels((await photos.prepare(exif('Landscape', 1), crop(700, 100, size))).master, 64),
        p: await pixels((await photos.prepare(exif('Portrait', 1), crop(100, 700, size))).master, 64),
      };
    });
    it.each([0, 2, 3, 4, 5, 6, 7, 8])('orientation %i', async (n) => {
      const l = await photos.prepare(exif('Landscape', n), crop(700, 100, size));
      const p = await photos.prepare(exif('Portrait', n), crop(100, 700, size));
      expect(meanAbsDiff(upright.l, await pixels(l.master, 64))).toBeLessThan(4);
      expect(meanAbsDiff(upright.p, await pixels(p.master, 64))).toBeLessThan(4);
    });
  });

  describe('two passes (JPEG crop shrunk 3x or more, for shrink-on-load)', () => {
    /** The EXIF example with its stored pixels enlarged 2.5x (to 4500x3000 displayed) and its orientation tag kept. */
    const enlarged = async (kind: 'Landscape' | 'Portrait', n: number, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> => {
      const meta = await sharp(exif(kind, n)).metadata();
      const pipeline = sharp(exif(kind, n))
        .resize(meta.width * 2.5, meta.height * 2.5)
        .withMetadata({ orientation: n });
      return format === 'jpeg' ? pipeline.jpeg({ quality: 90 }).toBuffer() : pipeline.png({ compressionLevel: 1 }).toBuffer();
    };
    const big = { Landscape: crop(1500, 300, 2400), Portrait: crop(300, 1500, 2400) };
    const upright: Record<string, Buffer> = {};

    beforeAll(async () => {
      for (const kind of ['Landscape', 'Portrait'] as const) {
        upright[kind] = await pixels((await photos.prepare(await enlarged(kind, 1), big[kind])).master, 64);
      }
    });

    it('gives the same picture as the one-pass path (a PNG of the same pixels)', async () => {
      const png = await processor({ maxBytes: 100 * 1024 * 1024 }).prepare(await enlarged('Landscape', 6, 'png'), big.Landscape);
      expect(meanAbsDiff(upright.Landscape, await pixels(png.master, 64))).toBeLessThan(3);
    });

    it.each([2, 3, 4, 5, 6, 7, 8])('orientation %i', async (n) => {
      for (const kind of ['Landscape', 'Portrait'] as const) {
        const result = await photos.prepare(await enlarged(kind, n), big[kind]);
        expect([kind, meanAbsDiff(upright[kind], await pixels(result.master, 64)) < 4]).toEqual([kind, true]);
      }
    });
  });

  it('a crop under 648 px warns small with the crop size', async () => {
    const result = await photos.prepare(exif('Landscape', 1), crop(0, 0, 400));
    expect(result.warnings).toContainEqual({ code: 'small', params: { width: 400, height: 400 } });
  });

  it.each([
    ['past the right edge', crop(1000, 0, 900), 'out_of_bounds'],
    ['past the bottom edge (oriented height is 1200)', crop(0, 400, 900), 'out_of_bounds'],
    ['negative', crop(-1, 0, 500), 'out_of_bounds'],
    ['fractional', crop(0.5, 0, 500), 'not_integer'],
    ['under minSide', crop(0, 0, 95), 'too_small'],
  ])('rejects a crop %s with input.invalid', async (_, options, reason) => {
    const err = await appError(photos.prepare(exif('Landscape', 6), options));
    expect(err.code).toBe('input.invalid');
    expect(err.params).toMatchObject({ field: 'crop', reason, width: 1800, height: 1200, minSide: 96 });
  });
});
