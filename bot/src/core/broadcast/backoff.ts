/** When to try a recipient again: capped exponential backoff with full jitter, or the server's Retry-After. */

/** Backoff settings. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1, e.g. Math.random. */
  random: () => number;
}

/** Delay before attempt `attempts + 1`; a Retry-After (seconds) wins when the server gave one. */
export function backoffMs(attempts: number, retryAfterSeconds: number | undefined, o: BackoffOptions): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0)
    return Math.min(o.maxMs, retryAfterSeconds * 1000);
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempts - 1));
  // Between half and all of the ceiling: spreads retries of many recipients without going near zero.
  return Math.round(ceiling / 2 + (ceiling / 2) * o.random());
}
