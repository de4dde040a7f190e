import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requestMeta, sendJson } from './responses';

/** A Graph failure thrown by handlers and written once, in Graph's error shape. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: OutgoingHttpHeaders = {},
    /** More members of the error object (the Bot Connector's `subCode`), for plain (non-Graph) answers. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphErrorBody(req: IncomingMessage, code: string, message: string): unknown {
  const meta = requestMeta(req);
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date(meta.at).toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': meta.requestId,
        'client-request-id': meta.clientRequestId,
      },
    },
  };
}

/** Writes a Graph error. */
export function sendGraphError(req: IncomingMessage, res: ServerResponse, err: GraphError): void {
  sendJson(res, err.status, graphErrorBody(req, err.code, err.message), err.headers);
}

/** 404 `Request_ResourceNotFound` for a missing directory object. */
export function resourceNotFound(what: string): GraphError {
  return new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** 403 `Authorization_RequestDenied` (missing permission or blocked by policy). */
export function requestDenied(message = 'Insufficient privileges to complete the operation.'): GraphError {
  return new GraphError(403, 'Authorization_RequestDenied', message);
}

/** 400 with a code and message. */
export function badRequest(code: string, message: string): GraphError {
  return new GraphError(400, code, message);
}
