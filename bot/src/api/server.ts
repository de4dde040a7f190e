/** The HTTP server: bot endpoint, health, the tab's pages and the tab's API. */
import path from 'node:path';
import restify, { type Server } from 'restify';
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import type { Logger } from '../logger';
import { projectRoot } from '../paths';
import { z } from 'zod';
import { AppError } from '../core/errors';
import { securityHeaders } from './security-headers';
import { sendError } from './http-errors';
import { registerUploadRoutes, type UploadRouteDeps } from './upload-routes';
import { registerStatusRoutes, type StatusRouteDeps } from './status-routes';
import { registerAdminDownloadRoutes, type AdminDownloadDeps } from './admin-download-routes';
import { route, unruledRoutes, type AccessControl } from './route-rules';
import { registerOpsRoutes, type OpsRouteDeps } from './ops-routes';
import { registerTabRoutes, type TabRouteDeps } from './tab-routes';
import type { Metrics } from '../metrics';

/** What the server serves. */
export interface ServerDeps {
  adapter: CloudAdapter;
  /** Whatever answers activities (the Teams edge's handler); the server only runs it. */
  bot: Pick<ActivityHandlerBase, 'run'>;
  upload: UploadRouteDeps;
  /** The status API (the tab's status view, AD photo downloads); absent in tools that serve only uploads. */
  status?: StatusRouteDeps;
  /** Admin CSV downloads behind signed links (coverage, campaign reports). */
  adminDownloads?: AdminDownloadDeps;
  logger: Logger;
  /** Largest activity body accepted on /api/messages. */
  maxActivityBytes?: number;
  health: () => Record<string, unknown>;
  /** SSO validator and role resolver for tab-sso routes. */
  access?: AccessControl;
  /** /readyz checks and /metrics; absent in tools that serve only uploads. */
  ops?: OpsRouteDeps;
  /** Counts answers by status when given (ops.metrics by default). */
  metrics?: Metrics;
  /** The personal tab's API (tab-contract.ts); absent in tools that serve only uploads. Needs `access`. */
  tab?: TabRouteDeps;
}

/** What every Bot Framework activity has: a type, and the conversation it belongs to (own properties only). */
const ACTIVITY = z.looseObject({
  type: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
});

/** Builds (does not start) the restify server. */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'headshot', handleUncaughtExceptions: false });
  // Before routing, so that the router's own 404 and 405 answers carry them too.
  server.pre(securityHeaders);
  server.use(restify.plugins.queryParser({ mapParams: false }));

  const access: AccessControl = deps.access ?? {};
  route(
    server,
    access,
    { method: 'POST', path: '/api/messages', auth: 'bot-framework' },
    restify.plugins.bodyParser({ maxBodySize: deps.maxActivityBytes ?? 1024 * 1024, mapParams: false }),
    async (req, res) => {
      // botbuilder answers 500 to a body that is not an activity, and a turn without a conversation fails inside
      // the bot; both are the caller's mistake: 400, before the bot sees it.
      if (!ACTIVITY.safeParse(req.body).success) {
        sendError(req, res, new AppError('input.invalid', 'not a Bot Framework activity', { status: 400 }));
        return;
      }
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    },
  );

  route(server, access, { method: 'GET', path: '/healthz', auth: 'public' }, (_req, res, next) => {
    res.json({ ok: true, ...deps.health() });
    next();
  });

  registerUploadRoutes(server, deps.upload, access);
  if (deps.status) registerStatusRoutes(server, deps.status, access);
  if (deps.adminDownloads) registerAdminDownloadRoutes(server, deps.adminDownloads, access);
  if (deps.ops) registerOpsRoutes(server, access, deps.ops);
  if (deps.tab) registerTabRoutes(server, deps.tab, access);

  const tabDir = path.join(projectRoot(), 'tab');
  route(
    server,
    access,
    { method: 'GET', path: '/upload', auth: 'public' },
    (req, res, next) => {
      req.url = '/upload.html';
      next();
    },
    restify.plugins.serveStatic({ directory: tabDir, file: 'upload.html' }),
  );
  route(
    server,
    access,
    { method: 'GET', path: '/tab/*', auth: 'public' },
    restify.plugins.serveStaticFiles(path.join(tabDir, 'dist')),
  );

  server.on('restifyError', (req, res, err, cb) => {
    deps.logger.info(
      { status: (err as { statusCode?: number }).statusCode, path: req.path(), name: err.name },
      'request refused',
    );
    return cb();
  });
  const metrics = deps.metrics ?? deps.ops?.metrics;
  server.on('after', (req, res) => {
    metrics?.inc('headshot_http_requests_total', { status: String(res.statusCode) });
    if (res.statusCode === 429) metrics?.inc('headshot_throttled_total', { source: 'headshot' });
    deps.logger.debug({ method: req.method, path: req.path(), status: res.statusCode, reqId: req.id() }, 'request');
  });
  // Every route says who may call it (route-rules.ts); one registered around route() is a defect.
  // Fail closed: the service does not start with a route nobody decided the access of.
  const unruled = unruledRoutes(server);
  if (unruled.length > 0) {
    throw new Error(`routes without an access rule: ${unruled.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  }
  return server;
}
