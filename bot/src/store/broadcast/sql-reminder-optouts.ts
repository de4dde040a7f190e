/** Who opted out of photo reminders (reminder_optouts), on either SQL engine. */
import type { SqlDb } from '../sql/sql-db';
import type { ReminderOptOuts } from '../../core/broadcast/reminder-optouts';

/** At most this many ids in one IN (…) list. */
const CHUNK = 500;

/** ReminderOptOuts on SQL. */
export class SqlReminderOptOuts implements ReminderOptOuts {
  constructor(private readonly db: SqlDb) {}

  async optedOut(userIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const ids = userIds.slice(i, i + CHUNK);
      const rows = await this.db.all<{ user_id: string }>(
        `SELECT user_id FROM reminder_optouts WHERE user_id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const r of rows) out.add(r.user_id);
    }
    return out;
  }

  async optOut(userId: string, at: Date): Promise<boolean> {
    const rows = await this.db.all<{ user_id: string }>(
      `INSERT INTO reminder_optouts (user_id, opted_out_at) VALUES (?, ?)
       ON CONFLICT (user_id) DO NOTHING RETURNING user_id`,
      [userId, at.getTime()],
    );
    return rows.length > 0;
  }

  async optIn(userId: string): Promise<boolean> {
    const rows = await this.db.all<{ user_id: string }>(
      `DELETE FROM reminder_optouts WHERE user_id = ? RETURNING user_id`,
      [userId],
    );
    return rows.length > 0;
  }
}
