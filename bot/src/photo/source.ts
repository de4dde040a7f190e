/**
 * Opens an upload for decoding: reads its header with sharp, checks that the
 * decoder agrees with the detected format, and guards the pixel count before any
 * pixel is decoded. This is also the seam for formats sharp cannot decode (HEIC):
 * a decoder for them would turn the bytes into raw pixels here and hand sharp a
 * `{ raw }` input, and nothing downstream would change.
 */
import sharp, { type Sharp, type SharpOptions, type Metadata } from 'sharp';
import type { ImageFormat } from '../core/ports';
import { normaliseDecodeError } from './decode-error';
import { corruptError, tooManyPixelsError, unsupportedFormatError } from './photo-errors';

/**
 * How strict decoding is. 'error' rejects truncated data, bad CRCs and invalid
 * headers (every PngSuite x* file, truncated.jpg/png) but, unlike sharp's default
 * 'warning', still accepts the benign libjpeg warnings ("extraneous bytes before
 * marker") that many camera and phone JPEGs carry and every viewer shows fine.
 */
export const FAIL_ON = 'error' as const;

/** An upload whose header has been read and checked. */
export interface SourceImage {
  format: ImageFormat;
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  /** Greyscale with an alpha channel: flattening it onto a colour needs RGB first. */
  greyWithAlpha: boolean;
  /** A fresh sharp pipeline over the input, with the safety limits set. */
  open(): Sharp;
}

/** Limits applied while opening. */
export interface SourceLimits {
  maxPixels: number;
}

/** Formats sharp can decode today. */
export type DecodableFormat = Exclude<ImageFormat, 'heic'>;

/** The decoder sharp reports for each format we accept. */
const SHARP_FORMAT: Record<DecodableFormat, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  avif: 'heif',
};

/** Throws photo.unsupported_format for a recognised format we cannot decode yet (HEIC). */
export function assertDecodable(format: ImageFormat): asserts format is DecodableFormat {
  if (format === 'heic') {
    // No HEVC decoder in sharp's prebuilt libvips; a WASM decoder (heic-decode) plugs in here later.
    throw unsupportedFormatError('heic');
  }
}

/** Reads the header of `bytes` (already detected as `format`) and returns a checked source. */
export async function openSource(bytes: Uint8Array, format: ImageFormat, limits: SourceLimits): Promise<SourceImage> {
  assertDecodable(format);
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options: SharpOptions = {
    failOn: FAIL_ON,
    // Backstop for the header check below: libvips itself refuses to allocate beyond this.
    limitInputPixels: limits.maxPixels,
    // First page/frame only (animated GIF/WebP, multi-page TIFF).
    pages: 1,
    page: 0,
  };

  let meta: Metadata;
  try {
    // The header read allocates no pixels; the pixel limit is checked below, with the dimensions in the error.
    meta = await sharp(input, { ...options, limitInputPixels: false }).metadata();
  } catch (err) {
    throw normaliseDecodeError(err, { format, maxPixels: limits.maxPixels });
  }

  if (meta.format === 'heif' && meta.compression === 'hevc') throw unsupportedFormatError('heic');
  if (meta.format !== SHARP_FORMAT[format]) {
    // The magic number said one thing and the decoder found another: a damaged or crafted file.
    throw corruptError(format, new Error(`detected ${format} but decoder reports ${meta.format}`));
  }
  if (!meta.width || !meta.height) throw corruptError(format, new Error('no dimensions in header'));
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  if (meta.width * meta.height > limits.maxPixels) {
    throw tooManyPixelsError(limits.maxPixels, oriented.width, oriented.height);
  }

  return {
    format,
    width: oriented.width,
    height: oriented.height,
    greyWithAlpha: meta.hasAlpha === true && meta.channels === 2,
    open: () => sharp(input, options),
  };
}
