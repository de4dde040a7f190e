/**
 * Broadcast campaigns (docs/broadcast.md): types and ports. A campaign is one message to an
 * audience; each recipient is a durable job with a closed set of states. No SDK type here.
 *
 *   queued ─claim─► claimed ─► sending ─► sent (end)
 *     ▲               │           ├─► failed (end: permanent error, out of tries, or unknown outcome)
 *     └───────────────┴───────────┘ (throttled / busy: back to queued with a due time; a claim whose
 *                                    lease ran out goes back to queued: it was never sent)
 *   queued | claimed ─cancel─► cancelled (end)
 */
import type { Locale } from '../locale';
import type { FunnelCounts } from './funnel';
import type { CoverageCategory, CoverageUser } from '../coverage/coverage-types';
import type { ReminderText } from '../settings/tenant-settings';
import type { WorkingHours } from './quiet-hours';

/**
 * What recipients read: the reminder, or an admin's own text (shown in every language as written).
 * A reminder's `texts` are the tenant's own words for it per language (tenant settings); they are added
 * when each card is sent (withReminderTexts) and never stored with the campaign.
 */
export type CampaignMessage =
  | { kind: 'reminder'; texts?: Partial<Record<Locale, ReminderText>> }
  | { kind: 'custom'; text: string }
  /** "Time for a new photo?" (refresh-reminders.ts): for people whose photo is old. */
  | { kind: 'refresh' };

/** Who gets it. Guests and disabled accounts are left out unless asked for. */
export interface CampaignAudience {
  kind: 'category' | 'group' | 'everyone' | 'followup' | 'refresh';
  /** kind `category`: from the newest finished coverage scan. */
  category?: CoverageCategory;
  /** kind `group`: direct members. */
  groupId?: string;
  /** kind `followup`: the people this campaign reached who have not sent a photo since (follow-ups.ts). */
  campaignId?: string;
  /** kind `refresh`: people whose photo is older than this many months (refresh-reminders.ts). */
  olderThanMonths?: number;
  includeGuests: boolean;
  includeDisabled: boolean;
}

/** Whether a member of the audience's source gets the reminder (guests and disabled accounts only when asked for). */
export function reaches(audience: CampaignAudience, member: AudienceMember): boolean {
  return (audience.includeGuests || member.userType !== 'Guest') && (audience.includeDisabled || member.accountEnabled);
}

/** People's working hours from their mailbox settings, for quiet hours (quiet-hours.ts). */
export interface WorkingHoursReader {
  /**
   * By user id: their working hours, or null when their settings give no time zone (or they have no mailbox).
   * A person whose settings could not be read is left out of the map: nothing holds their reminder.
   */
  read(userIds: readonly string[]): Promise<Map<string, WorkingHours | null>>;
}

/** A campaign's lifecycle. End states: done, cancelled. */
export type CampaignState = 'scheduled' | 'enqueuing' | 'sending' | 'done' | 'cancelled';

/** A recipient job's state (see the machine above). */
export type RecipientState = 'queued' | 'claimed' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** A campaign as stored. */
export interface Campaign {
  id: string;
  createdBy: string;
  createdAt: Date;
  message: CampaignMessage;
  audience: CampaignAudience;
  sendAt: Date;
  state: CampaignState;
  /** Recipients added so far. */
  enqueued: number;
  startedAt?: Date;
  finishedAt?: Date;
  cancelledBy?: string;
  /** 429s received while sending it. */
  throttled: number;
}

/** Where the admin's progress card is. */
export interface ProgressCardRef {
  reference: string;
  activityId: string;
  locale: Locale;
  /** The admin's chat: Teams limits updates per conversation, whichever campaign or instance sends them. */
  conversationId: string;
}

/** One person of an audience. */
export interface AudienceMember {
  userId: string;
  upn: string;
  displayName: string;
  /** BCP 47 from the directory; the card's language when there is no stored chat. */
  preferredLanguage?: string;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  /** Graph `department`, when the directory has one: the campaign's funnel is also counted per department. */
  department?: string;
}

