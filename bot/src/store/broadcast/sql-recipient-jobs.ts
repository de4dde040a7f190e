/**
 * RecipientJobStore on SQL: leased per-recipient jobs; the unique (campaign, user) key lets a campaign reach a person
 * at most once. Every state change is a compare-and-set, and a claim takes rows nobody else holds (PostgreSQL:
 * FOR UPDATE SKIP LOCKED), so two instances never take one job.
 */
import {
  OUTSIDE_WORKING_HOURS,
  UNKNOWN_OUTCOME,
  type RecipientCounts,
  type RecipientJobStore,
} from '../../core/broadcast/recipient-job-store';
import type { RecipientJob, RecipientOutcome, RecipientState } from '../../core/broadcast/broadcast-types';
import type { Locale } from '../../core/locale';
import { toJob, type RecipientRow } from './rows';
import { placeholders, type SqlDb, type SqlValue, type TransactionOptions } from '../sql/sql-db';

const READ_COMMITTED: TransactionOptions = { isolation: 'read_committed' };

/** RecipientJobStore on either SQL engine. */
export class SqlRecipientJobs implements RecipientJobStore {
  constructor(private readonly db: SqlDb) {}

  private async changed(sql: string, params: SqlValue[]): Promise<boolean> {
    return (await this.db.run(sql, params)).changes === 1;
  }

