/** SharedPace on SQL: one row of send slots every instance on the database draws from. */
import type { SharedPace } from '../../core/broadcast/shared-pace';
import type { SqlDb } from '../sql/sql-db';

/** SharedPace in one row; each reservation is a single atomic UPDATE, so instances never share a slot. */
export class SqlSharedPace implements SharedPace {
  constructor(private readonly db: SqlDb) {}

  async acquireSlot(intervalMs: number, nowMs: number): Promise<number> {
    const d = this.db.dialect;
    // The slot is the latest of now, the next free slot and the end of a pause; the next free one follows it.
    const slot = d.greatest(d.greatest('?', 'next_slot_at'), 'paused_until');
    const r = await this.db.get<{ slot: number }>(
      `UPDATE broadcast_pacer SET next_slot_at = ${slot} + ? WHERE id = 1 RETURNING next_slot_at - ? AS slot`,
      [nowMs, intervalMs, intervalMs],
    );
    return (r as { slot: number }).slot;
  }

  async pause(untilMs: number): Promise<void> {
    const d = this.db.dialect;
    await this.db.run(
      `UPDATE broadcast_pacer SET paused_until = ${d.greatest('paused_until', '?')},
         next_slot_at = ${d.greatest('next_slot_at', '?')} WHERE id = 1`,
      [untilMs, untilMs],
    );
  }

  async pausedUntil(): Promise<number> {
    return (
      (await this.db.get<{ paused_until: number }>(`SELECT paused_until FROM broadcast_pacer WHERE id = 1`)) as {
        paused_until: number;
      }
    ).paused_until;
  }
}
