import pino from 'pino';
import * as restify from 'restify';
import { registerConnectorRoutes } from './connector/connector-routes';
import { registerControlConnectorRoutes } from './control/control-connector-routes';
import { registerControlRateLimitRoutes } from './control/control-rate-limit-routes';
import { registerControlRoutes } from './control/control-routes';
import { registerControlSyncRoutes } from './control/control-sync-routes';
import { registerControlTeamsRoutes } from './control/control-teams-routes';
import { registerControlTenantRoutes } from './control/control-tenant-routes';
import { registerFileRoutes } from './files/file-routes';
import { registerGraphRoutes } from './graph/graph-routes';
import { graphErrorBody } from './http/graph-error';
import { pathOf, runPipeline, serviceFamily } from './http/pipeline';
import { registerTokenRoutes } from './identity/token-routes';
import { registerBotFrameworkRoutes } from './identity/bot-framework-routes';
import { registerSharePointRoutes } from './sharepoint/sharepoint-routes';
import type { TenantState } from './state/tenant-state';

/** Builds the restify server with every emulated service and the control API (not listening yet). */
export function createTenantServer(state: TenantState, logger?: (line: string) => void): restify.Server {
  const server = restify.createServer({
    name: 'local-tenant',
    // restify logs through pino; the emulator reports through its own `logger` option instead.
    log: pino({ level: 'silent' }) as unknown as restify.ServerOptions['log'],
    handleUncaughtExceptions: false,
  });

  server.pre((req, res, next) => {
    runPipeline(state, req, res, logger).then(
      (handled) => (handled ? next(false) : next()),
      (err: unknown) => next(err as Error),
    );
  });

  registerTokenRoutes(server, state);
  registerBotFrameworkRoutes(server, state);
  registerGraphRoutes(server, state);
  registerSharePointRoutes(server, state);
  registerConnectorRoutes(server, state);
  registerFileRoutes(server, state);
  registerControlRoutes(server, state);
  registerControlTenantRoutes(server, state);
  registerControlConnectorRoutes(server, state);
  registerControlSyncRoutes(server, state);
  registerControlTeamsRoutes(server, state);
  registerControlRateLimitRoutes(server, state);

  // A known Graph path with the wrong verb gets Graph's shape, not restify's.
  server.on('MethodNotAllowed', (req: restify.Request, res: restify.Response, _err: unknown, done: () => void) => {
    if (serviceFamily(pathOf(req)) === 'graph') {
      res.send(
        405,
        graphErrorBody(
          req,
          'Request_BadRequest',
          `The requested resource does not support http method '${req.method ?? ''}'.`,
        ),
      );
    }
    done();
  });

  return server;
}
