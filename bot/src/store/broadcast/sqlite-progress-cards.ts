/** ProgressCardStore on better-sqlite3: the admin's progress card of each campaign. */
import type { ProgressCardStore } from '../../core/broadcast/progress-card-store';
import type { ProgressCardRef } from '../../core/broadcast/broadcast-types';
import type { Locale } from '../../core/locale';
import type { Db } from '../database';

/** ProgressCardStore in SQLite. */
export class SqliteProgressCards implements ProgressCardStore {
  constructor(private readonly db: Db) {}

  setProgressCard(id: string, card: ProgressCardRef): void {
    this.db
      .prepare(
        `UPDATE broadcast_campaigns SET progress_ref = ?, progress_activity_id = ?, progress_locale = ? WHERE id = ?`,
      )
      .run(card.reference, card.activityId, card.locale, id);
  }

  progressCard(id: string): (ProgressCardRef & { synced: string | null; final: boolean }) | null {
    const r = this.db
      .prepare(
        `SELECT progress_ref, progress_activity_id, progress_locale, progress_synced, progress_final FROM broadcast_campaigns WHERE id = ?`,
      )
      .get(id) as
      | {
          progress_ref: string | null;
          progress_activity_id: string | null;
          progress_locale: string | null;
          progress_synced: string | null;
          progress_final: number;
        }
      | undefined;
    if (!r?.progress_ref || !r.progress_activity_id) return null;
    return {
      reference: r.progress_ref,
      activityId: r.progress_activity_id,
      locale: (r.progress_locale ?? 'en') as Locale,
      synced: r.progress_synced,
      final: r.progress_final === 1,
    };
  }

  campaignsWithOpenCards(): string[] {
    return (
      this.db
        .prepare(
          `SELECT id FROM broadcast_campaigns WHERE progress_activity_id IS NOT NULL AND progress_final = 0 AND state != 'scheduled'`,
        )
        .all() as Array<{ id: string }>
    ).map((r) => r.id);
  }

  markProgressSynced(id: string, key: string, final: boolean): void {
    this.db
      .prepare(`UPDATE broadcast_campaigns SET progress_synced = ?, progress_final = ? WHERE id = ?`)
      .run(key, final ? 1 : 0, id);
  }
}
