import type { Request, Response, Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { sendBytes } from '../http/responses';
import { param, plainRoute, query } from '../http/route';
import type { TenantState } from '../state/tenant-state';

/** Largest delay `/_files/slow` accepts (keeps a typo from hanging a test run). */
const MAX_DELAY_MS = 120_000;

function serveFile(state: TenantState, req: Request, res: Response): void {
  const file = state.files.get(param(req, 'id'), param(req, 'name'));
  if (file === undefined) throw new GraphError(404, 'itemNotFound', 'The resource could not be found.');
  sendBytes(res, 200, file.bytes, file.contentType);
}

/**
 * Registers the pre-authenticated download URLs of Teams file attachments
 * (SharePoint/OneDrive stand-in): plain GETs with no Authorization, like `downloadUrl`.
 */
export function registerFileRoutes(server: Server, state: TenantState): void {
  server.get(
    '/_files/redirect',
    plainRoute(async (req, res) => {
      const to = query(req, 'to');
      if (to === undefined || !/^https?:\/\//i.test(to))
        throw new GraphError(400, 'invalidRequest', 'Expected ?to=<absolute http(s) URL>.');
      res.writeHead(302, { Location: to, 'Content-Length': 0 });
      res.end();
    }),
  );

  server.get(
    '/_files/slow/:id/:name',
    plainRoute(async (req, res) => {
      const delay = Math.min(Math.max(Number(query(req, 'delayMs') ?? '5000') || 0, 0), MAX_DELAY_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        // A client that gives up (the point of this route) must not keep the timer alive.
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.writableEnded || res.destroyed) return;
      serveFile(state, req, res);
    }),
  );

  server.get(
    '/_files/:id/:name',
    plainRoute(async (req, res) => serveFile(state, req, res)),
  );
}
