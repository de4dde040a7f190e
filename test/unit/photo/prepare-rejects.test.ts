import { fc, it } from '@fast-check/jest';
import { AppError, ERROR_CODES } from '../../../bot/src/core/errors';
import { appError, exif, image, pngClaiming, processor } from '../../support/images';

const photos = processor();
const PHOTO_CODES = ERROR_CODES.filter((c) => c.startsWith('photo.'));

describe('rejected before decoding', () => {
  it('empty input -> photo.empty', async () => {
    expect((await appError(photos.prepare(new Uint8Array(0)))).code).toBe('photo.empty');
  });

  it.each(['sharp-fixtures/check.svg', 'sharp-fixtures/circle.svg'])(
    '%s -> unsupported_format, received svg',
    async (file) => {
      // sharp itself would happily rasterise SVG (librsvg): the byte check must stop it first.
      const err = await appError(photos.prepare(image(file)));
      expect(err.code).toBe('photo.unsupported_format');
      expect(err.params).toEqual({ received: 'svg', expected: 'JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIC' });
    },
  );

  it.each([
    ['text', image('sharp-fixtures/LICENSE-sharp-code-Apache-2.0.txt')],
    ['pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1')],
    ['unknown', Buffer.from([0x00, 0x11, 0x22, 0x33, 0x00, 0x01])],
  ])('%s -> unsupported_format', async (received, bytes) => {
    const err = await appError(photos.prepare(bytes));
    expect([err.code, err.params.received]).toEqual(['photo.unsupported_format', received]);
  });

  it('a HEIC ftyp with nothing after it -> corrupt heic (HEIC is accepted; this one has no image)', async () => {
    const ftyp = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
      Buffer.alloc(200),
    ]);
    const err = await appError(photos.prepare(ftyp));
    expect([err.code, err.params.format]).toEqual(['photo.corrupt', 'heic']);
  });

  it('over maxBytes -> too_large_bytes, before looking at the content', async () => {
    const bytes = Buffer.alloc(Math.floor(23.4 * 1024 * 1024)); // not even an image
    const err = await appError(photos.prepare(bytes));
    expect(err.code).toBe('photo.too_large_bytes');
    expect(err.params).toEqual({ maxMegabytes: 20, receivedMegabytes: 23.4 });
    expect(err.status).toBe(413);
  });

  it('a real photo over a small maxBytes -> too_large_bytes', async () => {
    const err = await appError(processor({ maxBytes: 300 * 1024 }).prepare(exif('Landscape', 1)));
    expect(err.code).toBe('photo.too_large_bytes');
    expect(err.params).toEqual({ maxMegabytes: 0.2, receivedMegabytes: 0.4 });
  });
});

describe('rejected from the header', () => {
  it('a PNG header claiming 100000x100000 -> too_many_pixels, without allocating', async () => {
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const rssBefore = process.memoryUsage().rss;
    const err = await appError(photos.prepare(bomb));
    expect(err.code).toBe('photo.too_many_pixels');
    expect(err.params).toEqual({ width: 100_000, height: 100_000, maxMegapixels: 50, receivedMegapixels: 10_000 });
    // 10^10 grey pixels would be 10 GB; we stayed far below 1 GB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(1e9);
  });

  it('a real photo over a low maxPixels -> too_many_pixels', async () => {
    const err = await appError(processor({ maxPixels: 1_000_000 }).prepare(exif('Landscape', 6)));
    expect(err.code).toBe('photo.too_many_pixels');
    expect(err.params).toEqual({ width: 1800, height: 1200, maxMegapixels: 1, receivedMegapixels: 2.2 });
  });

  it('too small after orientation names the oriented size', async () => {
    const err = await appError(processor({ minSide: 1300 }).prepare(exif('Landscape', 6)));
    expect(err.code).toBe('photo.too_small');
    expect(err.params).toEqual({ width: 1800, height: 1200, minSide: 1300 });
  });
});

describe('rejected while decoding', () => {
  it.each([
    ['sharp-fixtures/truncated.jpg', 'jpeg'],
    ['sharp-fixtures/truncated.png', 'png'],
    ['sharp-fixtures/corrupt-header.jpg', 'jpeg'],
  ])('%s -> corrupt (not padded grey)', async (file, format) => {
    const err = await appError(photos.prepare(image(file)));
    expect(err.code).toBe('photo.corrupt');
    expect(err.params).toEqual({ format });
  });

  it('a JPEG cut at every 10% of its length -> corrupt', async () => {
    const whole = exif('Portrait', 1);
    for (let tenth = 1; tenth < 10; tenth++) {
      const err = await appError(photos.prepare(whole.subarray(0, Math.floor((whole.length * tenth) / 10))));
      expect([tenth, err.code]).toEqual([tenth, 'photo.corrupt']);
    }
  });

  it('accepts a JPEG with a benign libjpeg warning (extraneous bytes before a marker)', async () => {
    const jpeg = exif('Landscape', 1);
    // Walk the segments to the start of scan, then slip three stray bytes in front of it.
    let at = 2;
    while (jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) at += 2 + jpeg.readUInt16BE(at + 2);
    expect([jpeg[at], jpeg[at + 1]]).toEqual([0xff, 0xda]);
    const junk = Buffer.concat([jpeg.subarray(0, at), Buffer.from([0x12, 0x34, 0x56]), jpeg.subarray(at)]);
    const result = await photos.prepare(junk);
    expect(result.source).toMatchObject({ width: 1800, height: 1200 });
  });
});

describe('arbitrary bytes', () => {
  const signatures = [
    [0xff, 0xd8, 0xff],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [...Buffer.from('GIF89a')],
    [...Buffer.from('RIFF\0\0\0\0WEBP')],
    [0x49, 0x49, 0x2a, 0x00],
    [...Buffer.from('\0\0\0\x18ftypavif\0\0\0\0mif1avif', 'latin1')],
    [],
  ];
  const lenient = processor({ minSide: 1 });

  it.prop([fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 600 })], { numRuns: 150 })(
    'only ever reject with a photo.* AppError',
    async (signature, rest) => {
      const bytes = Buffer.concat([Buffer.from(signature), rest]);
      try {
        await lenient.prepare(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect(PHOTO_CODES).toContain((err as AppError).code);
      }
    },
  );

  it.prop([fc.nat({ max: 99 }), fc.uint8Array({ minLength: 1, maxLength: 64 })], {
    numRuns: 40,
    // One IHDR byte overwritten made libspng ask for 24 GB, which once surfaced as "internal".
    examples: [[12, Uint8Array.from([10])]],
  })('a real PNG with bytes overwritten never escapes as anything but a photo.* AppError', async (percent, noise) => {
    const bytes = Buffer.from(image('pngsuite/png/basn2c08.png'));
    const at = Math.floor((bytes.length * percent) / 100);
    Buffer.from(noise).copy(bytes, at);
    try {
      await lenient.prepare(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(PHOTO_CODES).toContain((err as AppError).code);
    }
  });
});
