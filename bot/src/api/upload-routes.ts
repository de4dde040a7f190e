/**
 * The upload page's API: `POST /api/uploads` with an upload ticket as bearer token
 * and the image as the raw body. The preview goes to the user's chat and back to the page.
 */
import { type Next, type Request, type Response, type Server } from 'restify';
import { AppError } from '../core/errors';
import type { PhotoService } from '../core/photo/photo-service';
import type { Locale } from '../core/locale';
import { t } from '../i18n/i18n';
import { sendError } from './http-errors';
import { busyGuard, declaredSizeGuard, parseCropQuery, rateLimitGuard, readPhotoBody } from './upload-guards';
import type { SignedLinks, TicketSubject } from './signed-links';
import type { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import { route, type AccessControl } from './route-rules';

type TicketRequest = Request & { headshotLocale?: Locale; ticketSubject?: TicketSubject };

/** Dependencies of the upload routes. */
export interface UploadRouteDeps {
  photos: PhotoService;
  tickets: SignedLinks<TicketSubject>;
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

  const declaredSize = declaredSizeGuard(deps.maxBytes);
  const busy = busyGuard(() => deps.photos.busyNow());
  const rateLimited = rateLimitGuard(
    deps.rateLimiter,
    (req) => ((req as TicketRequest).ticketSubject as TicketSubject).userId,
  );

  const rule = { method: 'POST', path: '/api/uploads', auth: 'upload-ticket', roles: ['self'] } as const;
  route(
    server,
    access,
    rule,
    authenticate,
    busy,
    rateLimited,
    declaredSize,
    async (req: TicketRequest, res: Response) => {
      const subject = req.ticketSubject as TicketSubject;
      try {
        // The query first: a bad crop is refused without receiving the photo.
        const { crop, rotate } = parseCropQuery(req.query);
        const bytes = await readPhotoBody(req, deps.maxBytes);
        const result = await deps.photos.receiveAndNotify({
          userId: subject.userId,
          tenantId: subject.tenantId,
          locale: subject.locale,
          bytes,
          source: 'upload-page',
          crop,
          rotate,
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
    },
  );
}
