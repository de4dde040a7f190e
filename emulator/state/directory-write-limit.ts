/**
 * Microsoft Graph's limits on directory writes, which profile photo writes count against (Microsoft Graph
 * service-specific throttling limits, "Identity and access service limits"): per app and tenant 3,000 requests in
 * any 150 s, and per tenant 18,000 in any 5 minutes for all apps together. A write over either answers 429 with a
 * Retry-After of the seconds until the window has room again. On by default, with Microsoft's numbers; tests and
 * the bench set smaller ones (PUT /_control/throttling/directory-writes).
 */

/** One sliding window. */
interface WriteWindow {
  limit: number;
  windowSeconds: number;
}

/** The two windows, or null when the limit is off. */
export interface DirectoryWriteSettings {
  perApp: WriteWindow;
  perTenant: WriteWindow;
}

export const GRAPH_DIRECTORY_WRITE_LIMITS: DirectoryWriteSettings = {
  perApp: { limit: 3_000, windowSeconds: 150 },
  perTenant: { limit: 18_000, windowSeconds: 300 },
};

/** The verdict on one write. */
export type WriteDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Sliding windows of accepted writes, per app and for the tenant. */
export class DirectoryWriteLimiter {
  private settings: DirectoryWriteSettings | null = GRAPH_DIRECTORY_WRITE_LIMITS;
  private readonly perApp = new Map<string, number[]>();
  private tenant: number[] = [];
  private refused = 0;
  private accepted = 0;
  private lowPriority = 0;

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  configure(settings: DirectoryWriteSettings | null): void {
    this.settings = settings;
    this.perApp.clear();
    this.tenant = [];
    this.refused = 0;
    this.accepted = 0;
    this.lowPriority = 0;
  }

  status(): { limits: DirectoryWriteSettings | null; accepted: number; throttled: number; lowPriority: number } {
    return { limits: this.settings, accepted: this.accepted, throttled: this.refused, lowPriority: this.lowPriority };
  }

  /** Counts one write by `appId` (`lowPriority`: it said x-ms-throttle-priority: low), or refuses it. */
  take(appId: string, lowPriority: boolean): WriteDecision {
    const s = this.settings;
    if (s === null) return this.accept(lowPriority);
    const now = this.nowMs();
    const app = this.perApp.get(appId) ?? [];
    this.perApp.set(appId, app);
    const wait = Math.max(waitFor(app, s.perApp, now), waitFor(this.tenant, s.perTenant, now));
    if (wait > 0) {
      this.refused++;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    }
    app.push(now);
    this.tenant.push(now);
    return this.accept(lowPriority);
  }

  private accept(lowPriority: boolean): WriteDecision {
    this.accepted++;
    if (lowPriority) this.lowPriority++;
    return { allowed: true };
  }
}

/** Ms until `times` (accepted writes, oldest first) has room under `w`; 0 when it has now. Drops times out of it. */
function waitFor(times: number[], w: WriteWindow, now: number): number {
  const span = w.windowSeconds * 1000;
  let i = 0;
  while (i < times.length && (times[i] as number) <= now - span) i++;
  if (i > 0) times.splice(0, i);
  if (times.length < w.limit) return 0;
  return (times[times.length - w.limit] as number) + span - now;
}
