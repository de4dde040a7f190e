/** How image formats are written for people (brand capitalisation, not the codes). */

const NAMES: Readonly<Record<string, string>> = {
  jpeg: 'JPEG',
  jpg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tiff: 'TIFF',
  avif: 'AVIF',
  heic: 'HEIC',
};

/** "jpeg" -> "JPEG", "webp" -> "WebP"; an unknown code is upper-cased. */
export function formatName(format: string): string {
  return NAMES[format.toLowerCase()] ?? format.toUpperCase();
}
