/**
 * Comparing pictures by perceptual hash: Microsoft 365 re-encodes every photo it stores and
 * serves (and SharePoint makes its own thumbnails), so bytes and etags never match across
 * systems even when the picture does.
 */

/** Hashes at most this many bits apart (of 64) show the same picture. */
const SAME_PICTURE_MAX_DISTANCE = 10;

const BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Bits in which two 16-hex-digit hashes differ; 64 when either is not such a hash. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) return 64;
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += BITS[parseInt(a[i] as string, 16) ^ parseInt(b[i] as string, 16)] as number;
  return distance;
}

/** True when two hashes show the same picture. */
export function samePicture(a: string, b: string): boolean {
  return hammingDistance(a, b) <= SAME_PICTURE_MAX_DISTANCE;
}
