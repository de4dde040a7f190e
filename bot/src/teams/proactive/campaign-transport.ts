/**
 * CampaignTransport through the outbox: a recipient's chat (opened when Headshot never talked to
 * them), the reminder card, and the admin's progress card. Outbox outcomes become delivery
 * outcomes: sent is delivered; 429 throttled; 412/502/503/504 or never sent busy; blocked, not installed
 * (after one reinstall) and too large are failed with that reason; other answers failed; no answer after the
 * request left unknown (never retried, see docs/broadcast.md).
 */
import type {
  CampaignMessage,
  CampaignProgress,
  CampaignTransport,
  DeliveryOutcome,
  PaceGate,
  ProgressCardRef,
  RecipientJob,
} from '../../core/broadcast/broadcast-types';
import type { SendOutcome, TeamsOutbox } from '../../outbox/teams-outbox';
import { progressCard } from '../cards/broadcast-progress-card';
import { reminderCard } from '../cards/reminder-card';

/** A delivery outcome of the broadcast core, from an outbox outcome. */
function deliveryOutcome(outcome: SendOutcome): DeliveryOutcome {
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'delivered', activityId: outcome.activityId, conversationId: outcome.conversationId };
    case 'unknown':
      return { kind: 'unknown', reason: outcome.detail };
    case 'not_sent':
      if (outcome.reason === 'throttled') return { kind: 'throttled', retryAfterSeconds: outcome.retryAfterSeconds };
      if (outcome.reason === 'busy')
        return { kind: 'busy', status: outcome.status ?? 0, retryAfterSeconds: outcome.retryAfterSeconds };
      // The report says why in a stable word: the person blocked the bot, does not have the app (and it could
      // not be installed again), or the card is over Teams' message size.
      if (outcome.reason === 'blocked' || outcome.reason === 'not_installed' || outcome.reason === 'too_large')
        return { kind: 'failed', reason: `${outcome.reason} (${outcome.detail})` };
      return { kind: 'failed', reason: outcome.detail };
  }
}

/** Sends campaign cards and progress cards. */
export class TeamsCampaignTransport implements CampaignTransport {
  constructor(private readonly outbox: TeamsOutbox) {}

  async deliver(job: RecipientJob, message: CampaignMessage, gate: PaceGate): Promise<DeliveryOutcome> {
    const card = reminderCard(job.locale, message);
    return deliveryOutcome(await this.outbox.sendTo(job.userId, card, { locale: job.locale }, gate));
  }

  async updateProgress(card: ProgressCardRef, progress: CampaignProgress, gate: PaceGate): Promise<DeliveryOutcome> {
    return deliveryOutcome(
      await this.outbox.update(card.reference, card.activityId, progressCard(card.locale, progress), gate),
    );
  }
}
