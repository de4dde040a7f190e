import sharp, { type SharpOptions } from 'sharp';
import { AppError } from '../../../bot/src/core/errors';
import { normaliseDecodeError } from '../../../bot/src/photo';
import { image, pngSuite } from '../../support/images';

/** What sharp really throws when decoding `bytes` fully. */
async function sharpError(bytes: Buffer, options: SharpOptions = { failOn: 'error' }): Promise<unknown> {
  try {
    await sharp(bytes, options).raw().toBuffer();
  } catch (err) {
    return err;
  }
  throw new Error('sharp decoded it');
}

describe('normaliseDecodeError on what sharp really throws', () => {
  it.each(['sharp-fixtures/truncated.jpg', 'sharp-fixtures/truncated.png', 'sharp-fixtures/corrupt-header.jpg'])(
    '%s -> photo.corrupt',
    async (file) => {
      const err = normaliseDecodeError(await sharpError(image(file)), { format: 'jpeg' });
      expect(err.code).toBe('photo.corrupt');
      expect(err.params).toEqual({ format: 'jpeg' });
    },
  );

  it.each(pngSuite().filter((f) => f.startsWith('x')))('PngSuite %s -> corrupt or unsupported', async (f) => {
    const err = normaliseDecodeError(await sharpError(image(`pngsuite/png/${f}`)), { format: 'png' });
    expect(['photo.corrupt', 'photo.unsupported_format']).toContain(err.code);
  });

  it("libvips' own pixel limit -> photo.too_many_pixels", async () => {
    const err = normaliseDecodeError(
      await sharpError(image('exif-orientation-examples/Landscape_1.jpg'), { limitInputPixels: 1000 }),
      { maxPixels: 1000 },
    );
    expect(err.code).toBe('photo.too_many_pixels');
    expect(err.params).toMatchObject({ maxMegapixels: 0 });
  });

  it("sharp's timeout -> photo.decode_timeout", () => {
    // libvips' wording, from sharp src/common.cc: vips_error("timeout", "%d%% complete").
    const err = normaliseDecodeError(new Error('timeout: 12% complete'), { timeoutMs: 20_000 });
    expect(err.code).toBe('photo.decode_timeout');
    expect(err.params).toEqual({ timeoutSeconds: 20 });
  });
});

describe('normaliseDecodeError keeps bugs apart from bad files', () => {
  it('passes AppErrors through', () => {
    const original = new AppError('photo.too_small', 'x', { params: { width: 1, height: 1, minSide: 96 } });
    expect(normaliseDecodeError(original)).toBe(original);
  });

  it("maps sharp's parameter validation and TypeErrors to internal", () => {
    expect(normaliseDecodeError(new Error('Expected integer for width but received 1.5 of type number')).code).toBe(
      'internal',
    );
    expect(normaliseDecodeError(new TypeError('x is not a function')).code).toBe('internal');
    expect(normaliseDecodeError('a string').code).toBe('internal');
  });

  it('maps out-of-memory to a retryable internal error', () => {
    const err = normaliseDecodeError(new Error('vips_malloc: out of memory'));
    expect([err.code, err.retryable]).toEqual(['internal', true]);
  });

  it('an allocation no image within the pixel limit could need is a damaged header: photo.corrupt', () => {
    // What libspng asked for when fast-check overwrote one IHDR byte of PngSuite's basn2c08.png (seed 1506912544).
    const oom = new Error('vips_tracked: out of memory -- size == 24604MB');
    expect(normaliseDecodeError(oom, { format: 'png', maxPixels: 40_000_000 }).code).toBe('photo.corrupt');
    // Within what the limit allows (40 MP × 8 bytes ≈ 305 MB), the machine is short of memory: retry later.
    const tight = new Error('vips_tracked: out of memory -- size == 300MB');
    expect(normaliseDecodeError(tight, { format: 'png', maxPixels: 40_000_000 })).toMatchObject({
      code: 'internal',
      retryable: true,
    });
  });
});
