/**
 * The tab's photo editor: upload with a crop and quarter turns (`POST /api/me/photo-requests`,
 * raw image body), look at a request, submit it (to approval or straight to Microsoft 365, as
 * the policy says) or cancel it. Only the caller's own requests: another person's id is not found.
 */
import type { Request, Server } from 'restify';
import { AppError } from '../core/errors';
import type { ApprovalService } from '../core/approval/approval-service';
import type { ApprovalView } from '../core/approval/approval-ports';
import type { Locale } from '../core/locale';
import type { PhotoService } from '../core/photo/photo-service';
import { submitPhoto } from '../core/photo/submit-photo';
import type { SquareJpeg } from '../core/photo/pipeline-ports';
import type { PhotoRequest } from '../core/photo/request-ports';
import type { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import { requestLocale } from './http-errors';
import { route, type AccessControl } from './route-rules';
import { callerOf, jsonHandler } from './tab-http';
import { photoRequestView } from './tab-views';
import { busyGuard, declaredSizeGuard, parseCropQuery, rateLimitGuard, readPhotoBody } from './upload-guards';
import type { FaceScanJson, PhotoRequestView } from './tab-contract';

/** What the photo request routes need. */
export interface PhotoRequestRouteDeps {
  photos: PhotoService;
  approvals: ApprovalService;
  maxBytes: number;
  /** Photos per user per minute, shared with the chat and the upload page; checked before the body is read. */
  rateLimiter?: UploadRateLimiter;
  /** Face scans per user per minute (one per photo chosen in the editor; each runs the detector). */
  scanLimiter?: UploadRateLimiter;
  /** The card approvers get for a request, in `locale` (the bot's own, so the tab's preview is the real thing). */
  approverCard?: (view: ApprovalView, locale: Locale) => Record<string, unknown>;
}

/** Registers the photo request routes. */
export function registerPhotoRequestRoutes(server: Server, deps: PhotoRequestRouteDeps, access: AccessControl): void {
  const self = (method: 'GET' | 'POST', path: string) => ({ method, path, auth: 'tab-sso', roles: ['self'] }) as const;

  const view = async (req: Request, request: PhotoRequest, avatars?: SquareJpeg[]): Promise<PhotoRequestView> => {
    const locale = requestLocale(req);
    const approval =
      request.flow === 'approval' ? await deps.approvals.participantView(request.id, request.userId) : null;
    return photoRequestView(locale, request, {
      preview: await deps.photos.preview(request.id),
      approval,
      avatars,
      approverCard:
        approval?.state === 'pending_approval' && deps.approverCard ? deps.approverCard(approval, locale) : undefined,
    });
  };

  /** The caller's own request; someone else's is "not found", so ids cannot be probed. */
  const own = async (req: Request): Promise<PhotoRequest> => {
    const id = (req.params as { requestId?: string }).requestId ?? '';
    const request = await deps.photos.get(id);
    if (!request || request.userId !== callerOf(req).userId || request.flow === 'undo')
      throw new AppError('request.not_found', `no request ${id.slice(0, 64)} of the caller`, { status: 404 });
    return request;
  };

  route(
    server,
    access,
    self('POST', '/api/me/photo-requests'),
    busyGuard(() => deps.photos.busyNow()),
    rateLimitGuard(deps.rateLimiter, (req) => callerOf(req).userId),
    declaredSizeGuard(deps.maxBytes),
    jsonHandler(async (req) => {
      const caller = callerOf(req);
      // The query first: a bad crop is refused without receiving the photo.
      const { crop, rotate } = parseCropQuery(req.query);
      const bytes = await readPhotoBody(req, deps.maxBytes);
      const result = await deps.photos.receive({
        userId: caller.userId,
        tenantId: caller.tenantId,
        locale: requestLocale(req),
        bytes,
        source: 'tab',
        crop,
        rotate,
      });
      return view(req, result.request, result.avatars ?? []);
    }),
  );

  route(
    server,
    access,
    self('POST', '/api/me/photo-faces'),
    busyGuard(() => deps.photos.busyNow()),
    rateLimitGuard(deps.scanLimiter, (req) => callerOf(req).userId),
    declaredSizeGuard(deps.maxBytes),
    jsonHandler(async (req): Promise<FaceScanJson> => {
      const { crop, rotate } = parseCropQuery(req.query);
      if (crop) throw new AppError('input.invalid', 'a face scan takes no crop', { status: 400 });
      const scan = await deps.photos.scanFaces(await readPhotoBody(req, deps.maxBytes), rotate);
      const { suggested } = scan;
      return {
        status: scan.status,
        width: scan.width,
        height: scan.height,
        faces: scan.faces.map(({ x, y, width, height, score }) => ({ x, y, width, height, score })),
        ...(suggested
          ? { suggested: { cropLeft: suggested.left, cropTop: suggested.top, cropSize: suggested.size } }
          : {}),
      };
    }),
  );

  route(
    server,
    access,
    self('GET', '/api/me/photo-requests/latest'),
    jsonHandler(async (req) => {
      const latest = await deps.photos.latestFor(callerOf(req).userId);
      if (!latest) throw new AppError('request.not_found', 'the caller has no requests', { status: 404 });
      return view(req, latest);
    }),
  );

  route(
    server,
    access,
    self('GET', '/api/me/photo-requests/:requestId'),
    jsonHandler(async (req) => view(req, await own(req))),
  );

  route(
    server,
    access,
    self('POST', '/api/me/photo-requests/:requestId/submit'),
    jsonHandler(async (req) => {
      const request = await own(req);
      const userId = callerOf(req).userId;
      // The same path as the card's "Use this photo": approval when the policy asks for it, else written now.
      await submitPhoto(deps, request.id, userId);
      return view(req, (await deps.photos.get(request.id)) ?? request);
    }),
  );

  route(
    server,
    access,
    self('POST', '/api/me/photo-requests/:requestId/cancel'),
    jsonHandler(async (req) => {
      const request = await own(req);
      const userId = callerOf(req).userId;
      // Waiting for approval: withdrawing is a decision like the approvers' (first one wins).
      if (request.state === 'pending_approval') await deps.approvals.decide(request.id, userId, 'cancel');
      else await deps.photos.cancel(request.id, userId);
      return view(req, (await deps.photos.get(request.id)) ?? request);
    }),
  );
}
