/** The verdict on one connector call: go ahead, or answer 429 with `Retry-After`. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Seam for the Teams bot rate limits (per bot per conversation 7/1 s, 8/2 s, 60/30 s,
 * 1800/h; 50 rps per app per tenant). Every connector send/reply/update/create asks it.
 */
export interface ConnectorRateLimiter {
  /** Decides for one call to `conversationId` at virtual time `nowMs`. */
  check(conversationId: string, nowMs: number): RateDecision;
  /** Forgets counters (on reset). */
  reset(): void;
}

/** The current limiter: allows everything (Teams limits are to be modelled later). */
export class UnlimitedConnectorRateLimiter implements ConnectorRateLimiter {
  /** Always allows. */
  check(): RateDecision {
    return { allowed: true };
  }

  /** Nothing to forget. */
  reset(): void {}
}
