/**
 * Small pieces every tab route shares: the caller from the SSO token, errors with a tab
 * message, JSON bodies checked with zod, data URLs and JPEG answers. (`Cache-Control: no-store`
 * is on every answer already: security-headers.ts.)
 */
import type { Request, Response } from 'restify';
import type { ZodType } from 'zod';
import { AppError, type AppErrorOptions, type ErrorCode } from '../core/errors';
import type { SsoCaller, SsoRequest } from './sso-auth';
import { sendError } from './http-errors';
import { BodyTooLargeError, readBody } from './read-body';

/** Largest JSON body a tab route reads (settings with four reminder texts fit many times over). */
const MAX_JSON_BYTES = 64 * 1024;

/**
 * An AppError whose message is a tab sentence (`tab.errors.*`) rather than the code's generic one: the code
 * stays the stable machine answer, the message says exactly what to fix.
 */
export class TabError extends AppError {
  constructor(code: ErrorCode, key: string, detail: string, options: AppErrorOptions = {}) {
    super(code, detail, { ...options, messageKey: key });
  }
}

/** The caller of a tab-sso route (route() ran the token check before any handler). */
export function callerOf(req: Request): SsoCaller {
  const caller = (req as SsoRequest).ssoCaller;
  if (!caller) throw new AppError('auth.unauthenticated', 'no SSO caller on a tab route', { status: 401 });
  return caller;
}

/** A handler that answers with what `run` returns as JSON (or sends nothing when it returns undefined), errors localised. */
export function jsonHandler(run: (req: Request, res: Response) => Promise<unknown>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const body = await run(req, res);
      if (body !== undefined) res.json(body);
    } catch (err) {
      sendError(req, res, err);
    }
  };
}

/** The JSON body checked with `schema`; anything else becomes `invalid` (nothing is read past 64 KB). */
export async function readJson<T>(req: Request, schema: ZodType<T>, invalid: () => AppError): Promise<T> {
  let text: string;
  try {
    text = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw invalid();
    throw err;
  }
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

/** A JPEG as a `data:` URL. */
export function jpegDataUrl(bytes: Uint8Array): string {
  return `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
}

/** Sends a JPEG (no caching; `download` names the file for "save as"). */
export function sendJpeg(res: Response, bytes: Uint8Array, download?: string): void {
  res.writeHead(200, {
    'Content-Type': 'image/jpeg',
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
    ...(download ? { 'Content-Disposition': `attachment; filename="${download}"` } : {}),
  });
  res.end(Buffer.from(bytes));
}
