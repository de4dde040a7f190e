/** CampaignStore on better-sqlite3: campaigns and their enqueue step, each change a compare-and-set. */
import type { CampaignStore, NewRecipient } from '../../core/broadcast/campaign-store';
import type { Campaign } from '../../core/broadcast/broadcast-types';
import { toCampaign, type CampaignRow } from './rows';
import type { Db } from '../database';

/** CampaignStore in SQLite. */
export class SqliteCampaignStore implements CampaignStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      campaign: db.prepare(`SELECT * FROM broadcast_campaigns WHERE id = ?`),
    };
  }

  createCampaign(c: Campaign): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO broadcast_campaigns (id, created_by, created_at, message, audience, send_at, state)
           VALUES (?, ?, ?, ?, ?, ?, 'scheduled')`,
        )
        .run(
          c.id,
          c.createdBy,
          c.createdAt.getTime(),
          JSON.stringify(c.message),
          JSON.stringify(c.audience),
          c.sendAt.getTime(),
        ).changes === 1
    );
  }

  getCampaign(id: string): Campaign | null {
    const r = this.s.campaign.get(id) as CampaignRow | undefined;
    return r ? toCampaign(r) : null;
  }

  listCampaigns(limit: number): Campaign[] {
    return (
      this.db
        .prepare(`SELECT * FROM broadcast_campaigns ORDER BY created_at DESC, rowid DESC LIMIT ?`)
        .all(limit) as CampaignRow[]
    ).map(toCampaign);
  }

  dueForEnqueue(nowMs: number, sendBefore: Date): Campaign[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM broadcast_campaigns
           WHERE (state = 'scheduled' AND send_at <= ?) OR (state = 'enqueuing' AND enqueue_until <= ?)`,
        )
        .all(sendBefore.getTime(), nowMs) as CampaignRow[]
    ).map(toCampaign);
  }

  claimEnqueue(id: string, owner: string, leaseUntilMs: number, nowMs: number, sendBefore: Date): boolean {
    return (
      this.db
        .prepare(
          `UPDATE broadcast_campaigns SET state = 'enqueuing', enqueue_owner = ?, enqueue_until = ?, started_at = COALESCE(started_at, ?)
           WHERE id = ? AND ((state = 'scheduled' AND send_at <= ?) OR (state = 'enqueuing' AND enqueue_until <= ?))`,
        )
        .run(owner, leaseUntilMs, nowMs, id, sendBefore.getTime(), nowMs).changes === 1
    );
  }

  addRecipients(
    id: string,
    owner: string,
    recipients: readonly NewRecipient[],
    leaseUntilMs: number,
    nowMs: number,
  ): boolean {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO broadcast_recipients (campaign_id, user_id, upn, display_name, locale, state, updated_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
    );
    return this.db
      .transaction(() => {
        let added = 0;
        const owned = this.db
          .prepare(`SELECT 1 FROM broadcast_campaigns WHERE id = ? AND state = 'enqueuing' AND enqueue_owner = ?`)
          .get(id, owner);
        if (!owned) return false;
        for (const r of recipients) added += insert.run(id, r.userId, r.upn, r.displayName, r.locale, nowMs).changes;
        this.db
          .prepare(`UPDATE broadcast_campaigns SET enqueued = enqueued + ?, enqueue_until = ? WHERE id = ?`)
          .run(added, leaseUntilMs, id);
        return true;
      })
      .immediate();
  }

  finishEnqueue(id: string, owner: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE broadcast_campaigns SET state = 'sending' WHERE id = ? AND state = 'enqueuing' AND enqueue_owner = ?`,
        )
        .run(id, owner).changes === 1
    );
  }

  noteThrottled(campaignId: string): void {
    this.db.prepare(`UPDATE broadcast_campaigns SET throttled = throttled + 1 WHERE id = ?`).run(campaignId);
  }

  finishIfDone(id: string, nowMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE broadcast_campaigns SET state = 'done', finished_at = ?
           WHERE id = ? AND state = 'sending' AND NOT EXISTS (
             SELECT 1 FROM broadcast_recipients WHERE campaign_id = ? AND state IN ('queued','claimed','sending'))`,
        )
        .run(nowMs, id, id).changes === 1
    );
  }

  cancel(id: string, by: string, nowMs: number): boolean {
    return this.db
      .transaction(() => {
        const r = this.db
          .prepare(
            `UPDATE broadcast_campaigns SET state = 'cancelled', cancelled_by = ?, finished_at = ?
           WHERE id = ? AND state IN ('scheduled','enqueuing','sending')`,
          )
          .run(by, nowMs, id);
        if (r.changes === 0) return false;
        this.db
          .prepare(
            `UPDATE broadcast_recipients SET state = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE campaign_id = ? AND state IN ('queued','claimed')`,
          )
          .run(nowMs, id);
        return true;
      })
      .immediate();
  }
}
