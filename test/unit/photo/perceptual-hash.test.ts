/** The perceptual hash (bot/src/photo/perceptual-hash.ts) tells a re-encoded photo from another photo. */
import sharp from 'sharp';
import { perceptualHash } from '../../../bot/src/photo/perceptual-hash';
import { SAME_PHOTO_DISTANCE, hashDistance } from '../../../bot/src/core/import/import-service';
import { PHOTOS } from '../../support/import-files';

test('the same photo re-encoded and resized as Microsoft 365 does is within the distance; other photos are not', async () => {
  const hashes = await Promise.all(PHOTOS.map((p) => perceptualHash(p)));
  for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{16}$/);
  const reencoded = await sharp(PHOTOS[0]!).resize(240, 240, { fit: 'cover' }).jpeg({ quality: 60 }).toBuffer();
  expect(hashDistance(hashes[0]!, await perceptualHash(reencoded))).toBeLessThanOrEqual(SAME_PHOTO_DISTANCE);
  for (let i = 0; i < hashes.length; i++)
    for (let j = i + 1; j < hashes.length; j++)
      expect(hashDistance(hashes[i]!, hashes[j]!)).toBeGreaterThan(SAME_PHOTO_DISTANCE);
});

test('hashDistance counts differing bits; hashes of different lengths are as far apart as can be', () => {
  expect(hashDistance('0000000000000000', '000000000000000f')).toBe(4);
  expect(hashDistance('ffff', 'ffff')).toBe(0);
  expect(hashDistance('ff', 'ffff')).toBe(64);
});
