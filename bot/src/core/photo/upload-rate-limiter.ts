/**
 * Photos per person per minute: a token bucket per user, checked before a photo is
 * read or downloaded, so a flood costs neither bandwidth nor decoding.
 */
import { AppError } from '../errors';

/** Options of the limiter. */
export interface UploadRateOptions {
  /** Sustained photos per minute per user. */
  perMinute: number;
  /** Photos a user may send at once before the rate applies. */
  burst: number;
  now?: () => number;
  /** Users remembered at most (full buckets are forgotten first). */
  maxUsers?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A token bucket per user id. */
export class UploadRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(private readonly options: UploadRateOptions) {
    this.perMs = options.perMinute / 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one photo from `userId`'s allowance; throws input.rate_limited (429, Retry-After) when there is none. */
  take(userId: string): void {
    const now = this.now();
    const b = this.refill(userId, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const seconds = Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
    throw new AppError('input.rate_limited', 'too many photos from one user', {
      status: 429,
      retryable: true,
      retryAfterSeconds: seconds,
      params: { count: seconds },
    });
  }

  private refill(userId: string, now: number): Bucket {
    const { burst } = this.options;
    let b = this.buckets.get(userId);
    if (!b) {
      this.evict(now);
      b = { tokens: burst, at: now };
      this.buckets.set(userId, b);
      return b;
    }
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    return b;
  }

  private evict(now: number): void {
    if (this.buckets.size < (this.options.maxUsers ?? 10_000)) return;
    for (const [id, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.burst) this.buckets.delete(id);
    }
    // Still full: drop the oldest (a flood of distinct users must not grow memory without bound).
    while (this.buckets.size >= (this.options.maxUsers ?? 10_000)) {
      const first = this.buckets.keys().next().value as string;
      this.buckets.delete(first);
    }
  }
}
