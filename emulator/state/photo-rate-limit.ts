/** The verdict on one photo request. */
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Optional rate limit on Graph's photo endpoints, per app: a token bucket of
 * `requestsPerSecond` tokens (one second of burst), refilled continuously in wall-clock
 * time. Off (null) by default; the bench switches it on to compare batching strategies.
 * Inner requests of a `$batch` count one by one, as Graph counts them.
 */
export class PhotoRateLimiter {
  private perSecond: number | null = null;
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private throttledCount = 0;

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  /** Switches the limit on (a positive rate) or off (null); forgets the buckets. */
  configure(requestsPerSecond: number | null): void {
    this.perSecond = requestsPerSecond;
    this.buckets.clear();
    this.throttledCount = 0;
  }

  /** The current setting and how many requests it has refused. */
  status(): { photoRequestsPerSecond: number | null; throttled: number } {
    return { photoRequestsPerSecond: this.perSecond, throttled: this.throttledCount };
  }

  /** Takes one token for `appId`, or says how long to wait. */
  take(appId: string): ThrottleDecision {
    const rate = this.perSecond;
    if (rate === null) return { allowed: true };
    const now = this.nowMs();
    const bucket = this.buckets.get(appId) ?? { tokens: rate, atMs: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.atMs) / 1000) * rate);
    bucket.atMs = now;
    this.buckets.set(appId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    this.throttledCount += 1;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  }
}
