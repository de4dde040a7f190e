/** Campaigns and their enqueue step; every change is a compare-and-set. */
import type { WorkingHours } from './quiet-hours';
import type { Locale } from '../locale';
import type { Campaign } from './broadcast-types';

/** A recipient to add. */
export interface NewRecipient {
  userId: string;
  upn: string;
  displayName: string;
  locale: Locale;
  department?: string;
  /** Their working hours, when their mailbox settings give a time zone (quiet-hours.ts). */
  workingHours?: WorkingHours;
}

/** Campaigns and their enqueue step; every change is a compare-and-set. */
export interface CampaignStore {
  /** Inserts a campaign; false when one with the same id exists (a double click). */
  createCampaign(campaign: Campaign): Promise<boolean>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** Newest first. */
  listCampaigns(limit: number): Promise<Campaign[]>;
  /** Campaigns whose audience should be enqueued now: scheduled and due, or enqueuing with a dead owner. */
  dueForEnqueue(nowMs: number, sendBefore: Date): Promise<Campaign[]>;
  /** Takes the enqueue step (scheduled → enqueuing, or a dead owner's enqueuing); false when someone else has it. */
  claimEnqueue(id: string, owner: string, leaseUntilMs: number, nowMs: number, sendBefore: Date): Promise<boolean>;
  /** Adds recipients (a unique key per campaign and user: adding twice changes nothing); false when no longer the owner. */
  addRecipients(
    id: string,
    owner: string,
    recipients: readonly NewRecipient[],
    leaseUntilMs: number,
    nowMs: number,
  ): Promise<boolean>;
  /** enqueuing → sending. */
  finishEnqueue(id: string, owner: string, nowMs: number): Promise<boolean>;
  /** Counts one more 429 for the campaign. */
  noteThrottled(campaignId: string): Promise<void>;
  /** sending → done when nothing waits; true when it ended now. */
  finishIfDone(id: string, nowMs: number): Promise<boolean>;
  /** Ends a campaign: waiting jobs become cancelled (jobs being sent finish). False when it had ended already. */
  cancel(id: string, by: string, nowMs: number): Promise<boolean>;
}
