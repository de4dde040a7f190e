/** Turns an AppError into the localised card a user sees. */
import type { AppError } from '../core/errors';
import type { Locale } from '../core/locale';
import type { AdaptiveCard, CardVerb } from './cards/types';
import { messageCard } from './cards/message-card';

/** A retry button for errors worth trying again. */
export interface RetryAction {
  verb: CardVerb;
  requestId?: string;
}

/** The card for an error; retryable errors with a `retry` get a "Try again" button. */
export function errorCard(locale: Locale, error: AppError, correlationId?: string, retry?: RetryAction): AdaptiveCard {
  const params: Record<string, string | number> = { ...error.params };
  if (error.retryAfterSeconds !== undefined && params.retryAfterSeconds === undefined) {
    params.retryAfterSeconds = error.retryAfterSeconds;
  }
  if (correlationId) params.correlationId = correlationId;
  return messageCard(locale, {
    kind: error.retryable || error.code.startsWith('request.') ? 'warning' : 'error',
    messageKey: error.messageKey,
    params,
    retry: error.retryable && retry ? { verb: retry.verb, requestId: retry.requestId } : undefined,
  });
}
