/** One job per campaign and recipient, claimed with a lease; at most one delivery each. */
import type { RecipientJob, RecipientOutcome } from './broadcast-types';

/** Counts of one campaign's recipients. */
export interface RecipientCounts {
  total: number;
  sent: number;
  failed: number;
  unknown: number;
  waiting: number;
  /** Of `waiting`: held until the recipient's working hours. */
  outsideWorkingHours: number;
  cancelled: number;
}

/** Reason of a queued job held until the recipient's working hours. */
export const OUTSIDE_WORKING_HOURS = 'outside_working_hours';

/** Reason recorded when a send may have happened but its answer was never recorded. */
export const UNKNOWN_OUTCOME = 'unknown_outcome';

/** One job per campaign and recipient, claimed with a lease; at most one delivery each. */
export interface RecipientJobStore {
  /**
   * Claims up to `limit` due jobs for `owner` (queued → claimed, with a lease), first returning dead owners' work:
   * expired `claimed` jobs go back to queued (never sent); expired `sending` jobs become failed with UNKNOWN_OUTCOME.
   */
  claim(owner: string, limit: number, leaseUntilMs: number, nowMs: number): Promise<RecipientJob[]>;
  /** Extends the leases of the owner's claimed and sending jobs, and of the enqueue steps it is still running. */
  renew(owner: string, leaseUntilMs: number, enqueuing: readonly string[]): Promise<void>;
  /** claimed → sending (attempts + 1), recorded before the request; false when the claim was lost. */
  startSending(job: RecipientJob, owner: string, nowMs: number): Promise<boolean>;
  /** sending → sent with the activity id, in one transaction (also over an UNKNOWN_OUTCOME the owner left). */
  recordSent(
    job: RecipientJob,
    owner: string,
    activityId: string,
    conversationId: string,
    nowMs: number,
  ): Promise<boolean>;
  /** sending → queued, due at `nextAttemptAt`; a throttle does not count as an attempt. */
  recordRetry(
    job: RecipientJob,
    owner: string,
    nextAttemptAt: number,
    reason: string,
    throttled: boolean,
    nowMs: number,
  ): Promise<boolean>;
  /** claimed → queued, due at `untilMs`, nothing sent: the recipient is outside their working hours. */
  holdForWorkingHours(job: RecipientJob, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** sending → failed with a reason. */
  recordFailed(job: RecipientJob, owner: string, reason: string, nowMs: number): Promise<boolean>;
  /** The owner's claimed jobs back to queued (shutdown). */
  release(owner: string, nowMs: number): Promise<number>;
  counts(id: string): Promise<RecipientCounts>;
  /** Sends recorded since `sinceMs`. */
  sentSince(id: string, sinceMs: number): Promise<number>;
  /** How many reminders (of any campaign) each of `userIds` got since `sinceMs`; people with none are left out. */
  sentCounts(userIds: readonly string[], sinceMs: number): Promise<Map<string, number>>;
  /**
   * When each of `userIds` last got a refresh reminder, or has one waiting (its campaign's send time); people with
   * none are left out.
   */
  lastRefreshReminders(userIds: readonly string[]): Promise<Map<string, Date>>;
  /** Report rows after `afterUserId`, by user id. */
  outcomes(id: string, afterUserId: string, limit: number): Promise<RecipientOutcome[]>;
  /** The earliest due time of a queued job of an active campaign, or null. */
  nextDue(): Promise<number | null>;
}
