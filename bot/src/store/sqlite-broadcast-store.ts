/**
 * BroadcastStore on better-sqlite3. Every state change is a compare-and-set inside a write
 * transaction, so two processes on one file never take the same job, and the unique
 * (campaign, user) key lets a campaign reach a person at most once.
 */
import type { BroadcastStore, NewRecipient, RecipientCounts } from '../core/broadcast/broadcast-store';
import { UNKNOWN_OUTCOME } from '../core/broadcast/broadcast-store';
import type {
  Campaign,
  CampaignState,
  ProgressCardRef,
  RecipientJob,
  RecipientOutcome,
  RecipientState,
} from '../core/broadcast/broadcast-types';
import type { Locale } from '../core/ports';
import type { Db } from './database';

interface CampaignRow {
  id: string;
  created_by: string;
  created_at: number;
  message: string;
  audience: string;
  send_at: number;
  state: CampaignState;
  enqueued: number;
  started_at: number | null;
  finished_at: number | null;
  cancelled_by: string | null;
  throttled: number;
}

interface RecipientRow {
  campaign_id: string;
  user_id: string;
  upn: string;
  display_name: string;
  locale: string;
  state: RecipientState;
  attempts: number;
  throttles: number;
  next_attempt_at: number;
  activity_id: string | null;
  conversation_id: string | null;
  reason: string | null;
  sent_at: number | null;
}

const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  message: JSON.parse(r.message) as Campaign['message'],
  audience: JSON.parse(r.audience) as Campaign['audience'],
  sendAt: new Date(r.send_at),
  state: r.state,
  enqueued: r.enqueued,
  startedAt: r.started_at === null ? undefined : new Date(r.started_at),
  finishedAt: r.finished_at === null ? undefined : new Date(r.finished_at),
  cancelledBy: r.cancelled_by ?? undefined,
  throttled: r.throttled,
});

const toJob = (r: RecipientRow): RecipientJob => ({
  campaignId: r.campaign_id,
  userId: r.user_id,
  upn: r.upn,
  displayName: r.display_name,
  locale: r.locale as Locale,
  state: r.state,
  attempts: r.attempts,
  throttles: r.throttles,
  nextAttemptAt: r.next_attempt_at,
  activityId: r.activity_id ?? undefined,
  conversationId: r.conversation_id ?? undefined,
  reason: r.reason ?? undefined,
  sentAt: r.sent_at === null ? undefined : new Date(r.sent_at),
});

