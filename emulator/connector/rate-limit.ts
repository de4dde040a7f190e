/** The verdict on one connector call: go ahead, or answer 429 with `Retry-After`. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Seam for the Teams bot rate limits (per bot per conversation 7/1 s, 8/2 s, 60/30 s,
 * 1800/h; 50 rps per app per tenant). Every connector send/reply/update/create asks it.
 */
interface ConnectorRateLimiter {
  /** Decides for one call to `conversationId` at virtual time `nowMs`. */
  check(conversationId: string, nowMs: number): RateDecision;
  /** Forgets counters (on reset). */
  reset(): void;
}

/** A limit: at most `requests` in any `seconds`-long window. */
interface RateWindow {
  requests: number;
  seconds: number;
}

/** The limits the connector enforces. */
export interface ConnectorLimits {
  enabled: boolean;
  /** Requests per second per app per tenant (the local tenant serves one bot, so: all requests). */
  appPerSecond: number;
  /** Windows per conversation. */
  conversation: RateWindow[];
}

/** Teams' documented limits (domain.md). */
const TEAMS_LIMITS: Readonly<Omit<ConnectorLimits, 'enabled'>> = Object.freeze({
  appPerSecond: 50,
  conversation: [
    { requests: 7, seconds: 1 },
    { requests: 8, seconds: 2 },
    { requests: 60, seconds: 30 },
    { requests: 1800, seconds: 3600 },
  ],
});

/** Timestamps of accepted calls in a sliding window, oldest first (a queue that drops from the front). */
class Log {
  private times: number[] = [];
  private head = 0;

  /** Drops entries at or before `cutoff`. */
  prune(cutoff: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Entries after `cutoff`. */
  countAfter(cutoff: number): number {
    // Entries are in order: find the first one after the cutoff from the back (windows are short lists).
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && (this.times[i] as number) > cutoff; i--) n++;
    return n;
  }

  /** The `k`-th newest entry after `cutoff` (0 = newest); used for Retry-After. */
  nthNewest(k: number): number | undefined {
    return this.times[this.times.length - 1 - k];
  }

  get size(): number {
    return this.times.length - this.head;
  }

  push(t: number): void {
    this.times.push(t);
  }
}

/**
 * Teams' bot rate limits, off until enabled: a sliding window per app (all calls) and per
 * conversation. A refused call does not count; `Retry-After` is when the window it broke has
 * room again, in whole seconds (at least 1), as Teams sends it.
 */
export class TeamsConnectorRateLimiter implements ConnectorRateLimiter {
  private limits: ConnectorLimits;
  private app = new Log();
  private conversations = new Map<string, Log>();
  /** Calls refused with 429 and calls allowed since the last reset. */
  throttled = 0;
  allowed = 0;

  constructor(private readonly enabledByDefault = false) {
    this.limits = { enabled: enabledByDefault, ...TEAMS_LIMITS, conversation: [...TEAMS_LIMITS.conversation] };
  }

  /** The limits in force. */
  get config(): ConnectorLimits {
    return { ...this.limits, conversation: this.limits.conversation.map((w) => ({ ...w })) };
  }

  /** Changes the limits (counters are kept). */
  configure(patch: Partial<ConnectorLimits>): void {
    this.limits = { ...this.limits, ...patch, conversation: [...(patch.conversation ?? this.limits.conversation)] };
  }

  check(conversationId: string, nowMs: number): RateDecision {
    if (!this.limits.enabled) {
      this.allowed++;
      return { allowed: true };
    }
    this.app.prune(nowMs - 1000);
    if (this.app.size >= this.limits.appPerSecond) return this.refuse(this.app, this.limits.appPerSecond, 1, nowMs);
    const longest = Math.max(0, ...this.limits.conversation.map((w) => w.seconds));
    let log = this.conversations.get(conversationId);
    if (log) {
      log.prune(nowMs - longest * 1000);
      for (const w of this.limits.conversation) {
        if (log.countAfter(nowMs - w.seconds * 1000) >= w.requests)
          return this.refuse(log, w.requests, w.seconds, nowMs);
      }
    } else {
      log = new Log();
      this.conversations.set(conversationId, log);
    }
    this.app.push(nowMs);
    log.push(nowMs);
    this.allowed++;
    return { allowed: true };
  }

  /** Back to the starting limits, with no counters. */
  reset(): void {
    this.limits = { enabled: this.enabledByDefault, ...TEAMS_LIMITS, conversation: [...TEAMS_LIMITS.conversation] };
    this.app = new Log();
    this.conversations.clear();
    this.throttled = 0;
    this.allowed = 0;
  }

  private refuse(log: Log, requests: number, seconds: number, nowMs: number): RateDecision {
    this.throttled++;
    // The window has room again when the oldest of its last `requests` calls leaves it.
    const oldest = log.nthNewest(requests - 1) ?? nowMs;
    const waitMs = oldest + seconds * 1000 - nowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
