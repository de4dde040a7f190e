/**
 * RecipientJobStore on better-sqlite3: leased per-recipient jobs; the unique (campaign, user) key lets a campaign reach a person at most once. Every
 * state change is a compare-and-set in a write transaction, so two processes never take one job.
 */
import {
  UNKNOWN_OUTCOME,
  type RecipientCounts,
  type RecipientJobStore,
} from '../../core/broadcast/recipient-job-store';
import type { RecipientJob, RecipientOutcome, RecipientState } from '../../core/broadcast/broadcast-types';
import type { Locale } from '../../core/locale';
import { toJob, type RecipientRow } from './rows';
import type { Db } from '../database';

/** RecipientJobStore in SQLite. */
export class SqliteRecipientJobs implements RecipientJobStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      claim: db.prepare(
        `UPDATE broadcast_recipients SET state = 'claimed', lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE rowid IN (
           SELECT r.rowid FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
           WHERE r.state = 'queued' AND r.next_attempt_at <= ? AND c.state IN ('enqueuing','sending')
           ORDER BY r.next_attempt_at LIMIT ?)
         RETURNING *`,
      ),
      expiredClaims: db.prepare(
        `UPDATE broadcast_recipients SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'claimed' AND lease_until <= ?`,
      ),
      expiredSends: db.prepare(
        `UPDATE broadcast_recipients SET state = 'failed', reason = '${UNKNOWN_OUTCOME}', lease_until = NULL, updated_at = ?
         WHERE state = 'sending' AND lease_until <= ?`,
      ),
      failed: db.prepare(
        `UPDATE broadcast_recipients SET state = 'failed', reason = ?, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      ),
      retry: db.prepare(
        `UPDATE broadcast_recipients SET state = 'queued', next_attempt_at = ?, reason = ?,
           attempts = attempts - ?, throttles = throttles + ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      ),
      sent: db.prepare(
        `UPDATE broadcast_recipients SET state = 'sent', activity_id = ?, conversation_id = ?, sent_at = ?, reason = NULL,
           lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND lease_owner = ?
           AND (state = 'sending' OR (state = 'failed' AND reason = '${UNKNOWN_OUTCOME}'))`,
      ),
      sentSince: db.prepare(`SELECT COUNT(*) AS n FROM broadcast_recipients WHERE campaign_id = ? AND sent_at > ?`),
      startSending: db.prepare(
        `UPDATE broadcast_recipients SET state = 'sending', attempts = attempts + 1, updated_at = ?
         WHERE campaign_id = ? AND user_id = ? AND state = 'claimed' AND lease_owner = ?`,
      ),
    };
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
}
