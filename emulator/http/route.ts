import type { Request, Response } from 'restify';
import { GraphError, graphErrorBody, sendGraphError } from './graph-error';
import { sendJson } from './responses';

/** An async route handler; it writes the response itself (restify awaits it; `next` is not used). */
export type Handler = (req: Request, res: Response) => Promise<void>;

/** Wraps a Graph handler: thrown `GraphError`s and crashes become Graph-shaped error answers. */
export function graphRoute(handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (res.headersSent) return;
      if (err instanceof GraphError) sendGraphError(req, res, err);
      else sendJson(res, 500, graphErrorBody(req, 'generalException', `Local tenant error: ${(err as Error).message}`));
    }
  };
}

/** Wraps a control/connector/files handler: failures become `{ error: { code, message } }`. */
export function plainRoute(handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (res.headersSent) return;
      if (err instanceof GraphError)
        sendJson(res, err.status, { error: { code: err.code, message: err.message, ...err.extra } }, err.headers);
      else sendJson(res, 500, { error: { code: 'InternalError', message: (err as Error).message } });
    }
  };
}

/** A route parameter (restify decodes percent-encoding). */
export function param(req: Request, name: string): string {
  const params = req.params as Record<string, string | undefined> | undefined;
  return params?.[name] ?? '';
}

/** A query-string parameter, if present. */
export function query(req: Request, name: string): string | undefined {
  return new URL(req.url ?? '/', 'http://local').searchParams.get(name) ?? undefined;
}
