import sharp from 'sharp';
import type { CropRect } from '../../../bot/src/core/photo/pipeline-ports';
import { AD_THUMBNAIL_MAX_BYTES, MASTER_TARGET_BYTES, PREVIEW_TARGET_BYTES } from '../../../bot/src/photo';
import { Deadline } from '../../../bot/src/photo/deadline';
import { AD_THUMBNAIL_TARGET, encodeMaster, encodeSquare } from '../../../bot/src/photo/encode';
import {
  appError,
  exif,
  expectedOutputs,
  image,
  meanAbsDiff,
  outputProblems,
  pixels,
  processor,
} from '../../support/images';

const photos = processor();

/** The metadata fields that must never reach an output. */
async function leakedMetadata(jpeg: Uint8Array): Promise<Record<string, unknown>> {
  const meta = await sharp(jpeg).metadata();
  const leaked = {
    exif: meta.exif,
    icc: meta.icc,
    xmp: meta.xmp,
    iptc: meta.iptc,
    orientation: meta.orientation,
    comments: meta.comments,
  };
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
    for (const output of expectedOutputs(result)) {
      expect([output.name, await leakedMetadata(output.jpeg)]).toEqual([output.name, {}]);
    }
  });
});

/** Pure noise, the worst case for JPEG: a 648 PNG. */
const noisePng = (): Promise<Buffer> =>
  sharp({
    create: {
      width: 648,
      height: 648,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 90 },
    },
  })
    .png()
    .toBuffer();

