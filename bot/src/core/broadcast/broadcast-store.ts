/** The store of campaigns, recipient jobs and the shared pace (SQLite in store/, one file shared by every instance). */
import type { Locale } from '../ports';
import type { Campaign, ProgressCardRef, RecipientJob, RecipientOutcome } from './broadcast-types';

/** Counts of one campaign's recipients. */
export interface RecipientCounts {
  total: number;
  sent: number;
  failed: number;
  unknown: number;
  waiting: number;
  cancelled: number;
}

/** A recipient to add. */
export interface NewRecipient {
  userId: string;
  upn: string;
  displayName: string;
  locale: Locale;
}

/** Reason recorded when a send may have happened but its answer was never recorded. */
export const UNKNOWN_OUTCOME = 'unknown_outcome';

/** Campaigns and their recipient jobs; every state change is a compare-and-set. */
export interface BroadcastStore {
  /** Inserts a campaign; false when one with the same id exists (a double click). */
  createCampaign(campaign: Campaign): boolean;
  getCampaign(id: string): Campaign | null;
  /** Newest first. */
  listCampaigns(limit: number): Campaign[];
  /** Campaigns whose audience should be enqueued now: scheduled and due, or enqueuing with a dead owner. */
  dueForEnqueue(nowMs: number, sendBefore: Date): Campaign[];
  /** Takes the enqueue step (scheduled → enqueuing, or a dead owner's enqueuing); false when someone else has it. */
  claimEnqueue(id: string, owner: string, leaseUntilMs: number, nowMs: number, sendBefore: Date): boolean;
  /** Adds recipients (a unique key per campaign and user: adding twice changes nothing); false when no longer the owner. */
  addRecipients(
    id: string,
    owner: string,
    recipients: readonly NewRecipient[],
    leaseUntilMs: number,
    nowMs: number,
  ): boolean;
  /** enqueuing → sending. */
  finishEnqueue(id: string, owner: string, nowMs: number): boolean;
  /**
   * Claims up to `limit` due jobs for `owner` (queued → claimed, with a lease), first returning dead owners' work:
   * expired `claimed` jobs go back to queued (never sent); expired `sending` jobs become failed with UNKNOWN_OUTCOME.
   */
  claim(owner: string, limit: number, leaseUntilMs: number, nowMs: number): RecipientJob[];
  /** Extends the leases of the owner's claimed and sending jobs and enqueue steps. */
  renew(owner: string, leaseUntilMs: number): void;
  /** claimed → sending (attempts + 1), recorded before the request; false when the claim was lost. */
  startSending(job: RecipientJob, owner: string, nowMs: number): boolean;
  /** sending → sent with the activity id, in one transaction (also over an UNKNOWN_OUTCOME the owner left). */
  recordSent(job: RecipientJob, owner: string, activityId: string, conversationId: string, nowMs: number): boolean;
  /** sending → queued, due at `nextAttemptAt`; a throttle does not count as an attempt. */
  recordRetry(
    job: RecipientJob,
    owner: string,
    nextAttemptAt: number,
    reason: string,
    throttled: boolean,
    nowMs: number,
  ): boolean;
  /** sending → failed with a reason. */
  recordFailed(job: RecipientJob, owner: string, reason: string, nowMs: number): boolean;
  /** The owner's claimed jobs back to queued (shutdown). */
  release(owner: string, nowMs: number): number;
  /** Counts one more 429 for the campaign. */
  noteThrottled(campaignId: string): void;
  /** sending → done when nothing waits; true when it ended now. */
  finishIfDone(id: string, nowMs: number): boolean;
  /** Ends a campaign: waiting jobs become cancelled (jobs being sent finish). False when it had ended already. */
  cancel(id: string, by: string, nowMs: number): boolean;
  counts(id: string): RecipientCounts;
  /** Sends recorded since `sinceMs`. */
  sentSince(id: string, sinceMs: number): number;
  /** Report rows after `afterUserId`, by user id. */
  outcomes(id: string, afterUserId: string, limit: number): RecipientOutcome[];
  /** The earliest due time of a queued job of an active campaign, or null. */
  nextDue(): number | null;
  setProgressCard(id: string, card: ProgressCardRef): void;
  progressCard(id: string): (ProgressCardRef & { synced: string | null; final: boolean }) | null;
  /** Campaigns whose card may lag behind. */
  campaignsWithOpenCards(): string[];
  markProgressSynced(id: string, key: string, final: boolean): void;
  /**
   * The shared pace: reserves the next send slot (epoch ms) for one request, `intervalMs` after the previous one
   * and not before a pause ends. Every instance on the store draws from the same slots.
   */
  acquireSlot(intervalMs: number, nowMs: number): number;
  /** After a 429: nobody sends before `untilMs`; the slots after it resume at the pace. */
  pause(untilMs: number): void;
  pausedUntil(): number;
}
