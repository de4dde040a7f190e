import { fc, it } from '@fast-check/jest';
import { AppError } from '../../../bot/src/core/errors';
import { checkUpload, detectFormat } from '../../../bot/src/photo';
import { image, manifest, pngSuite } from '../../support/images';

const ALLOWED_UPLOAD_CODES = ['photo.empty', 'photo.too_large_bytes', 'photo.unsupported_format', 'photo.corrupt'];

/** An ISO-BMFF file start: an `ftyp` box with major and compatible brands. */
function ftyp(major: string, compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size, 0);
  head.write('ftyp', 4, 'latin1');
  return Buffer.concat([head, Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1'), Buffer.alloc(64)]);
}

describe('detectFormat on the corpus', () => {
  const raster = manifest.filter((f) => f.format !== 'svg' && !f.path.includes('/xs') && !/\/x(cr|lf)/.test(f.path));
  it.each(raster.map((f) => [f.path, f.format]))('%s is %s', (file, format) => {
    expect(detectFormat(image(file))).toEqual({ kind: 'image', format });
  });

  it.each(pngSuite().filter((f) => /^x(s|cr|lf)/.test(f)))(
    'damaged PNG signature %s is recognised as a damaged png',
    (f) => {
      expect(detectFormat(image(`pngsuite/png/${f}`))).toEqual({ kind: 'damaged', format: 'png' });
    },
  );

  it.each(['sharp-fixtures/check.svg', 'sharp-fixtures/circle.svg'])('%s is svg', (file) => {
    expect(detectFormat(image(file))).toEqual({ kind: 'other', received: 'svg' });
  });

  it('names text, pdf and other foreign formats', () => {
    expect(detectFormat(image('sharp-fixtures/LICENSE-sharp-code-Apache-2.0.txt'))).toEqual({
      kind: 'other',
      received: 'text',
    });
    expect(detectFormat(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1'))).toEqual({
      kind: 'other',
      received: 'pdf',
    });
    expect(detectFormat(Buffer.from('<?xml version="1.0"?><note/>'))).toEqual({ kind: 'other', received: 'xml' });
    expect(detectFormat(Buffer.from('\ufeff<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual(
      {
        kind: 'other',
        received: 'svg',
      },
    );
    expect(detectFormat(Buffer.from('<!DOCTYPE html><html></html>'))).toEqual({ kind: 'other', received: 'html' });
    expect(detectFormat(Buffer.from('BM' + '\0'.repeat(60), 'latin1'))).toEqual({ kind: 'other', received: 'bmp' });
    expect(detectFormat(Buffer.from([0, 1, 2, 3, 0, 0, 0, 0]))).toEqual({ kind: 'other', received: 'unknown' });
  });

  it('tells HEIC from AVIF by the ftyp brands', () => {
    expect(detectFormat(ftyp('heic', ['mif1', 'heic']))).toEqual({ kind: 'image', format: 'heic' });
    expect(detectFormat(ftyp('mif1', ['mif1', 'heic', 'miaf']))).toEqual({ kind: 'image', format: 'heic' });
    expect(detectFormat(ftyp('heix', []))).toEqual({ kind: 'image', format: 'heic' });
    expect(detectFormat(ftyp('mif1', ['avif', 'mif1', 'miaf']))).toEqual({ kind: 'image', format: 'avif' });
    expect(detectFormat(ftyp('avif', ['mif1']))).toEqual({ kind: 'image', format: 'avif' });
    expect(detectFormat(ftyp('isom', ['iso2', 'mp41']))).toEqual({ kind: 'other', received: 'video' });
  });
});

describe('checkUpload', () => {
  it('rejects empty input', () => {
    expect(() => checkUpload(new Uint8Array(0), 100)).toThrow(expect.objectContaining({ code: 'photo.empty' }));
  });

  it('passes HEIC through: it is decoded, not refused', () => {
    expect(checkUpload(ftyp('heic', ['mif1', 'heic']), 1e6)).toBe('heic');
    expect(checkUpload(ftyp('mif1', ['mif1', 'heic', 'miaf']), 1e6)).toBe('heic');
  });

  it('checks the size before looking at the bytes', () => {
    expect(() => checkUpload(Buffer.from('<svg/>'), 3)).toThrow(
      expect.objectContaining({ code: 'photo.too_large_bytes' }),
    );
  });
});

describe('properties', () => {
  it.prop([fc.uint8Array({ maxLength: 2048 })])('detectFormat never throws and always names something', (bytes) => {
    const detected = detectFormat(bytes);
    if (detected.kind === 'other') expect(detected.received).toMatch(/^[a-z]+$/);
    else expect(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heic']).toContain(detected.format);
  });

  it.prop([fc.uint8Array({ maxLength: 2048 }), fc.integer({ min: 1, max: 4096 })])(
    'checkUpload throws only AppErrors with an upload code',
    (bytes, maxBytes) => {
      try {
        checkUpload(bytes, maxBytes);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect(ALLOWED_UPLOAD_CODES).toContain((err as AppError).code);
      }
    },
  );

  it.prop([fc.uint8Array({ maxLength: 512 })])('anything starting with FF D8 FF is taken as JPEG', (rest) => {
    expect(detectFormat(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), rest]))).toEqual({
      kind: 'image',
      format: 'jpeg',
    });
  });
});
