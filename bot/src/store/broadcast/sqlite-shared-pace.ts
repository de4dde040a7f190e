/** SharedPace on better-sqlite3: one row of send slots every instance on the file draws from. */
import type { SharedPace } from '../../core/broadcast/shared-pace';
import type { Db } from '../database';

/** SharedPace in SQLite. */
export class SqliteSharedPace implements SharedPace {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      setSlot: db.prepare(`UPDATE broadcast_pacer SET next_slot_at = ? WHERE id = 1`),
      slot: db.prepare(`SELECT next_slot_at, paused_until FROM broadcast_pacer WHERE id = 1`),
    };
  }

  acquireSlot(intervalMs: number, nowMs: number): number {
    return this.db
      .transaction(() => {
        const r = this.s.slot.get() as { next_slot_at: number; paused_until: number };
        const slot = Math.max(nowMs, r.next_slot_at, r.paused_until);
        this.s.setSlot.run(slot + intervalMs);
        return slot;
      })
      .immediate();
  }

  pause(untilMs: number): void {
    this.db
      .prepare(
        `UPDATE broadcast_pacer SET paused_until = MAX(paused_until, ?), next_slot_at = MAX(next_slot_at, ?) WHERE id = 1`,
      )
      .run(untilMs, untilMs);
  }

  pausedUntil(): number {
    return (this.s.slot.get() as { paused_until: number }).paused_until;
  }
}
