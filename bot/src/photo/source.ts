/**
 * Opens an upload for decoding: reads its header with sharp, checks that the
 * decoder agrees with the detected format, and guards the pixel count before any
 * pixel is decoded. HEIC, which sharp cannot decode, is turned into raw pixels by
 * the WebAssembly decoder (heic-decoder.ts) and handed to sharp as `{ raw }`
 * input; nothing downstream differs.
 */
import sharp, { type Sharp, type SharpOptions, type Metadata } from 'sharp';
import type { ImageFormat } from '../core/photo/pipeline-ports';
import type { Deadline } from './deadline';
import { normaliseDecodeError } from './decode-error';
import { decodeHeic } from './heic-decoder';
import { corruptError, tooManyPixelsError } from './photo-errors';
import type { MemoryBudget } from './memory-budget';

/**
 * How strict decoding is. 'error' rejects truncated data, bad CRCs and invalid
 * headers (every PngSuite x* file, truncated.jpg/png) but, unlike sharp's default
 * 'warning', still accepts the benign libjpeg warnings ("extraneous bytes before
 * marker") that many camera and phone JPEGs carry and every viewer shows fine.
 */
const FAIL_ON = 'error' as const;

/** An upload whose header has been read and checked. */
export interface SourceImage {
  format: ImageFormat;
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  /** The EXIF orientation found, 1-8 (1 when absent, invalid, or applied by the decoder as for HEIC). */
  orientation: number;
  /** Greyscale with an alpha channel: flattening it onto a colour needs RGB first. */
  greyWithAlpha: boolean;
  /** A fresh sharp pipeline over the input, with the safety limits set. */
  open(): Sharp;
}

/** Limits applied while opening. */
export interface SourceLimits {
  maxPixels: number;
  /** The memory HEIC decodes share (see memory-budget.ts). */
  heicMemory: MemoryBudget;
}

/** The decoder sharp reports for each format it decodes itself. */
const SHARP_FORMAT: Record<Exclude<ImageFormat, 'heic'>, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  avif: 'heif',
};

/** EXIF orientation as a number 1-8; anything else (absent, 0, garbage) means 1. */
function exifOrientation(value: number | undefined): number {
  return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 8 ? value : 1;
}

/** Reads the header of `bytes` (already detected as `format`) and returns a checked source. */
export async function openSource(
  bytes: Uint8Array,
  format: ImageFormat,
  limits: SourceLimits,
  deadline: Deadline,
): Promise<SourceImage> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options: SharpOptions = {
    failOn: FAIL_ON,
    // Backstop for the header check below: libvips itself refuses to allocate beyond this.
    limitInputPixels: limits.maxPixels,
    // One image only: the first frame of an animated GIF/WebP, the first page of a TIFF. For HEIF
    // (AVIF) no page is named, so libvips takes the primary item (pitm), not the first of several.
    pages: 1,
    ...(format === 'avif' || format === 'heic' ? {} : { page: 0 }),
  };

  let meta: Metadata | undefined;
  try {
    // The header read allocates no pixels; the pixel limit is checked below, with the dimensions in the error.
    meta = await sharp(input, { ...options, limitInputPixels: false }).metadata();
  } catch (err) {
    // libvips cannot even parse most HEIC headers without an HEVC decoder: the WebAssembly decoder decides.
    if (format !== 'heic') throw normaliseDecodeError(err, { format, maxPixels: limits.maxPixels });
  }

  // HEVC goes to the WebAssembly decoder; an AV1 file with HEIF brands is AVIF in all but name, and sharp reads it.
  const av1 = meta?.format === 'heif' && meta.compression === 'av1';
  if (format === 'heic' && !av1) return openHeic(bytes, limits, deadline);
  if (format === 'avif' && meta?.format === 'heif' && meta.compression === 'hevc')
    return openHeic(bytes, limits, deadline);

  const expected = format === 'heic' ? 'heif' : SHARP_FORMAT[format];
  if (!meta || meta.format !== expected) {
    // The magic number said one thing and the decoder found another: a damaged or crafted file.
    throw corruptError(format, new Error(`detected ${format} but decoder reports ${meta?.format}`));
  }
  if (!meta.width || !meta.height) throw corruptError(format, new Error('no dimensions in header'));
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  if (meta.width * meta.height > limits.maxPixels) {
    throw tooManyPixelsError(limits.maxPixels, oriented.width, oriented.height);
  }

  return {
    // An AV1 image in a file branded only as HEIF is AVIF in all but name.
    format: av1 ? 'avif' : format,
    width: oriented.width,
    height: oriented.height,
    orientation: exifOrientation(meta.orientation),
    greyWithAlpha: meta.hasAlpha === true && meta.channels === 2,
    open: () => sharp(input, options),
  };
}

/** A HEIC upload, decoded to raw RGBA in a worker (the pixel limit is checked before). */
async function openHeic(bytes: Uint8Array, limits: SourceLimits, deadline: Deadline): Promise<SourceImage> {
  const pixels = await decodeHeic(bytes, { maxPixels: limits.maxPixels, deadline, memory: limits.heicMemory });
  const raw: SharpOptions = { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } };
  return {
    format: 'heic',
    width: pixels.width,
    height: pixels.height,
    orientation: 1,
    greyWithAlpha: false,
    open: () => sharp(pixels.data, raw),
  };
}
