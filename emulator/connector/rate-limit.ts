/**
 * Teams' bot rate limits on the Bot Connector, as the Teams platform documents them
 * ("Optimize your bot with rate limiting in Teams",
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
 * - per bot per thread, one table per operation (send, create conversation, get members);
 * - per thread for all bots together, a second table per operation;
 * - a global limit per app per tenant (revisions of the page say 30 and 50 requests per
 *   second: 50 by default, configurable so tests also run at 30).
 * A 429 usually carries `Retry-After`, but not always: by default every third refusal comes
 * without it, so a client must back off on its own too.
 */

/** What a refusal says. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number | null };

/** The connector operations the limits are written for. */
export type ConnectorOperation = 'send' | 'create' | 'members';

/** A limit: at most `requests` in any `seconds`-long window. */
export interface RateWindow {
  requests: number;
  seconds: number;
}

/** When a 429 carries `Retry-After`. */
export type RetryAfterPolicy = 'always' | 'sometimes' | 'never';

/** The limits the connector enforces. */
export interface ConnectorLimits {
  enabled: boolean;
  /** Requests per second per app per tenant. */
  appPerSecond: number;
  /** Windows per bot per thread, by operation. */
  perBotPerThread: Record<ConnectorOperation, RateWindow[]>;
  /** Windows per thread for all bots together, by operation. */
  perThreadAllBots: Record<ConnectorOperation, RateWindow[]>;
  retryAfter: RetryAfterPolicy;
}

const w = (requests: number, seconds: number): RateWindow => ({ requests, seconds });

/** The documented tables. */
function teamsLimits(enabled: boolean): ConnectorLimits {
  return {
    enabled,
    appPerSecond: 50,
    perBotPerThread: {
      send: [w(7, 1), w(8, 2), w(60, 30), w(1800, 3600)],
      create: [w(7, 1), w(8, 2), w(60, 30), w(1800, 3600)],
      members: [w(14, 1), w(16, 2), w(120, 30), w(3600, 3600)],
    },
    perThreadAllBots: {
      send: [w(14, 1), w(16, 2)],
      create: [w(14, 1), w(16, 2), w(120, 30), w(3600, 3600)],
      members: [w(28, 1), w(32, 2)],
    },
    retryAfter: 'sometimes',
  };
}

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
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && (this.times[i] as number) > cutoff; i--) n++;
    return n;
  }

  /** The `k`-th newest entry (0 = newest); used for Retry-After. */
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

const copy = (l: ConnectorLimits): ConnectorLimits => structuredClone(l);

/**
 * The limits, off until enabled. A refused call does not count; `Retry-After` (when sent) is when the
 * window it broke has room again, in whole seconds (at least 1).
 */
export class TeamsConnectorRateLimiter {
  private limits: ConnectorLimits;
  private app = new Log();
  private readonly logs = new Map<string, Log>();
  /** Calls refused with 429 and calls allowed since the last reset. */
  throttled = 0;
  allowed = 0;
  /** When the first call was allowed since the last reset (virtual ms), and calls allowed in each second after it. */
  private firstAllowedMs: number | null = null;
  private perSecond: number[] = [];

  constructor(private readonly enabledByDefault = false) {
    this.limits = teamsLimits(enabledByDefault);
  }

  /** The limits in force. */
  get config(): ConnectorLimits {
    return copy(this.limits);
  }

  /** Changes the limits (counters are kept); tables given replace the ones of the operations they name. */
  configure(patch: {
    enabled?: boolean;
    appPerSecond?: number;
    retryAfter?: RetryAfterPolicy;
    perBotPerThread?: Partial<Record<ConnectorOperation, RateWindow[]>>;
    perThreadAllBots?: Partial<Record<ConnectorOperation, RateWindow[]>>;
  }): void {
    const next = copy(this.limits);
    if (patch.enabled !== undefined) next.enabled = patch.enabled;
    if (patch.appPerSecond !== undefined) next.appPerSecond = patch.appPerSecond;
    if (patch.retryAfter !== undefined) next.retryAfter = patch.retryAfter;
    Object.assign(next.perBotPerThread, structuredClone(patch.perBotPerThread ?? {}));
    Object.assign(next.perThreadAllBots, structuredClone(patch.perThreadAllBots ?? {}));
    this.limits = next;
  }

  /** Decides for one call by `botId` on `operation` in `conversationId` at virtual time `nowMs`. */
  check(botId: string, operation: ConnectorOperation, conversationId: string, nowMs: number): RateDecision {
    if (!this.limits.enabled) {
      this.receipt(nowMs);
      return { allowed: true };
    }
    this.app.prune(nowMs - 1000);
    if (this.app.size >= this.limits.appPerSecond) return this.refuse(this.app, this.limits.appPerSecond, 1, nowMs);
    const scopes: Array<[string, RateWindow[]]> = [
      [`bot|${botId}|${operation}|${conversationId}`, this.limits.perBotPerThread[operation]],
      [`all|${operation}|${conversationId}`, this.limits.perThreadAllBots[operation]],
    ];
    const touched: Log[] = [];
    for (const [key, windows] of scopes) {
      let log = this.logs.get(key);
      if (!log) {
        log = new Log();
        this.logs.set(key, log);
      }
      const longest = Math.max(0, ...windows.map((x) => x.seconds));
      log.prune(nowMs - longest * 1000);
      for (const x of windows) {
        if (log.countAfter(nowMs - x.seconds * 1000) >= x.requests)
          return this.refuse(log, x.requests, x.seconds, nowMs);
      }
      touched.push(log);
    }
    this.app.push(nowMs);
    for (const log of touched) log.push(nowMs);
    this.receipt(nowMs);
    return { allowed: true };
  }

  /** Calls allowed in each second since the first one after the last reset (for benchmarks). */
  receipts(): { firstMs: number | null; perSecond: number[] } {
    return { firstMs: this.firstAllowedMs, perSecond: [...this.perSecond] };
  }

  private receipt(nowMs: number): void {
    this.allowed++;
    this.firstAllowedMs ??= nowMs;
    const second = Math.floor((nowMs - this.firstAllowedMs) / 1000);
    while (this.perSecond.length <= second) this.perSecond.push(0);
    this.perSecond[second] = (this.perSecond[second] as number) + 1;
  }

  /** Back to the starting limits, with no counters. */
  reset(): void {
    this.limits = teamsLimits(this.enabledByDefault);
    this.app = new Log();
    this.logs.clear();
    this.throttled = 0;
    this.allowed = 0;
    this.firstAllowedMs = null;
    this.perSecond = [];
  }

  private refuse(log: Log, requests: number, seconds: number, nowMs: number): RateDecision {
    this.throttled++;
    const policy = this.limits.retryAfter;
    if (policy === 'never' || (policy === 'sometimes' && this.throttled % 3 === 0))
      return { allowed: false, retryAfterSeconds: null };
    // The window has room again when the oldest of its last `requests` calls leaves it.
    const oldest = log.nthNewest(requests - 1) ?? nowMs;
    const waitMs = oldest + seconds * 1000 - nowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
