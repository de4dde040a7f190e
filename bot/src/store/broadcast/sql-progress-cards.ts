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
      `UPDATE broadcast_campaigns SET progress_ref = ?, progress_activity_id = ?, progress_locale = ?,
         progress_conversation = ? WHERE id = ?`,
      [card.reference, card.activityId, card.locale, card.conversationId, id],
    );
  }

  async progressCard(id: string): Promise<(ProgressCardRef & { synced: string | null; final: boolean }) | null> {
    const r = await this.db.get<{
      progress_ref: string | null;
      progress_activity_id: string | null;
      progress_locale: string | null;
      progress_conversation: string | null;
      progress_synced: string | null;
      progress_final: number;
    }>(
      `SELECT progress_ref, progress_activity_id, progress_locale, progress_conversation, progress_synced, progress_final
         FROM broadcast_campaigns WHERE id = ?`,
      [id],
    );
    if (!r?.progress_ref || !r.progress_activity_id) return null;
    return {
      reference: r.progress_ref,
      activityId: r.progress_activity_id,
      locale: (r.progress_locale ?? 'en') as Locale,
      // A card kept before the chat was recorded counts on its own.
      conversationId: r.progress_conversation ?? `campaign:${id}`,
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

  async claimConversationUpdate(conversationId: string, nowMs: number, minGapMs: number): Promise<boolean> {
    const r = await this.db.run(
      `INSERT INTO conversation_updates (conversation_id, updated_at) VALUES (?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET updated_at = excluded.updated_at
         WHERE conversation_updates.updated_at <= ?`,
      [conversationId, nowMs, nowMs - minGapMs],
    );
    return r.changes > 0;
  }
}
