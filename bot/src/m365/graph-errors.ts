/** Turns Microsoft Graph failures into AppErrors, once, at the edge. */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../core/errors';
import { parseRetryAfter } from './retry-after';

/** Seconds from a Retry-After header (seconds or HTTP date); undefined if absent or unreadable. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  return parseRetryAfter(headers?.get('retry-after'), now);
}

/**
 * The Graph error code of a failure, if it carries one. When a request asked for bytes
 * (photo `$value`), the SDK reads the error body as bytes too and leaves `code` empty,
 * so the code is read from the body (Graph's `{ error: { code } }`).
 */
export function graphErrorCode(err: unknown): string | undefined {
  if (!(err instanceof GraphError)) return undefined;
  return err.code || codeFromBody(err.body);
}

function codeFromBody(body: unknown): string | undefined {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof ArrayBuffer) text = Buffer.from(body).toString('utf8');
  else if (ArrayBuffer.isView(body)) text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown }; code?: unknown } | null;
    const code = parsed?.error?.code ?? parsed?.code;
    return typeof code === 'string' && code !== '' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Maps any error thrown by the Graph client to an AppError with a stable code. */
export function fromGraphError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof GraphError)) {
    return new AppError('m365.unavailable', 'Microsoft Graph unreachable', { retryable: true, cause: err });
  }
  const status = err.statusCode;
  const code = graphErrorCode(err) ?? '';
  const retry = retryAfterSeconds(err.headers);
  if (status === 429)
    return new AppError('m365.throttled', code, {
      retryable: true,
      retryAfterSeconds: retry ?? 30,
      params: { retryAfterSeconds: retry ?? 30 },
      cause: err,
      status: 503,
    });
  if (status === 503 || status === 504 || status === 502 || status === -1 || status === 0) {
    return new AppError('m365.unavailable', code || String(status), {
      retryable: true,
      retryAfterSeconds: retry,
      params: { retryAfterSeconds: retry ?? 30 },
      cause: err,
      status: 503,
    });
  }
  if (code === 'MailboxNotEnabledForRESTAPI') return new AppError('m365.mailbox_not_enabled', code, { cause: err });
  if (code === 'MailboxNotHostedInExchangeOnline')
    return new AppError('m365.mailbox_on_premises', code, { cause: err });
  if (status === 413) return new AppError('m365.photo_too_large', code, { cause: err });
  if (status === 400 && /^Validation/.test(code)) return new AppError('m365.image_too_small', code, { cause: err });
  if (status === 401 || status === 403) return new AppError('m365.forbidden', code, { cause: err });
  if (status === 404 && code === 'Request_ResourceNotFound')
    return new AppError('m365.user_not_found', code, { cause: err, status: 404 });
  return new AppError('m365.unexpected', `${status} ${code}`, { cause: err });
}
