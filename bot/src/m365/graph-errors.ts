/** Turns Microsoft Graph failures into AppErrors, once, at the edge. */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../core/errors';

/** Seconds from a Retry-After header (seconds or HTTP date); undefined if absent or unreadable. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The Graph error code of a failure, if it carries one. */
export function graphErrorCode(err: unknown): string | undefined {
  return err instanceof GraphError ? (err.code ?? undefined) : undefined;
}

/** Maps any error thrown by the Graph client to an AppError with a stable code. */
export function fromGraphError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof GraphError)) {
    return new AppError('m365.unavailable', 'Microsoft Graph unreachable', { retryable: true, cause: err });
  }
  const status = err.statusCode;
  const code = err.code ?? '';
  const retry = retryAfterSeconds(err.headers);
  if (status === 429) return new AppError('m365.throttled', code, { retryable: true, retryAfterSeconds: retry ?? 30, params: { retryAfterSeconds: retry ?? 30 }, cause: err, status: 503 });
  if (status === 503 || status === 504 || status === 502 || status === -1 || status === 0) {
    return new AppError('m365.unavailable', code || String(status), { retryable: true, retryAfterSeconds: retry, params: { retryAfterSeconds: retry ?? 30 }, cause: err, status: 503 });
  }
  if (code === 'MailboxNotEnabledForRESTAPI') return new AppError('m365.mailbox_not_enabled', code, { cause: err });
  if (code === 'MailboxNotHostedInExchangeOnline') return new AppError('m365.mailbox_on_premises', code, { cause: err });
  if (status === 413) return new AppError('m365.photo_too_large', code, { cause: err });
  if (status === 400 && /^Validation/.test(code)) return new AppError('m365.image_too_small', code, { cause: err });
  if (status === 401 || status === 403) return new AppError('m365.forbidden', code, { cause: err });
  if (status === 404 && code === 'Request_ResourceNotFound') return new AppError('m365.user_not_found', code, { cause: err, status: 404 });
  return new AppError('m365.unexpected', `${status} ${code}`, { cause: err });
}