/** Campaigns, recipient jobs and the shared pacer in SQLite. */
export class SqliteBroadcastStore implements BroadcastStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      campaign: db.prepare(`SELECT * FROM broadcast_campaigns WHERE id = ?`),
      expiredClaims: db.prepare(
        `UPDATE broadcast_recipients SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'claimed' AND lease_until <= ?`,
      ),
      expiredSends: db.prepare(
        `UPDATE broadcast_recipients SET state = 'failed', reason = '${UNKNOWN_OUTCOME}', lease_until = NULL, updated_at = ?
         WHERE state = 'sending' AND lease_until <= ?`,
      ),
      claim: db.prepare(
        `UPDATE broadcast_recipients SET state = 'claimed', lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE rowid IN (
           SELECT r.rowid FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
           WHERE r.state = 'queued' AND r.next_attempt_at <= ? AND c.state IN ('enqueuing','sending')
           ORDER BY r.next_attempt_at LIMIT ?)
         RETURNING *`,
      ),
      startSending: db.prepare(
        `UPDATE broadcast_recipients SET state = 'sending', attempts = attempts + 1, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'claimed' AND lease_owner = ?`,
      ),
      sent: db.prepare(
        `UPDATE broadcast_recipients SET state = 'sent', activity_id = ?, conversation_id = ?, sent_at = ?, reason = NULL,
           lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND lease_owner = ?
           AND (state = 'sending' OR (state = 'failed' AND reason = '${UNKNOWN_OUTCOME}'))`,
      ),
      retry: db.prepare(
        `UPDATE broadcast_recipients SET state = 'queued', next_attempt_at = ?, reason = ?,
           attempts = attempts - ?, throttles = throttles + ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      ),
      failed: db.prepare(
        `UPDATE broadcast_recipients SET state = 'failed', reason = ?, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      ),
      slot: db.prepare(`SELECT next_slot_at, paused_until FROM broadcast_pacer WHERE id = 1`),
      setSlot: db.prepare(`UPDATE broadcast_pacer SET next_slot_at = ? WHERE id = 1`),
      sentSince: db.prepare(`SELECT COUNT(*) AS n FROM broadcast_recipients WHERE campaign_id = ? AND sent_at > ?`),
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

  claim(owner: string, limit: number, leaseUntilMs: number, nowMs: number): RecipientJob[] {
    return this.db
      .transaction(() => {
        this.s.expiredClaims.run(nowMs, nowMs);
        this.s.expiredSends.run(nowMs, nowMs);
        return (this.s.claim.all(owner, leaseUntilMs, nowMs, nowMs, limit) as RecipientRow[]).map(toJob);
      })
      .immediate();
  }

  renew(owner: string, leaseUntilMs: number): void {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `UPDATE broadcast_recipients SET lease_until = ? WHERE lease_owner = ? AND state IN ('claimed','sending')`,
          )
          .run(leaseUntilMs, owner);
        this.db
          .prepare(`UPDATE broadcast_campaigns SET enqueue_until = ? WHERE enqueue_owner = ? AND state = 'enqueuing'`)
          .run(leaseUntilMs, owner);
      })
      .immediate();
  }

  startSending(job: RecipientJob, owner: string, nowMs: number): boolean {
    return this.s.startSending.run(nowMs, job.campaignId, job.userId, owner).changes === 1;
  }

  recordSent(job: RecipientJob, owner: string, activityId: string, conversationId: string, nowMs: number): boolean {
    return this.s.sent.run(activityId, conversationId, nowMs, nowMs, job.campaignId, job.userId, owner).changes === 1;
  }

  recordRetry(
    job: RecipientJob,
    owner: string,
    nextAttemptAt: number,
    reason: string,
    throttled: boolean,
    nowMs: number,
  ): boolean {
    const t = throttled ? 1 : 0;
    return this.s.retry.run(nextAttemptAt, reason, t, t, nowMs, job.campaignId, job.userId, owner).changes === 1;
  }

  recordFailed(job: RecipientJob, owner: string, reason: string, nowMs: number): boolean {
    return this.s.failed.run(reason, nowMs, job.campaignId, job.userId, owner).changes === 1;
  }

  release(owner: string, nowMs: number): number {
    return this.db
      .prepare(
        `UPDATE broadcast_recipients SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'claimed' AND lease_owner = ?`,
      )
      .run(nowMs, owner).changes;
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

  counts(id: string): RecipientCounts {
    const counts: RecipientCounts = { total: 0, sent: 0, failed: 0, unknown: 0, waiting: 0, cancelled: 0 };
    for (const r of this.db
      .prepare(
        `SELECT state, reason = '${UNKNOWN_OUTCOME}' OR reason LIKE '${UNKNOWN_OUTCOME}:%' AS unknown, COUNT(*) AS n
         FROM broadcast_recipients WHERE campaign_id = ? GROUP BY state, unknown`,
      )
      .all(id) as Array<{ state: RecipientState; unknown: number | null; n: number }>) {
      counts.total += r.n;
      if (r.state === 'sent') counts.sent += r.n;
      else if (r.state === 'failed') {
        counts.failed += r.n;
        if (r.unknown === 1) counts.unknown += r.n;
      } else if (r.state === 'cancelled') counts.cancelled += r.n;
      else counts.waiting += r.n;
    }
    return counts;
  }

  sentSince(id: string, sinceMs: number): number {
    return (this.s.sentSince.get(id, sinceMs) as { n: number }).n;
  }

  outcomes(id: string, afterUserId: string, limit: number): RecipientOutcome[] {
    return (
      this.db
        .prepare(`SELECT * FROM broadcast_recipients WHERE campaign_id = ? AND user_id > ? ORDER BY user_id LIMIT ?`)
        .all(id, afterUserId, limit) as RecipientRow[]
    ).map((r) => ({
      userId: r.user_id,
      upn: r.upn,
      displayName: r.display_name,
      locale: r.locale as Locale,
      state: r.state,
      attempts: r.attempts,
      reason: r.reason,
      sentAt: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
      activityId: r.activity_id,
    }));
  }

  nextDue(): number | null {
    const r = this.db
      .prepare(
        `SELECT MIN(r.next_attempt_at) AS t FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
         WHERE r.state = 'queued' AND c.state IN ('enqueuing','sending')`,
      )
      .get() as { t: number | null };
    return r.t;
  }

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
