/**
 * The upload page's API: `POST /api/uploads` with an upload ticket as bearer token
 * and the image as the raw body. The preview goes to the user's chat and back to the page.
 */
import { type Next, type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { PhotoService } from '../core/photo/photo-service';
import type { Locale } from '../core/ports';
import { t } from '../i18n/i18n';
import { sendError } from './http-errors';
import { BodyTooLargeError, readBody } from './read-body';
import type { TicketSubject, UploadTickets } from './upload-tickets';
import type { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import { route, type AccessControl } from './route-rules';

type TicketRequest = Request & { headshotLocale?: Locale; ticketSubject?: TicketSubject };

const cropQuery = z
  .object({
    cropLeft: z.coerce.number().int().nonnegative(),
    cropTop: z.coerce.number().int().nonnegative(),
    cropSize: z.coerce.number().int().positive(),
  })
  .partial();

/** Dependencies of the upload routes. */
export interface UploadRouteDeps {
  photos: PhotoService;
  tickets: UploadTickets;
  maxBytes: number;
  /** Photos per user per minute; checked after the ticket, before the body is read. */
  rateLimiter?: UploadRateLimiter;
}

/** Registers the upload API on `server`. */
export function registerUploadRoutes(server: Server, deps: UploadRouteDeps, access: AccessControl = {}): void {
  // Callback style on purpose: restify calls next() itself after an async handler resolves.
  const authenticate = (req: TicketRequest, res: Response, next: Next): void => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const verified = match
      ? deps.tickets.verify(match[1])
      : Promise.reject(new AppError('auth.unauthenticated', 'no upload ticket', { status: 401 }));
    verified.then(
      (subject) => {
        req.ticketSubject = subject;
        req.headshotLocale = subject.locale;
        next();
      },
      (err: unknown) => {
        sendError(req, res, err);
        next(false);
      },
    );
  };

  const declaredSize = (req: Request, res: Response, next: Next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > deps.maxBytes) {
      sendError(req, res, tooLarge(deps.maxBytes, declared));
      return next(false);
    }
    return next();
  };

  const rateLimited = (req: TicketRequest, res: Response, next: Next) => {
    try {
      deps.rateLimiter?.take((req.ticketSubject as TicketSubject).userId);
      return next();
    } catch (err) {
      // Refused before a byte of the photo is read: the connection is closed rather than drained.
      res.header('Connection', 'close');
      sendError(req, res, err);
      return next(false);
    }
  };

  const rule = { method: 'POST', path: '/api/uploads', auth: 'upload-ticket', roles: ['self'] } as const;
  route(server, access, rule, authenticate, rateLimited, declaredSize, async (req: TicketRequest, res: Response) => {
    const subject = req.ticketSubject as TicketSubject;
    try {
      // The query first: a bad crop is refused without receiving the photo.
      const crop = parseCrop(req.query);
      const bytes = await readBody(req, deps.maxBytes).catch((err: unknown) => {
        throw err instanceof BodyTooLargeError ? tooLarge(deps.maxBytes, err.receivedBytes) : err;
      });
      const result = await deps.photos.receiveAndNotify({
        userId: subject.userId,
        tenantId: subject.tenantId,
        locale: subject.locale,
        bytes: new Uint8Array(bytes),
        source: 'upload-page',
        crop,
      });
      res.json({
        requestId: result.request.id,
        state: result.request.state,
        preview: `data:image/jpeg;base64,${Buffer.from(result.preview).toString('base64')}`,
        warnings: result.request.warnings.map((w) => ({
          code: w.code,
          message: t(subject.locale, `warnings.${w.code}`, w.params),
        })),
        deliveredToChat: result.delivered,
        message: t(subject.locale, result.delivered ? 'upload.sent_to_chat' : 'upload.no_chat'),
      });
    } catch (err) {
      sendError(req, res, err);
    }
  });
}

function tooLarge(maxBytes: number, received: number): AppError {
  return new AppError('photo.too_large_bytes', 'upload over the limit', {
    status: 413,
    params: {
      maxMegabytes: Math.round(maxBytes / 1048576),
      receivedMegabytes: Math.round((received / 1048576) * 10) / 10,
    },
  });
}

function parseCrop(query: unknown): { left: number; top: number; size: number } | undefined {
  const parsed = cropQuery.safeParse(query ?? {});
  if (!parsed.success) throw new AppError('input.invalid', 'bad crop parameters', { status: 400 });
  const { cropLeft, cropTop, cropSize } = parsed.data;
  const given = [cropLeft, cropTop, cropSize].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) throw new AppError('input.invalid', 'crop needs cropLeft, cropTop and cropSize', { status: 400 });
  return { left: cropLeft as number, top: cropTop as number, size: cropSize as number };
}
