/** The tab names a file's kind from its first bytes, as the service does: real files from the image corpus. */
import fs from 'node:fs';
import path from 'node:path';
import { photoKind } from '../../../../../tab/src/pages/my-photo/file-kind';
import { detectFormat } from '../../../../../bot/src/photo/detect-format';
import { image } from '../../../../support/photos';

const head = (bytes: Uint8Array) => bytes.subarray(0, 16);
const heic = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, '../../../../fixtures/heic', name)));

test.each([
  ['sharp-fixtures/320x240.jpg', 'jpeg'],
  ['sharp-fixtures/Channel_digital_image_CMYK_color_no_profile.jpg', 'jpeg'],
  ['pngsuite/png/basn2c08.png', 'png'],
  ['sharp-fixtures/5_webp_a.webp', 'webp'],
  ['sharp-fixtures/animated-loop-3.gif', 'gif'],
  ['sharp-fixtures/8bit_depth.tiff', 'tiff'],
  ['sharp-fixtures/G31D.TIF', 'tiff'],
  ['sharp-fixtures/pitm.avif', 'heif'],
])('%s is a %s', (file, kind) => {
  expect(photoKind(head(image(file)))).toBe(kind);
});

test('HEIC photos from phones are recognised by their ftyp box, whatever the browser calls them', () => {
  expect(photoKind(head(heic('alpha.heic')))).toBe('heif');
  expect(photoKind(head(heic('landscape-irot.heic')))).toBe('heif');
});

test('what is not a photo is refused before upload, as the service refuses it', () => {
  const notPhotos = [
    new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
    image('sharp-fixtures/check.svg'),
    new TextEncoder().encode('hello, this is text'),
    new Uint8Array(0),
    new Uint8Array([0xff, 0xd8]),
  ];
  for (const bytes of notPhotos) {
    expect(photoKind(head(bytes))).toBeNull();
    expect(detectFormat(bytes).kind).not.toBe('image');
  }
});
