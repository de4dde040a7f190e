/** The sharp side of photo status: perceptual hashes on real photos, SharePoint thumbnails, the AD-ready photo, file names. */
import sharp from 'sharp';
import { fc, test as fcTest } from '@fast-check/jest';
import { hammingDistance, samePicture } from '../../../bot/src/core/status/picture-match';
import { SharpPictureTools, differenceHash } from '../../../bot/src/photo/picture-tools';
import { membershipClaim, thumbnailStem } from '../../../bot/src/m365/sharepoint-profiles';
import { image } from '../../support/photos';

const tools = new SharpPictureTools();
const landscape = Buffer.from(image('exif-orientation-examples/Landscape_1.jpg'));
const portrait = Buffer.from(image('exif-orientation-examples/Portrait_1.jpg'));

/** What Graph and SharePoint do to a photo: crop square, resize, re-encode. */
const square = (bytes: Buffer, side: number, quality = 85) =>
  sharp(bytes).rotate().resize(side, side, { fit: 'cover' }).jpeg({ quality }).toBuffer();

test('the same picture hashes the same at 648, 96 and 48 px and after re-encoding; another picture does not', async () => {
  const big = await tools.fingerprint(await square(landscape, 648, 90));
  const small = await tools.fingerprint(await square(landscape, 48, 60));
  const thumb = await tools.fingerprint(await square(await square(landscape, 96), 72, 50));
  const other = await tools.fingerprint(await square(portrait, 648));
  expect(big.hash).toMatch(/^[0-9a-f]{16}$/);
  expect(samePicture(big.hash, small.hash)).toBe(true);
  expect(samePicture(big.hash, thumb.hash)).toBe(true);
  expect(hammingDistance(big.hash, other.hash)).toBeGreaterThan(20);
  expect(samePicture(big.hash, other.hash)).toBe(false);
});

test('a fingerprint has a preview of at most 48 px (card size) and the oriented size', async () => {
  const f = await tools.fingerprint(image('exif-orientation-examples/Portrait_6.jpg'));
  const meta = await sharp(Buffer.from(f.preview)).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 48, 48]);
  expect(f.preview.byteLength).toBeLessThan(3 * 1024);
  expect(f.height).toBeGreaterThan(f.width); // EXIF orientation 6: a portrait stored sideways
});

test('unreadable bytes are photo.corrupt, not a crash', async () => {
  await expect(tools.fingerprint(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'photo.corrupt' });
});

test('SharePoint thumbnails come out square at the asked sides', async () => {
  const out = await tools.squares(landscape, [48, 72, 200]);
  const sides = await Promise.all(out.map(async (b) => (await sharp(Buffer.from(b)).metadata()).width));
  expect(sides).toEqual([48, 72, 200]);
});

test('the AD-ready photo is a 96x96 JPEG of at most 10 KB, even from a detailed photo', async () => {
  const ad = await tools.adThumbnail(landscape, 10 * 1024);
  expect(ad.byteLength).toBeLessThanOrEqual(10 * 1024);
  expect(await sharp(Buffer.from(ad)).metadata()).toMatchObject({ format: 'jpeg', width: 96, height: 96 });
  await expect(tools.adThumbnail(landscape, 300)).rejects.toMatchObject({ code: 'internal' });
});

test('the difference hash compares neighbours left to right, row by row', () => {
  const rising = new Uint8Array(72).map((_, i) => (i % 9) * 10);
  expect(differenceHash(rising)).toBe('ffffffffffffffff');
  expect(differenceHash(new Uint8Array(72))).toBe('0000000000000000');
});

describe('SharePoint file names (seed article: \\ @ . " # % & * : < > ? { } | become _)', () => {
  test('the demo users and a guest', () => {
    expect(thumbnailStem('meganb@example.com')).toBe('meganb_example_com');
    expect(thumbnailStem('jordan_contoso.com#EXT#@example.com')).toBe('jordan_contoso_com_EXT__example_com');
    expect(membershipClaim('Alex.W@Example.com')).toBe('i:0#.f|membership|alex.w@example.com');
  });

  fcTest.prop([fc.string({ unit: 'grapheme', maxLength: 40 })])(
    'keeps the length, removes every listed character and changes nothing else',
    (name) => {
      const stem = thumbnailStem(name);
      expect(stem.length).toBe(name.length);
      expect(stem).not.toMatch(/[\\@."#%&*:<>?{}|]/);
      for (let i = 0; i < name.length; i++) {
        if (!'\\@."#%&*:<>?{}|'.includes(name[i] as string)) expect(stem[i]).toBe(name[i]);
      }
    },
  );
});
