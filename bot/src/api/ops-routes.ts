/**
 * Operator endpoints: `GET /readyz` (the database answers, a Graph token can be had) and
 * `GET /metrics` (Prometheus text; only from loopback, or with the configured bearer token).
 */
import crypto from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Metrics } from '../metrics';
import { route, type AccessControl } from './route-rules';

/** One readiness check: resolves when ready, rejects with a short reason otherwise. */
type ReadinessCheck = () => Promise<void>;

/** Dependencies of the operator routes. */
export interface OpsRouteDeps {
  metrics: Metrics;
  /** Bearer token that may read /metrics from elsewhere than loopback. */
  metricsToken?: string;
  checks: Record<string, ReadinessCheck>;
  /** Longest a readiness check may take. */
  checkTimeoutMs?: number;
}

const isLoopback = (address: string | undefined): boolean =>
  !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

function sameToken(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Whether `req` may read the metrics. */
function mayReadMetrics(req: Request, token?: string): boolean {
  // Behind App Service's front end every request arrives from a private address with X-Forwarded-For set:
  // only a direct loopback call without forwarding headers counts as local.
  if (isLoopback(req.socket.remoteAddress) && !req.headers['x-forwarded-for']) return true;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return !!token && !!match && sameToken(match[1] as string, token);
}

/** Registers /readyz and /metrics. */
export function registerOpsRoutes(server: Server, access: AccessControl, deps: OpsRouteDeps): void {
  route(server, access, { method: 'GET', path: '/readyz', auth: 'public' }, async (_req: Request, res: Response) => {
    const results: Record<string, { ok: boolean; error?: string }> = {};
    await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), deps.checkTimeoutMs ?? 5_000);
          results[name] = { ok: true };
        } catch (err) {
          // The reason's class only: an exception message can hold URLs or ids an anonymous caller should not see.
          results[name] = { ok: false, error: err instanceof Error ? err.name : 'Error' };
        }
      }),
    );
    const ok = Object.values(results).every((r) => r.ok);
    res.status(ok ? 200 : 503);
    res.json({ ok, checks: results });
  });

  route(server, access, { method: 'GET', path: '/metrics', auth: 'metrics' }, async (req: Request, res: Response) => {
    if (!mayReadMetrics(req, deps.metricsToken)) {
      res.status(deps.metricsToken ? 401 : 403);
      res.json({
        error: { code: 'auth.forbidden', message: 'metrics are served to loopback or with the metrics token' },
      });
      return;
    }
    const body = deps.metrics.render();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
