/** One JSON error shape for every API answer, localised for the caller. */
import type { Request, Response } from 'restify';
import { type AppError, toAppError } from '../core/errors';
import type { Locale } from '../core/locale';
import { resolveLocale, t } from '../i18n/i18n';

/** The caller's locale: what an earlier handler established, else Accept-Language. */
export function requestLocale(req: Request): Locale {
  const known = (req as Request & { headshotLocale?: Locale }).headshotLocale;
  if (known) return known;
  const header = req.headers['accept-language'];
  return resolveLocale(typeof header === 'string' ? header.split(',')[0] : undefined);
}

/** Sends `{ error: { code, message, retryAfterSeconds? } }` with the error's status. */
export function sendError(req: Request, res: Response, err: unknown): void {
  const e: AppError = toAppError(err);
  const locale = requestLocale(req);
  if (e.retryAfterSeconds !== undefined) res.header('Retry-After', String(e.retryAfterSeconds));
  res.status(e.status);
  res.json({
    error: {
      code: e.code,
      message: t(locale, e.messageKey, { ...e.params, correlationId: req.id() }),
      ...(e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
    },
  });
}