describe('sizes', () => {
  it.each(['Landscape', 'Portrait'].flatMap((k) => [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${k}_${n}`)))(
    '%s: every output exact (sides, baseline JPEG, budgets: master <= 500 KB, preview <= 8 KB, AD <= 10 KB...)',
    async (name) => {
      const [kind, n] = name.split('_');
      const result = await photos.prepare(exif(kind as 'Landscape', Number(n)));
      expect(await outputProblems(result)).toEqual([]);
      expect(result.master.length).toBeLessThanOrEqual(MASTER_TARGET_BYTES);
      expect(result.preview.length).toBeLessThanOrEqual(PREVIEW_TARGET_BYTES);
      expect(result.adThumbnail.length).toBeLessThanOrEqual(AD_THUMBNAIL_MAX_BYTES);
    },
  );

  it('the card preview keeps a card far below the 100 KB Teams message limit', async () => {
    const result = await photos.prepare(await noisePng());
    // Embedded as a data: URL, base64 grows it by a third: still a tenth of the limit.
    expect(Buffer.from(result.preview).toString('base64').length).toBeLessThan(11_000);
  });

  it('every output shows the master', async () => {
    const result = await photos.prepare(exif('Portrait', 3));
    const master = await pixels(result.master, 16);
    for (const output of expectedOutputs(result)) {
      // Area-averaged 16 px JPEGs against a Lanczos reduction of the master: a few levels apart at most.
      expect([output.name, meanAbsDiff(master, await pixels(output.jpeg, 16)) < 6]).toEqual([output.name, true]);
    }
  });

  it('pure noise, the worst case for JPEG, still fits every budget', async () => {
    const result = await photos.prepare(await noisePng());
    expect(await outputProblems(result)).toEqual([]);
  });

  it('sizes are configurable: SharePoint S/M/L and the avatar list (sorted, deduplicated)', async () => {
    const sides = { thumbnails: { s: 32, m: 100, l: 300 }, avatars: [120, 28, 64, 28] };
    const result = await processor({ thumbnailSides: sides.thumbnails, avatarSides: sides.avatars }).prepare(
      exif('Landscape', 1),
    );
    expect(result.thumbnails.l.side).toBe(300);
    expect(result.avatars.map((a) => a.side)).toEqual([28, 64, 120]);
    expect(await outputProblems(result, { thumbnails: sides.thumbnails, avatars: [28, 64, 120] })).toEqual([]);
  });

  it.each([
    [{ thumbnailSides: { s: 0, m: 72, l: 200 } }],
    [{ thumbnailSides: { s: 48, m: 72, l: 649 } }],
    [{ avatarSides: [16, 2.5] }],
  ])('refuses impossible sizes at construction: %o', (options) => {
    expect(() => processor(options)).toThrow(RangeError);
  });
});

describe('AD thumbnailPhoto', () => {
  /** Random black-and-white pixels in each channel: the most a 96 px 4:2:0 JPEG can cost. */
  function worstCase96(): { data: Buffer; width: number; height: number; channels: 3 } {
    const data = Buffer.alloc(96 * 96 * 3);
    let seed = 42;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[i] = seed & 0x10000 ? 255 : 0;
    }
    return { data, width: 96, height: 96, channels: 3 };
  }
  const jpegAt = (raw: ReturnType<typeof worstCase96>, quality: number): Promise<Buffer> =>
    sharp(raw.data, { raw: { width: 96, height: 96, channels: 3 } })
      .jpeg({ quality, optimiseCoding: true, chromaSubsampling: '4:2:0' })
      .toBuffer();

  it('lowers the quality step by step until the worst case fits 10 KB, keeping the highest that fits', async () => {
    const raw = worstCase96();
    const steps = AD_THUMBNAIL_TARGET.qualities;
    expect((await jpegAt(raw, steps[0])).length).toBeGreaterThan(AD_THUMBNAIL_MAX_BYTES); // the premise: the first step does not fit
    const jpeg = await encodeSquare(raw, AD_THUMBNAIL_TARGET, new Deadline(10_000));
    expect(jpeg.length).toBeLessThanOrEqual(AD_THUMBNAIL_MAX_BYTES);
    expect(jpeg.equals(await jpegAt(raw, steps[1]))).toBe(true); // the next step down (90), not a lower one
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 96, height: 96, isProgressive: false });
  });

  it('a smaller budget goes further down the same ladder', async () => {
    const raw = worstCase96();
    const jpeg = await encodeSquare(raw, { ...AD_THUMBNAIL_TARGET, maxBytes: 5_000 }, new Deadline(10_000));
    expect(jpeg.length).toBeLessThanOrEqual(5_000);
    expect(jpeg.length).toBeGreaterThan(3_000);
  });

  it('a normal photo keeps a high quality well under the limit', async () => {
    const result = await photos.prepare(exif('Landscape', 1));
    expect(result.adThumbnail.length).toBeGreaterThan(result.preview.length); // q95 against the preview's q80 + trellis
    expect(result.adThumbnail.length).toBeLessThanOrEqual(AD_THUMBNAIL_MAX_BYTES);
  });
});

describe('encodeMaster', () => {
  it('steps quality down until the JPEG fits the target', async () => {
    const data = await sharp({
      create: {
        width: 648,
        height: 648,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 90 },
      },
    })
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
    const enlarged = async (
      kind: 'Landscape' | 'Portrait',
      n: number,
      format: 'jpeg' | 'png' = 'jpeg',
    ): Promise<Buffer> => {
      const meta = await sharp(exif(kind, n)).metadata();
      const pipeline = sharp(exif(kind, n))
        .resize(meta.width * 2.5, meta.height * 2.5, { kernel: 'nearest' }) // nearest: fast, and the same for every orientation
        .withMetadata({ orientation: n });
      return format === 'jpeg'
        ? pipeline.jpeg({ quality: 90 }).toBuffer()
        : pipeline.png({ compressionLevel: 1 }).toBuffer();
    };
    const big = { Landscape: crop(1500, 300, 2400), Portrait: crop(300, 1500, 2400) };
    const upright: Record<string, Buffer> = {};

    beforeAll(async () => {
      for (const kind of ['Landscape', 'Portrait'] as const) {
        upright[kind] = await pixels((await photos.prepare(await enlarged(kind, 1), big[kind])).master, 64);
      }
    });

    it('gives the same picture as the one-pass path (a PNG of the same pixels)', async () => {
      const png = await processor({ maxBytes: 100 * 1024 * 1024 }).prepare(
        await enlarged('Landscape', 6, 'png'),
        big.Landscape,
      );
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
