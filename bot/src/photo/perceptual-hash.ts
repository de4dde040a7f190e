/**
 * The perceptual hash of a photo (sharp-phash: a DCT hash of a 32x32 greyscale copy): 64 bits as 16 hex digits.
 * Two encodings of one photo (Microsoft 365 re-encodes every photo it stores) land a few bits apart; two photos,
 * far apart. The import compares them with core/import/import-service.ts hashDistance.
 */
import phash from 'sharp-phash';

export async function perceptualHash(image: Uint8Array): Promise<string> {
  const bits = await phash(Buffer.from(image));
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}