/** A directory user (as the coverage scan reads them) as an audience member. */
export function audienceMemberOf(u: CoverageUser): AudienceMember {
  return {
    userId: u.id,
    upn: u.userPrincipalName,
    displayName: u.displayName,
    preferredLanguage: u.preferredLanguage,
    userType: u.userType,
    accountEnabled: u.accountEnabled,
    department: u.department,
  };
}

/** A recipient job as stored. */
export interface RecipientJob {
  campaignId: string;
  userId: string;
  upn: string;
  displayName: string;
  locale: Locale;
  state: RecipientState;
  attempts: number;
  throttles: number;
  nextAttemptAt: number;
  activityId?: string;
  conversationId?: string;
  reason?: string;
  sentAt?: Date;
  /** When the person works (quiet-hours.ts): the reminder waits for it. */
  workingHours?: WorkingHours;
}

/**
 * The outcome of one delivery attempt, a closed union (Company Communicator's SendMessageResult):
 * `delivered`; `throttled` (429, with the Retry-After); `busy` (412/502/503/504: retry with backoff);
 * `failed` (permanent: never tried again); `unknown` (the request may have reached Teams but no answer came).
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; activityId: string; conversationId: string }
  | { kind: 'throttled'; retryAfterSeconds?: number }
  | { kind: 'busy'; status: number; retryAfterSeconds?: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'unknown'; reason: string };

/**
 * Waits for the shared send pace before every request to the Bot Connector. `message` marks the request
 * that carries the recipient's message: the job is recorded as `sending` just before it.
 */
export type PaceGate = (request: 'message' | 'other') => Promise<void>;

/** Sends campaign messages through Teams (the edge renders the card). */
export interface CampaignTransport {
  /**
   * Delivers the campaign's card to one recipient: in their stored chat, or, for someone Headshot never
   * talked to, installs the app for them (Graph) and creates the conversation first. Calls `gate` before
   * every Bot Connector request. Never throws: failures are outcomes.
   */
  deliver(job: RecipientJob, message: CampaignMessage, gate: PaceGate): Promise<DeliveryOutcome>;
  /** Updates the admin's progress card in place. */
  updateProgress(card: ProgressCardRef, progress: CampaignProgress, gate: PaceGate): Promise<DeliveryOutcome>;
}

/** Streams an audience, a page at a time (never everyone in memory). */
export interface AudienceSource {
  /** Pages of members for the audience. Throws AppError (broadcast.no_coverage) when a category has no scan. */
  pages(audience: CampaignAudience): AsyncIterable<AudienceMember[]>;
}

/**
 * The campaign's progress: what the admin's card shows and what the tab will serve as JSON
 * (GET /api/broadcast/campaigns/{id}, a later issue). Stable field names.
 */
export interface CampaignProgress {
  id: string;
  state: CampaignState;
  createdBy: string;
  createdAt: string;
  sendAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  message: CampaignMessage;
  audience: CampaignAudience;
  /** Recipients enqueued so far (the audience size once enqueuing is over). */
  total: number;
  sent: number;
  failed: number;
  /** Of `failed`: the send may have happened but no answer was recorded (see docs/broadcast.md). */
  unknown: number;
  /** queued + claimed + sending. */
  waiting: number;
  /** Of `waiting`: held until the recipient's working hours begin (quiet-hours.ts). */
  outsideWorkingHours: number;
  cancelled: number;
  /** Sends per second over the last 10 seconds. */
  ratePerSecond: number;
  /** At the current rate (or the configured one); null when nothing is waiting. */
  secondsLeft: number | null;
  /** 429s received. */
  throttled: number;
  /**
   * What recipients did after the reminder (funnel.ts), once sending is over; null while the campaign is
   * scheduled or sending (counting it then would slow the sender for numbers that are still moving).
   */
  funnel: FunnelSummary | null;
}

/** A campaign's funnel in all, and the coverage scan its "visible" step is from. */
export type FunnelSummary = FunnelCounts & {
  /** When that scan started (ISO), or null when there has been none. */
  visibleAsOf: string | null;
};

/** One line of the final report. */
export interface RecipientOutcome {
  userId: string;
  upn: string;
  displayName: string;
  locale: Locale;
  state: RecipientState;
  attempts: number;
  reason: string | null;
  sentAt: string | null;
  activityId: string | null;
}
