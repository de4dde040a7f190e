/** The broadcast tables' rows, and the core's types made from them. */
import type { Campaign, CampaignState, RecipientJob, RecipientState } from '../../core/broadcast/broadcast-types';
import type { Locale } from '../../core/locale';
import type { WorkingHours } from '../../core/broadcast/quiet-hours';

export interface CampaignRow {
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

export interface RecipientRow {
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
  working_hours: string | null;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
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

export const toJob = (r: RecipientRow): RecipientJob => ({
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
  workingHours: r.working_hours ? (JSON.parse(r.working_hours) as WorkingHours) : undefined,
});
