/** CampaignStore on SQL: campaigns and their enqueue step, each change a compare-and-set. */
import type { CampaignStore, NewRecipient } from '../../core/broadcast/campaign-store';
import type { Campaign } from '../../core/broadcast/broadcast-types';
import { toCampaign, type CampaignRow } from './rows';
import type { SqlDb } from '../sql/sql-db';

/** CampaignStore on either SQL engine. */
export class SqlCampaignStore implements CampaignStore {
  constructor(private readonly db: SqlDb) {}

  async createCampaign(c: Campaign): Promise<boolean> {
    const r = await this.db.run(
      `INSERT INTO broadcast_campaigns (id, created_by, created_at, message, audience, send_at, state)
       VALUES (?, ?, ?, ?, ?, ?, 'scheduled') ON CONFLICT (id) DO NOTHING`,
      [
        c.id,
        c.createdBy,
        c.createdAt.getTime(),
        JSON.stringify(c.message),
        JSON.stringify(c.audience),
        c.sendAt.getTime(),
      ],
    );
    return r.changes === 1;
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const r = await this.db.get<CampaignRow>(`SELECT * FROM broadcast_campaigns WHERE id = ?`, [id]);
    return r ? toCampaign(r) : null;
  }

  async listCampaigns(limit: number): Promise<Campaign[]> {
    return (
      await this.db.all<CampaignRow>(
        `SELECT * FROM broadcast_campaigns ORDER BY created_at DESC, ${this.db.dialect.insertOrder} DESC LIMIT ?`,
        [limit],
      )
    ).map(toCampaign);
  }

  async dueForEnqueue(nowMs: number, sendBefore: Date): Promise<Campaign[]> {
    return (
      await this.db.all<CampaignRow>(
        `SELECT * FROM broadcast_campaigns
         WHERE (state = 'scheduled' AND send_at <= ?) OR (state = 'enqueuing' AND enqueue_until <= ?)`,
        [sendBefore.getTime(), nowMs],
      )
    ).map(toCampaign);
  }

  async claimEnqueue(
    id: string,
    owner: string,
    leaseUntilMs: number,
    nowMs: number,
    sendBefore: Date,
  ): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE broadcast_campaigns SET state = 'enqueuing', enqueue_owner = ?, enqueue_until = ?, started_at = COALESCE(started_at, ?)
       WHERE id = ? AND ((state = 'scheduled' AND send_at <= ?) OR (state = 'enqueuing' AND enqueue_until <= ?))`,
      [owner, leaseUntilMs, nowMs, id, sendBefore.getTime(), nowMs],
    );
    return r.changes === 1;
  }

  addRecipients(
    id: string,
    owner: string,
    recipients: readonly NewRecipient[],
    leaseUntilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    return this.db.transaction(
      async (tx) => {
        const owned = await tx.get(
          `SELECT 1 AS owned FROM broadcast_campaigns WHERE id = ? AND state = 'enqueuing' AND enqueue_owner = ?
         ${this.db.dialect.forUpdate}`,
          [id, owner],
        );
        if (!owned) return false;
        let added = 0;
        for (const r of recipients)
          added += (
            await tx.run(
              `INSERT INTO broadcast_recipients (campaign_id, user_id, upn, display_name, locale, department,
                 working_hours, state, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT (campaign_id, user_id) DO NOTHING`,
              [
                id,
                r.userId,
                r.upn,
                r.displayName,
                r.locale,
                r.department ?? null,
                r.workingHours ? JSON.stringify(r.workingHours) : null,
                nowMs,
              ],
            )
          ).changes;
        await tx.run(`UPDATE broadcast_campaigns SET enqueued = enqueued + ?, enqueue_until = ? WHERE id = ?`, [
          added,
          leaseUntilMs,
          id,
        ]);
        return true;
        // Unique-key inserts and a counter: READ COMMITTED, so that claims running meanwhile do not fail it.
      },
      { isolation: 'read_committed' },
    );
  }

  async finishEnqueue(id: string, owner: string): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE broadcast_campaigns SET state = 'sending' WHERE id = ? AND state = 'enqueuing' AND enqueue_owner = ?`,
      [id, owner],
    );
    return r.changes === 1;
  }

  async noteThrottled(campaignId: string): Promise<void> {
    await this.db.run(`UPDATE broadcast_campaigns SET throttled = throttled + 1 WHERE id = ?`, [campaignId]);
  }

  async finishIfDone(id: string, nowMs: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE broadcast_campaigns SET state = 'done', finished_at = ?
       WHERE id = ? AND state = 'sending' AND NOT EXISTS (
         SELECT 1 FROM broadcast_recipients WHERE campaign_id = ? AND state IN ('queued','claimed','sending'))`,
      [nowMs, id, id],
    );
    return r.changes === 1;
  }

  cancel(id: string, by: string, nowMs: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE broadcast_campaigns SET state = 'cancelled', cancelled_by = ?, finished_at = ?
         WHERE id = ? AND state IN ('scheduled','enqueuing','sending')`,
        [by, nowMs, id],
      );
      if (r.changes === 0) return false;
      await tx.run(
        `UPDATE broadcast_recipients SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND state IN ('queued','claimed')`,
        [nowMs, id],
      );
      return true;
    });
  }
}
