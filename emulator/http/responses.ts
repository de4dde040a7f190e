import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Per-request facts set by the pipeline and read by error bodies. */
export interface RequestMeta {
  requestId: string;
  clientRequestId: string;
  /** Arrival time on the virtual clock. */
  at: string;
}

const metas = new WeakMap<IncomingMessage, RequestMeta>();

/** Attaches request ids (echoing the client's `client-request-id` when sent). */
export function assignRequestMeta(req: IncomingMessage, at: string): RequestMeta {
  const requestId = randomUUID();
  const sent = req.headers['client-request-id'];
  const meta: RequestMeta = {
    requestId,
    clientRequestId: typeof sent === 'string' && sent !== '' ? sent : requestId,
    at,
  };
  metas.set(req, meta);
  return meta;
}

/** The request's ids (assigned lazily if the pipeline did not run). */
export function requestMeta(req: IncomingMessage): RequestMeta {
  return metas.get(req) ?? assignRequestMeta(req, new Date().toISOString());
}

/** Writes a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': bytes.length,
  });
  res.end(bytes);
}

/** Writes a binary body with its content type. */
export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Writes a status with no body. */
export function sendEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}
