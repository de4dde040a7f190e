/**
 * The pace of an import's photo writes (docs/import.md, "Pace").
 *
 * Microsoft Graph counts directory writes in sliding windows: 3,000 requests per 150 s per app and tenant, and
 * 18,000 per 5 minutes per tenant for all apps together (Microsoft Graph service-specific throttling limits,
 * "Identity and access service limits"). An import keeps a log of its writes and takes a write only when every
 * window has room, leaving `headroom` (a share of each window) for the people changing their own photo at the same
 * time. A 429 pauses every write until its Retry-After. One import applies at a time in the whole deployment
 * (ImportStore.claimJob), so this log, kept by the instance that holds the job, counts all of its writes.
 */

/** One sliding window: at most `limit` writes in any `windowMs`. */
export interface PaceLimit {
  limit: number;
  windowMs: number;
}

/** A sliding-window pacer of writes; times are epoch ms from the caller's clock. */
export class WritePace {
  private readonly grants: number[] = [];
  private pausedUntil = 0;
  private throttledCount = 0;
  private readonly budgets: Array<{ budget: number; windowMs: number }>;
  private readonly longest: number;

  /** `headroom`: the share of each window left to everyone else (0.1 = the import takes at most 90%). */
  constructor(limits: readonly PaceLimit[], headroom = 0.1) {
    this.budgets = limits.map((l) => ({
      budget: Math.max(1, Math.floor(l.limit * (1 - headroom))),
      windowMs: l.windowMs,
    }));
    this.longest = Math.max(1, ...limits.map((l) => l.windowMs));
  }

  /** Takes a write now (returns 0) or says how many ms to wait before asking again. */
  tryTake(nowMs: number): number {
    if (nowMs < this.pausedUntil) return this.pausedUntil - nowMs;
    let i = 0;
    while (i < this.grants.length && (this.grants[i] as number) <= nowMs - this.longest) i++;
    if (i > 0) this.grants.splice(0, i);
    let wait = 0;
    for (const { budget, windowMs } of this.budgets) {
      // Grants inside this window; the oldest of the last `budget` leaves it at its time + windowMs.
      let inWindow = 0;
      for (let k = this.grants.length - 1; k >= 0 && (this.grants[k] as number) > nowMs - windowMs; k--) inWindow++;
      if (inWindow >= budget) {
        const oldest = this.grants[this.grants.length - budget] as number;
        wait = Math.max(wait, oldest + windowMs - nowMs + 1);
      }
    }
    if (wait > 0) return wait;
    this.grants.push(nowMs);
    return 0;
  }

  /** A 429: nobody writes before `retryAfterMs` from now. */
  throttled(nowMs: number, retryAfterMs: number): void {
    this.throttledCount++;
    this.pausedUntil = Math.max(this.pausedUntil, nowMs + retryAfterMs);
  }

  /** 429s seen. */
  get throttles(): number {
    return this.throttledCount;
  }
}
