/**
 * What every photo upload route does before and while reading the photo, shared by the upload
 * page (`POST /api/uploads`) and the tab (`POST /api/me/photo-requests`): the per-user rate check
 * before a byte is read, the declared size check, the crop and rotation query, and the bounded read.
 */
import type { Next, Request, Response } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { CropRect, QuarterTurn } from '../core/photo/pipeline-ports';
import type { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import { sendError } from './http-errors';
import { BodyTooLargeError, readBody } from './read-body';

const cropQuery = z
  .object({
    cropLeft: z.coerce.number().int().nonnegative(),
    cropTop: z.coerce.number().int().nonnegative(),
    cropSize: z.coerce.number().int().positive(),
    rotate: z.coerce
      .number()
      .refine((n): n is QuarterTurn => n === 0 || n === 90 || n === 180 || n === 270, 'rotate is 0, 90, 180 or 270'),
  })
  .partial();

/** The photo is larger than allowed (413), in MiB for the message. */
function tooLarge(maxBytes: number, received: number): AppError {
  return new AppError('photo.too_large_bytes', 'upload over the limit', {
    status: 413,
    params: {
      maxMegabytes: Math.round(maxBytes / 1048576),
      receivedMegabytes: Math.round((received / 1048576) * 10) / 10,
    },
  });
}

/** Middleware: refuses a declared Content-Length over `maxBytes` before reading anything. */
export function declaredSizeGuard(maxBytes: number) {
  return (req: Request, res: Response, next: Next): void => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      sendError(req, res, tooLarge(maxBytes, declared));
      return next(false);
    }
    return next();
  };
}

/**
 * Middleware that runs `check` before a byte of the photo is read; what it throws is the answer, and the connection
 * is closed rather than drained.
 */
function refuseBeforeReading(check: (req: Request) => void) {
  return (req: Request, res: Response, next: Next): void => {
    try {
      check(req);
      return next();
    } catch (err) {
      res.header('Connection', 'close');
      sendError(req, res, err);
      return next(false);
    }
  };
}

/** Middleware: refuses an upload while the photo pipeline is full (503 photo.busy with Retry-After), before the body is read. */
export function busyGuard(busyNow: () => Error | null) {
  return refuseBeforeReading(() => {
    const refusal = busyNow();
    if (refusal) throw refusal;
  });
}

/** Middleware: takes one photo from the caller's allowance (`userOf` names them); refuses before the body is read. */
export function rateLimitGuard(limiter: UploadRateLimiter | undefined, userOf: (req: Request) => string) {
  return refuseBeforeReading((req) => limiter?.take(userOf(req)));
}

/** The crop and quarter turns from the query; throws input.invalid (400) for anything malformed. */
export function parseCropQuery(query: unknown): { crop?: CropRect; rotate?: QuarterTurn } {
  const parsed = cropQuery.safeParse(query ?? {});
  if (!parsed.success) throw new AppError('input.invalid', 'bad crop parameters', { status: 400 });
  const { cropLeft, cropTop, cropSize, rotate } = parsed.data;
  const given = [cropLeft, cropTop, cropSize].filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 3)
    throw new AppError('input.invalid', 'crop needs cropLeft, cropTop and cropSize', { status: 400 });
  return {
    ...(given === 3 ? { crop: { left: cropLeft as number, top: cropTop as number, size: cropSize as number } } : {}),
    ...(rotate ? { rotate: rotate as QuarterTurn } : {}),
  };
}

/** The raw photo body, at most `maxBytes` (photo.too_large_bytes, 413, beyond). */
export async function readPhotoBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readBody(req, maxBytes).catch((err: unknown) => {
    throw err instanceof BodyTooLargeError ? tooLarge(maxBytes, err.receivedBytes) : err;
  });
  return new Uint8Array(bytes);
}
