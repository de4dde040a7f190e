/**
 * Local mode's clock: system time plus the local tenant's offset (`GET /_control/clock`),
 * so that moving the tenant's clock moves reminders, escalations and expiry too.
 * `sync()` reads the offset again; the scheduler calls it before every tick.
 */
import type { Clock } from '../core/clock';

/** A Clock following the local tenant's virtual clock. */
export class LocalTenantClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly tenantUrl: string) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Reads the tenant's time again; keeps the last offset when the tenant does not answer. */
  async sync(): Promise<void> {
    try {
      const started = Date.now();
      const res = await fetch(`${this.tenantUrl}/_control/clock`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) return;
      const body = (await res.json()) as { now?: unknown };
      const tenantNow = typeof body.now === 'string' ? Date.parse(body.now) : Number.NaN;
      if (!Number.isFinite(tenantNow)) return;
      // Half the round trip is the best guess of when the tenant read its clock.
      const midpoint = started + (Date.now() - started) / 2;
      const offset = tenantNow - midpoint;
      // Below the round trip's precision, keep the old value: a drifting offset makes tests flaky for nothing.
      if (Math.abs(offset - this.offsetMs) > 250) this.offsetMs = offset;
    } catch {
      // The tenant is down or slow: keep going on the last known offset.
    }
  }
}