  claim(owner: string, limit: number, leaseUntilMs: number, nowMs: number): Promise<RecipientJob[]> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `UPDATE broadcast_recipients SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'claimed' AND lease_until <= ?`,
        [nowMs, nowMs],
      );
      await tx.run(
        `UPDATE broadcast_recipients SET state = 'failed', reason = '${UNKNOWN_OUTCOME}', lease_until = NULL, updated_at = ?
         WHERE state = 'sending' AND lease_until <= ?`,
        [nowMs, nowMs],
      );
      const rows = await tx.all<RecipientRow>(
        `UPDATE broadcast_recipients SET state = 'claimed', lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE (campaign_id, user_id) IN (
           SELECT r.campaign_id, r.user_id FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
           WHERE r.state = 'queued' AND r.next_attempt_at <= ? AND c.state IN ('enqueuing','sending')
           ORDER BY r.next_attempt_at LIMIT ? ${this.db.dialect.skipLocked('r')})
         RETURNING *`,
        [owner, leaseUntilMs, nowMs, nowMs, limit],
      );
      return rows.map(toJob);
    }, READ_COMMITTED);
  }

  renew(owner: string, leaseUntilMs: number, enqueuing: readonly string[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `UPDATE broadcast_recipients SET lease_until = ? WHERE lease_owner = ? AND state IN ('claimed','sending')`,
        [leaseUntilMs, owner],
      );
      // Only the enqueues still running here: one that failed lets its lease run out, and another instance retries it.
      if (enqueuing.length > 0)
        await tx.run(
          `UPDATE broadcast_campaigns SET enqueue_until = ?
           WHERE enqueue_owner = ? AND state = 'enqueuing' AND id IN (${placeholders(enqueuing.length)})`,
          [leaseUntilMs, owner, ...enqueuing],
        );
    }, READ_COMMITTED);
  }

  startSending(job: RecipientJob, owner: string, nowMs: number): Promise<boolean> {
    return this.changed(
      `UPDATE broadcast_recipients SET state = 'sending', attempts = attempts + 1, updated_at = ?
       WHERE campaign_id = ? AND user_id = ? AND state = 'claimed' AND lease_owner = ?`,
      [nowMs, job.campaignId, job.userId, owner],
    );
  }

  recordSent(
    job: RecipientJob,
    owner: string,
    activityId: string,
    conversationId: string,
    nowMs: number,
  ): Promise<boolean> {
    return this.changed(
      `UPDATE broadcast_recipients SET state = 'sent', activity_id = ?, conversation_id = ?, sent_at = ?, reason = NULL,
         lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE campaign_id = ? AND user_id = ? AND lease_owner = ?
         AND (state = 'sending' OR (state = 'failed' AND reason = '${UNKNOWN_OUTCOME}'))`,
      [activityId, conversationId, nowMs, nowMs, job.campaignId, job.userId, owner],
    );
  }

  recordRetry(
    job: RecipientJob,
    owner: string,
    nextAttemptAt: number,
    reason: string,
    throttled: boolean,
    nowMs: number,
  ): Promise<boolean> {
    const t = throttled ? 1 : 0;
    return this.changed(
      `UPDATE broadcast_recipients SET state = 'queued', next_attempt_at = ?, reason = ?,
         attempts = attempts - ?, throttles = throttles + ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      [nextAttemptAt, reason, t, t, nowMs, job.campaignId, job.userId, owner],
    );
  }

  holdForWorkingHours(job: RecipientJob, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
    return this.changed(
      `UPDATE broadcast_recipients SET state = 'queued', next_attempt_at = ?, reason = '${OUTSIDE_WORKING_HOURS}',
         lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE campaign_id = ? AND user_id = ? AND state = 'claimed' AND lease_owner = ?`,
      [untilMs, nowMs, job.campaignId, job.userId, owner],
    );
  }

  recordFailed(job: RecipientJob, owner: string, reason: string, nowMs: number): Promise<boolean> {
    return this.changed(
      `UPDATE broadcast_recipients SET state = 'failed', reason = ?, lease_until = NULL, updated_at = ?
       WHERE campaign_id = ? AND user_id = ? AND state = 'sending' AND lease_owner = ?`,
      [reason, nowMs, job.campaignId, job.userId, owner],
    );
  }

  async release(owner: string, nowMs: number): Promise<number> {
    return (
      await this.db.run(
        `UPDATE broadcast_recipients SET state = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE state = 'claimed' AND lease_owner = ?`,
        [nowMs, owner],
      )
    ).changes;
  }

  async counts(id: string): Promise<RecipientCounts> {
    const counts: RecipientCounts = {
      total: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      waiting: 0,
      outsideWorkingHours: 0,
      cancelled: 0,
    };
    const rows = await this.db.all<{ state: RecipientState; why: number; n: number }>(
      `SELECT state, CASE WHEN reason = '${UNKNOWN_OUTCOME}' OR reason LIKE '${UNKNOWN_OUTCOME}:%' THEN 1
           WHEN reason = '${OUTSIDE_WORKING_HOURS}' THEN 2 ELSE 0 END AS why,
         COUNT(*) AS n
       FROM broadcast_recipients WHERE campaign_id = ? GROUP BY state, why`,
      [id],
    );
    for (const r of rows) {
      counts.total += r.n;
      if (r.state === 'sent') counts.sent += r.n;
      else if (r.state === 'failed') {
        counts.failed += r.n;
        if (r.why === 1) counts.unknown += r.n;
      } else if (r.state === 'cancelled') counts.cancelled += r.n;
      else {
        counts.waiting += r.n;
        if (r.state === 'queued' && r.why === 2) counts.outsideWorkingHours += r.n;
      }
    }
    return counts;
  }

  async sentSince(id: string, sinceMs: number): Promise<number> {
    const r = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM broadcast_recipients WHERE campaign_id = ? AND sent_at > ?`,
      [id, sinceMs],
    );
    return r?.n ?? 0;
  }

  async sentCounts(userIds: readonly string[], sinceMs: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < userIds.length; i += 500) {
      const ids = userIds.slice(i, i + 500);
      for (const r of await this.db.all<{ user_id: string; n: number }>(
        `SELECT user_id, COUNT(*) AS n FROM broadcast_recipients
           WHERE state = 'sent' AND sent_at >= ? AND user_id IN (${placeholders(ids.length)}) GROUP BY user_id`,
        [sinceMs, ...ids],
      ))
        counts.set(r.user_id, Number(r.n));
    }
    return counts;
  }

  async lastRefreshReminders(userIds: readonly string[]): Promise<Map<string, Date>> {
    const last = new Map<string, Date>();
    for (let i = 0; i < userIds.length; i += 500) {
      const ids = userIds.slice(i, i + 500);
      // Campaign messages are stored as JSON.stringify of the message, whose first key is its kind. A reminder still
      // waiting (for working hours, say) counts: the next scan's campaign must not queue a second one.
      for (const r of await this.db.all<{ user_id: string; t: number }>(
        `SELECT r.user_id, MAX(c.send_at) AS t FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
         WHERE r.state IN ('queued','claimed','sending','sent') AND c.message LIKE '{"kind":"refresh"%'
           AND r.user_id IN (${placeholders(ids.length)})
         GROUP BY r.user_id`,
        ids,
      ))
        last.set(r.user_id, new Date(Number(r.t)));
    }
    return last;
  }

  async outcomes(id: string, afterUserId: string, limit: number): Promise<RecipientOutcome[]> {
    const rows = await this.db.all<RecipientRow>(
      `SELECT * FROM broadcast_recipients WHERE campaign_id = ? AND user_id > ? ORDER BY user_id LIMIT ?`,
      [id, afterUserId, limit],
    );
    return rows.map((r) => ({
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

  async nextDue(): Promise<number | null> {
    const r = await this.db.get<{ t: number | null }>(
      `SELECT MIN(r.next_attempt_at) AS t FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id
       WHERE r.state = 'queued' AND c.state IN ('enqueuing','sending')`,
    );
    return r?.t ?? null;
  }
}
