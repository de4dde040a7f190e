/** ProgressCardStore on SQL: the admin's progress card of each campaign. */
import type { ProgressCardStore } from '../../core/broadcast/progress-card-store';
import type { ProgressCardRef } from '../../core/broadcast/broadcast-types';
import type { Locale } from '../../core/locale';
import type { SqlDb } from '../sql/sql-db';

/** ProgressCardStore on either SQL engine. */
export class SqlProgressCards implements ProgressCardStore {
  constructor(private readonly db: SqlDb) {}

  async setProgressCard(id: string, card: ProgressCardRef): Promise<void> {
    await this.db.run(
      `UPDATE broadcast_campaigns SET progress_ref = ?, progress_activity_id = ?, progress_locale = ? WHERE id = ?`,
      [card.reference, card.activityId, card.locale, id],
    );
  }

  async progressCard(id: string): Promise<(ProgressCardRef & { synced: string | null; final: boolean }) | null> {
    const r = await this.db.get<{
      progress_ref: string | null;
      progress_activity_id: string | null;
      progress_locale: string | null;
      progress_synced: string | null;
      progress_final: number;
    }>(
      `SELECT progress_ref, progress_activity_id, progress_locale, progress_synced, progress_final FROM broadcast_campaigns WHERE id = ?`,
      [id],
    );
    if (!r?.progress_ref || !r.progress_activity_id) return null;
    return {
      reference: r.progress_ref,
      activityId: r.progress_activity_id,
      locale: (r.progress_locale ?? 'en') as Locale,
      synced: r.progress_synced,
      final: r.progress_final === 1,
    };
  }

  async campaignsWithOpenCards(): Promise<string[]> {
    return (
      await this.db.all<{ id: string }>(
        `SELECT id FROM broadcast_campaigns WHERE progress_activity_id IS NOT NULL AND progress_final = 0 AND state != 'scheduled'`,
      )
    ).map((r) => r.id);
  }

  async markProgressSynced(id: string, key: string, final: boolean): Promise<void> {
    await this.db.run(`UPDATE broadcast_campaigns SET progress_synced = ?, progress_final = ? WHERE id = ?`, [
      key,
      final ? 1 : 0,
      id,
    ]);
  }
}
