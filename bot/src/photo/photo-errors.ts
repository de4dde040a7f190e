/**
 * Constructors for the photo.* AppErrors, so that every code always carries the
 * same params (the list is documented in sharp-image-processor.ts).
 */
import { AppError } from '../core/errors';

/** The formats a user may send, for messages that say what was expected. */
const EXPECTED_FORMATS = 'JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIC';

const MIB = 1024 * 1024;

/** Megabytes with one decimal, rounded up so a file just over the limit never reads as equal to it. */
function megabytesUp(bytes: number): number {
  return Math.ceil((bytes / MIB) * 10) / 10;
}

function megabytesDown(bytes: number): number {
  return Math.floor((bytes / MIB) * 10) / 10;
}

function megapixels(pixels: number): number {
  return Math.round((pixels / 1e6) * 10) / 10;
}

/** No bytes at all. */
export function emptyError(): AppError {
  return new AppError('photo.empty', 'Expected an image but received 0 bytes');
}

/** A format we do not take (SVG, PDF, BMP, video...). */
export function unsupportedFormatError(received: string, cause?: unknown): AppError {
  return new AppError('photo.unsupported_format', `Expected ${EXPECTED_FORMATS} image but received ${received}`, {
    params: { received, expected: EXPECTED_FORMATS },
    cause,
  });
}

/** A file of a known format that cannot be decoded (truncated, bad CRC, bad header). */
export function corruptError(format: string, cause?: unknown): AppError {
  const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  return new AppError('photo.corrupt', `Expected a complete ${format} image but it could not be decoded${detail}`, {
    params: { format },
    cause,
  });
}

/** More bytes than allowed; raised before any decoding. */
export function tooLargeBytesError(maxBytes: number, receivedBytes: number): AppError {
  const maxMegabytes = megabytesDown(maxBytes);
  const receivedMegabytes = megabytesUp(receivedBytes);
  return new AppError('photo.too_large_bytes', `Expected at most ${maxBytes} bytes but received ${receivedBytes}`, {
    status: 413,
    params: { maxMegabytes, receivedMegabytes },
  });
}

/** More pixels than allowed (decompression-bomb guard). Width/height are 0 when unknown. */
export function tooManyPixelsError(maxPixels: number, width: number, height: number, cause?: unknown): AppError {
  return new AppError('photo.too_many_pixels', `Expected at most ${maxPixels} pixels but received ${width}x${height}`, {
    params: {
      width,
      height,
      maxMegapixels: megapixels(maxPixels),
      receivedMegapixels: megapixels(width * height),
    },
    cause,
  });
}

/** The short side (after orientation) is below the minimum. */
export function tooSmallError(width: number, height: number, minSide: number): AppError {
  return new AppError(
    'photo.too_small',
    `Expected at least ${minSide}px on the short side but received ${width}x${height}`,
    {
      params: { width, height, minSide },
    },
  );
}

/** Too many photos in flight; try again shortly. */
export function busyError(retryAfterSeconds: number): AppError {
  return new AppError('photo.busy', `Photo queue is full; retry after ${retryAfterSeconds}s`, {
    status: 503,
    retryable: true,
    retryAfterSeconds,
    params: { retryAfterSeconds },
  });
}

/** The per-photo time budget ran out. Not retryable: the same file would take as long again. */
export function decodeTimeoutError(timeoutMs: number, cause?: unknown): AppError {
  const timeoutSeconds = Math.max(1, Math.round(timeoutMs / 1000));
  return new AppError('photo.decode_timeout', `Expected the photo to be processed within ${timeoutSeconds}s`, {
    params: { timeoutSeconds },
    cause,
  });
}
