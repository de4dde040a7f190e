/**
 * Format detection from the bytes alone (magic numbers). File names and declared
 * content types are never consulted: both come from the sender and can lie.
 */
import type { ImageFormat } from '../core/photo/pipeline-ports';

/** What the first bytes say an upload is. */
export type DetectedFormat =
  /** A raster format we know (`heic` is decoded by the WebAssembly decoder, the rest by sharp). */
  | { kind: 'image'; format: ImageFormat }
  /** Almost a known signature (a damaged PNG header): a broken file, not a foreign format. */
  | { kind: 'damaged'; format: ImageFormat }
  /** Anything else, with a short name for the message ('svg', 'pdf', 'text', 'unknown'...). */
  | { kind: 'other'; received: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** ISO-BMFF brands of AVIF (AV1 in HEIF). */
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** ISO-BMFF brands of HEIC/HEIF (HEVC or generic HEIF structure). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2']);
/** Brands of video containers, which share the `ftyp` box with HEIF. */
const VIDEO_BRANDS = new Set([
  'isom',
  'iso2',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'qt  ',
  'M4V ',
  'M4A ',
  '3gp4',
  '3gp5',
  '3g2a',
  'dash',
]);

/** How many leading bytes the text sniffers look at. */
const SNIFF_LENGTH = 1024;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** A PNG whose signature is damaged but still recognisable (PngSuite `xs*`, `xcr*`, `xlf*`). */
function isDamagedPng(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  if (ascii(bytes, 12, 16) === 'IHDR') return true;
  const matching = PNG_SIGNATURE.filter((b, i) => bytes[i] === b).length;
  return matching >= 6 && /png/i.test(ascii(bytes, 1, 4));
}

/** Reads the `ftyp` box: major brand plus compatible brands. */
function ftypBrands(bytes: Uint8Array): string[] | null {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const declared = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const boxEnd = Math.min(bytes.length, declared >= 16 ? declared : 16, 4096);
  const brands = [ascii(bytes, 8, 12)];
  for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(ascii(bytes, i, i + 4));
  return brands;
}

function classifyFtyp(brands: string[]): DetectedFormat {
  if (brands.some((b) => AVIF_BRANDS.has(b))) return { kind: 'image', format: 'avif' };
  if (brands.some((b) => HEIF_BRANDS.has(b))) return { kind: 'image', format: 'heic' };
  if (brands.some((b) => VIDEO_BRANDS.has(b))) return { kind: 'other', received: 'video' };
  return { kind: 'other', received: 'unknown' };
}

/** Names text-based formats (SVG, XML, HTML, plain text) from the leading bytes. */
function classifyText(bytes: Uint8Array): DetectedFormat | null {
  const head = bytes.subarray(0, SNIFF_LENGTH);
  let start = 0;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) start = 3; // UTF-8 BOM
  // Text has no NUL and few control characters other than whitespace.
  let controls = 0;
  for (let i = start; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return null;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (head.length - start === 0 || controls > (head.length - start) / 20) return null;
  const text = ascii(head, start, head.length).trimStart().toLowerCase();
  if (/<svg[\s>]/.test(text) || text.startsWith('<svg')) return { kind: 'other', received: 'svg' };
  if (text.startsWith('<?xml') || text.startsWith('<!doctype svg')) return { kind: 'other', received: 'xml' };
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return { kind: 'other', received: 'html' };
  return { kind: 'other', received: 'text' };
}

/** Names the format of `bytes` from its magic numbers. Pure; never throws. */
export function detectFormat(bytes: Uint8Array): DetectedFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (startsWith(bytes, PNG_SIGNATURE)) return { kind: 'image', format: 'png' };
  const a4 = ascii(bytes, 0, 4);
  if (a4 === 'GIF8' && (ascii(bytes, 4, 6) === '7a' || ascii(bytes, 4, 6) === '9a')) {
    return { kind: 'image', format: 'gif' };
  }
  if (a4 === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' };
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])
  ) {
    return { kind: 'image', format: 'tiff' };
  }
  const brands = ftypBrands(bytes);
  if (brands) return classifyFtyp(brands);
  if (isDamagedPng(bytes)) return { kind: 'damaged', format: 'png' };

  if (a4 === '%PDF') return { kind: 'other', received: 'pdf' };
  if (a4 === '8BPS') return { kind: 'other', received: 'psd' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'other', received: 'zip' };
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) {
    return { kind: 'other', received: 'jxl' };
  }
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 14) return { kind: 'other', received: 'bmp' };
  if (startsWith(bytes, [0, 0, 1, 0]) && bytes.length >= 6) return { kind: 'other', received: 'ico' };
  return classifyText(bytes) ?? { kind: 'other', received: 'unknown' };
}
