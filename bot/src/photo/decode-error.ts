/**
 * Turns whatever sharp/libvips threw while reading an upload into one AppError.
 * libvips errors are plain Errors whose message is the only signal, so this
 * matches on message text; the patterns below are the ones sharp 0.35 produces
 * on the PngSuite and sharp fixtures (see test/unit/photo/decode-error.test.ts).
 */
import { AppError } from '../core/errors';
import { corruptError, decodeTimeoutError, tooManyPixelsError, unsupportedFormatError } from './photo-errors';

/** What the caller knew when decoding failed; improves the params of the error. */
export interface DecodeErrorContext {
  /** The format detected from the bytes. */
  format?: string;
  maxPixels?: number;
  timeoutMs?: number;
}

const PIXEL_LIMIT = /exceeds pixel limit/i;
const UNSUPPORTED = /unsupported image format/i;
const TIMEOUT = /\btimeout\b/i;
/** sharp's own parameter validation ("Expected ... but received ..."): a bug of ours, not bad input. */
const INVALID_PARAMETER = /^Expected .+ but received /;
const OUT_OF_MEMORY = /out of memory|cannot allocate|vips_malloc|failed to allocate/i;

/** Maps an error thrown while decoding an upload to an AppError (photo.* or internal). */
export function normaliseDecodeError(err: unknown, context: DecodeErrorContext = {}): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof Error)) {
    return new AppError('internal', `Non-error thrown while decoding: ${String(err)}`, { cause: err });
  }
  const message = err.message;
  if (PIXEL_LIMIT.test(message)) return tooManyPixelsError(context.maxPixels ?? 0, 0, 0, err);
  if (UNSUPPORTED.test(message)) return unsupportedFormatError('unknown', err);
  if (TIMEOUT.test(message)) return decodeTimeoutError(context.timeoutMs ?? 0, err);
  if (OUT_OF_MEMORY.test(message)) {
    // A decoder asking for more memory than any image within the pixel limit could need (8 bytes a pixel: 16-bit
    // RGBA) was misled by a damaged header: the file is at fault, not the machine.
    const askedMb = Number(/size == (\d+)\s*MB/i.exec(message)?.[1] ?? NaN);
    const mostMb = context.maxPixels ? (context.maxPixels * 8) / (1024 * 1024) : NaN;
    if (Number.isFinite(askedMb) && Number.isFinite(mostMb) && askedMb > 2 * mostMb)
      return corruptError(context.format ?? 'unknown', err);
    return new AppError('internal', `Out of memory while decoding: ${message}`, { retryable: true, cause: err });
  }
  // Programming errors (ours) must not be blamed on the user's file.
  if (
    INVALID_PARAMETER.test(message) ||
    err instanceof TypeError ||
    err instanceof RangeError ||
    err instanceof ReferenceError
  ) {
    return new AppError('internal', message, { cause: err });
  }
  // Everything else libvips says about an input it could not read ("corrupt header",
  // "premature end of JPEG image", "libpng read error", "IHDR: CRC error", "Unknown error")
  // means the bytes are damaged.
  return corruptError(context.format ?? 'unknown', err);
}
