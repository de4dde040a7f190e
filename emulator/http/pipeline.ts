import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantState } from '../state/tenant-state';
import type { FaultHit } from '../state/fault-injector';
import { graphErrorBody } from './graph-error';
import { assignRequestMeta, sendEmpty, sendJson } from './responses';

/** Which emulated service a path belongs to (decides error shapes, logging and faults). */
export type ServiceFamily = 'control' | 'graph' | 'sharepoint' | 'token' | 'connector' | 'files' | 'other';

/** Classifies a request path. */
export function serviceFamily(path: string): ServiceFamily {
  if (path.startsWith('/_control/') || path === '/_control' || path === '/healthz') return 'control';
  if (path.startsWith('/v1.0/') || path.startsWith('/beta/')) return 'graph';
  if (path.startsWith('/v3/')) return 'connector';
  if (path.startsWith('/sp/')) return 'sharepoint';
  if (path.startsWith('/_files/')) return 'files';
  if (/^\/[^/]+\/(oauth2|v2\.0|discovery)\//.test(path)) return 'token';
  return 'other';
}

/** The path of a request URL without its query. */
export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://local').pathname;
}

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Lets pages served from loopback (the tab in local mode) call the emulator; other origins get no CORS grant. */
function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && LOOPBACK_ORIGIN.test(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'request-id, client-request-id, Retry-After, ETag');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader(
      'Access-Control-Allow-Headers',
      String(req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type'),
    );
    sendEmpty(res, 204);
    return true;
  }
  return false;
}

/** Graph's profile photo endpoints, which the optional photo rate limit covers. */
const PHOTO_PATH = /^\/(?:v1\.0|beta)\/(?:users\/[^/]+|me)\/photos?(?:\/|$)/;

/** The calling app of a bearer token, read without verifying it (the route verifies); 'anonymous' when unreadable. */
/** The request said it can wait (`x-ms-throttle-priority: low`). */
function lowPriority(req: IncomingMessage): boolean {
  const v = req.headers['x-ms-throttle-priority'];
  return typeof v === 'string' && v.trim().toLowerCase() === 'low';
}

function callerAppId(req: IncomingMessage): string {
  const token = /^Bearer\s+([^.\s]+)\.([^.\s]+)\./i.exec(req.headers.authorization ?? '');
  if (token === null) return 'anonymous';
  try {
    const claims = JSON.parse(Buffer.from(token[2] as string, 'base64url').toString('utf8')) as {
      appid?: string;
      azp?: string;
    };
    return claims.appid ?? claims.azp ?? 'anonymous';
  } catch {
    return 'anonymous';
  }
}

/** SharePoint's JSON error shape (`odata.error` with a .NET exception code). */
function sharePointErrorBody(answer: NonNullable<FaultHit['answer']>): unknown {
  return { 'odata.error': { code: `-2147024891, ${answer.code}`, message: { lang: 'en-US', value: answer.message } } };
}

/** Writes an injected fault's answer in the shape of the service it hits. */
function answerFault(
  req: IncomingMessage,
  res: ServerResponse,
  family: ServiceFamily,
  answer: NonNullable<FaultHit['answer']>,
): void {
  const headers = answer.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(answer.retryAfterSeconds) };
  if (family === 'token') {
    const body = {
      error: answer.status === 429 ? 'temporarily_unavailable' : 'server_error',
      error_description: `AADSTS90000: ${answer.message}`,
      error_codes: [90000],
    };
    sendJson(res, answer.status, body, headers);
    return;
  }
  if (family === 'sharepoint') {
    sendJson(res, answer.status, sharePointErrorBody(answer), headers);
    return;
  }
  sendJson(res, answer.status, graphErrorBody(req, answer.code, answer.message), headers);
}

/**
 * Runs before routing: CORS, `%24value` normalisation, request ids, the request log,
 * injected faults and the optional photo rate limit. Returns true when it answered the request itself.
 */
export async function runPipeline(
  state: TenantState,
  req: IncomingMessage,
  res: ServerResponse,
  logger?: (line: string) => void,
): Promise<boolean> {
  if (applyCors(req, res)) return true;
  let path = pathOf(req);
  const family = serviceFamily(path);
  if (family === 'graph' && /%24/i.test(path)) {
    // Some clients percent-encode `$value`/`$batch`; Graph accepts both spellings.
    const url = req.url ?? '/';
    const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
    path = path.replace(/%24/gi, '$');
    req.url = path + query;
  }
  // Entra Connect's scheduled cycles run on the virtual clock: whatever the clock has passed happens first.
  state.sync.catchUp();
  const meta = assignRequestMeta(req, state.clock.iso());
  if (family === 'graph' || family === 'connector') {
    res.setHeader('request-id', meta.requestId);
    res.setHeader('client-request-id', meta.clientRequestId);
  }
  if (family === 'control') return false;

  const started = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  res.on('finish', () => {
    const ua = req.headers['user-agent'];
    state.requests.add({
      method,
      path,
      status: res.statusCode,
      at: meta.at,
      requestId: meta.requestId,
      clientRequestId: meta.clientRequestId,
      ...(typeof ua === 'string' ? { userAgent: ua } : {}),
      ...(lowPriority(req) ? { throttlePriority: 'low' } : {}),
    });
    logger?.(`${method} ${path} ${res.statusCode} ${Date.now() - started}ms`);
  });

  const hit = state.faults.take(method, path);
  if (hit !== undefined && hit.latencyMs > 0) await new Promise((r) => setTimeout(r, hit.latencyMs));
  if (hit?.answer !== undefined) {
    answerFault(req, res, family, hit.answer);
    return true;
  }
  if (family === 'graph' && PHOTO_PATH.test(path) && ['PUT', 'PATCH', 'DELETE'].includes(method)) {
    const write = state.writeLimiter.take(callerAppId(req), lowPriority(req));
    if (!write.allowed) {
      const message =
        'Too many directory writes for this application and tenant. Retry after the time given in Retry-After.';
      sendJson(res, 429, graphErrorBody(req, 'TooManyRequests', message), {
        'Retry-After': String(write.retryAfterSeconds),
      });
      return true;
    }
  }
  if (family === 'graph' && PHOTO_PATH.test(path)) {
    const decision = state.photoLimiter.take(callerAppId(req));
    if (!decision.allowed) {
      const message =
        'Application is over its request rate for profile photos. Retry after the time given in Retry-After.';
      sendJson(res, 429, graphErrorBody(req, 'ApplicationThrottled', message), {
        'Retry-After': String(decision.retryAfterSeconds),
      });
      return true;
    }
  }
  return false;
}
