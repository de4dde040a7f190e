/**
 * The status API: `GET /api/status` (the tab's status view, upload ticket as bearer token)
 * and `GET /api/status/ad-photo?ticket=...` (the AD-ready photo behind the bot's short-lived
 * signed download link; the user comes from the ticket, never from the request).
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../core/errors';
import type { StatusService } from '../core/status/status-service';
import { reportJson } from '../i18n/status-messages';
import { sendError } from './http-errors';
import type { SignedLinks, TicketSubject } from './signed-links';
import { route, type AccessControl } from './route-rules';

/** Dependencies of the status routes. */
export interface StatusRouteDeps {
  status: StatusService;
  /** Upload tickets (the tab's links). */
  tickets: SignedLinks<TicketSubject>;
  /** Tickets with the AD photo audience. */
  adPhotoTickets: SignedLinks<TicketSubject>;
}

/** Registers the status API on `server`. */
export function registerStatusRoutes(server: Server, deps: StatusRouteDeps, access: AccessControl = {}): void {
  route(
    server,
    access,
    { method: 'GET', path: '/api/status', auth: 'upload-ticket', roles: ['self'] },
    async (req: Request, res: Response) => {
      try {
        const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        if (!match) throw new AppError('auth.unauthenticated', 'no ticket', { status: 401 });
        const subject = await deps.tickets.verify(match[1] as string);
        (req as Request & { headshotLocale?: string }).headshotLocale = subject.locale;
        res.header('Cache-Control', 'no-store');
        res.json(reportJson(subject.locale, await deps.status.report(subject.userId)));
      } catch (err) {
        sendError(req, res, err);
      }
    },
  );

  route(
    server,
    access,
    { method: 'GET', path: '/api/status/ad-photo', auth: 'ad-photo-ticket', roles: ['self'] },
    async (req: Request, res: Response) => {
      try {
        const ticket = new URL(req.url ?? '/', 'http://local').searchParams.get('ticket') ?? '';
        const subject = await deps.adPhotoTickets.verify(ticket);
        (req as Request & { headshotLocale?: string }).headshotLocale = subject.locale;
        const jpeg = await deps.status.adReadyPhoto(subject.userId, subject.userId);
        res.writeHead(200, {
          'Content-Type': 'image/jpeg',
          'Content-Length': jpeg.byteLength,
          'Content-Disposition': 'attachment; filename="headshot-ad-photo-96x96.jpg"',
          'Cache-Control': 'no-store',
        });
        res.end(Buffer.from(jpeg));
      } catch (err) {
        sendError(req, res, err);
      }
    },
  );
}
