/**
 * What a chosen file is, from its first bytes (not its name or the type the browser guesses from the
 * name): the formats the service takes (JPEG, PNG, WebP, GIF, TIFF, and AVIF or HEIC in an ISO-BMFF
 * box), so a PDF renamed .jpg is refused before it is uploaded. The service checks the bytes again.
 * Pure: no DOM.
 */

/** A format the service takes. */
export type PhotoKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'heif';

/** HEIF and AVIF brands in the `ftyp` box. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...Array.from(bytes.subarray(from, to)));

/** The kind of photo `head` (the file's first 16 bytes or more) starts, or null when it is none of them. */
export function photoKind(head: Uint8Array): PhotoKind | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && ascii(head, 1, 4) === 'PNG' && head[0] === 0x89) return 'png';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (head.length >= 6 && /^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'gif';
  if (head.length >= 4 && (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*')) return 'tiff';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(head, 8, 12))) return 'heif';
  return null;
}
