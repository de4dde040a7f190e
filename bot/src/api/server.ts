/** The HTTP server: bot endpoint, health, the tab's pages and the tab's API. */
import path from 'node:path';
import restify, { type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { HeadshotBot } from '../teams/headshot-bot';
import type { Logger } from '../logger';
import { projectRoot } from '../paths';
import { securityHeaders } from './security-headers';
import { registerUploadRoutes, type UploadRouteDeps } from './upload-routes';
import { registerStatusRoutes, type StatusRouteDeps } from './status-routes';

/** What the server serves. */
export interface ServerDeps {
  adapter: CloudAdapter;
  bot: HeadshotBot;
  upload: UploadRouteDeps;
  /** The status API (the tab's status view, AD photo downloads); absent in tools that serve only uploads. */
  status?: StatusRouteDeps;
  logger: Logger;
  /** Largest activity body accepted on /api/messages. */
  maxActivityBytes?: number;
  health: () => Record<string, unknown>;
}

/** Builds (does not start) the restify server. */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'headshot', handleUncaughtExceptions: false });
  server.use(securityHeaders);
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: deps.maxActivityBytes ?? 1024 * 1024, mapParams: false }),
    async (req, res) => {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    },
  );

  server.get('/healthz', (_req, res, next) => {
    res.json({ ok: true, ...deps.health() });
    next();
  });

  registerUploadRoutes(server, deps.upload);
  if (deps.status) registerStatusRoutes(server, deps.status);

  const tabDir = path.join(projectRoot(), 'tab');
  server.get(
    '/upload',
    (req, res, next) => {
      req.url = '/upload.html';
      next();
    },
    restify.plugins.serveStatic({ directory: tabDir, file: 'upload.html' }),
  );
  server.get('/tab/*', restify.plugins.serveStaticFiles(path.join(tabDir, 'dist')));

  server.on('restifyError', (req, res, err, cb) => {
    deps.logger.info(
      { status: (err as { statusCode?: number }).statusCode, path: req.path(), name: err.name },
      'request refused',
    );
    return cb();
  });
  server.on('after', (req, res) => {
    deps.logger.debug({ method: req.method, path: req.path(), status: res.statusCode, reqId: req.id() }, 'request');
  });
  return server;
}
