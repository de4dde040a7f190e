/** PhotoNotifier through the outbox: a photo request's preview and outcome in the user's chat with Headshot. */
import type { PhotoNotifier, PhotoRequest } from '../../core/photo/request-ports';
import { AppError } from '../../core/errors';
import type { Logger } from '../../logger';
import type { SendOutcome, TeamsOutbox } from '../../outbox/teams-outbox';
import type { AdaptiveCard } from '../cards/types';
import { errorCard } from '../error-card';
import { appliedCardFor, closedCardFor, previewCardFor } from '../photo-replies';
import type { TeamsRequestCards } from './request-cards';

/** Tells a user about their photo request in the chat they have with Headshot (never opens one). */
export class TeamsPhotoNotifier implements PhotoNotifier {
  constructor(
    private readonly outbox: TeamsOutbox,
    private readonly logger: Logger,
    /** Keeps each preview card sent, so it closes in place when the request is over. */
    private readonly cards?: TeamsRequestCards,
  ) {}

  async previewReady(request: PhotoRequest, preview: Uint8Array): Promise<boolean> {
    const { outcome, conversation } = await this.outbox.deliver(request.userId, () => previewCardFor(request, preview));
    if (outcome.kind === 'sent' && conversation && this.cards)
      await this.cards.record(request, conversation.reference, outcome.activityId);
    return this.reported(outcome);
  }

  async requestEnded(
    request: PhotoRequest,
    preview: Uint8Array | null,
    error?: { code: string; params: Record<string, string | number> },
  ): Promise<boolean> {
    if (request.state === 'applied' && preview) return this.send(request.userId, appliedCardFor(request, preview));
    if (error) {
      const e = new AppError(error.code as AppError['code'], undefined, { params: error.params });
      return this.send(request.userId, errorCard(request.locale, e));
    }
    return this.send(request.userId, closedCardFor(request, preview));
  }

  private async send(userId: string, card: AdaptiveCard): Promise<boolean> {
    return this.reported(await this.outbox.sendTo(userId, card));
  }

  /** True when sent; a failure other than "no chat yet" is logged. */
  private reported(outcome: SendOutcome): boolean {
    if (outcome.kind === 'sent') return true;
    if (!(outcome.kind === 'not_sent' && outcome.reason === 'no_conversation'))
      this.logger.warn({ outcome: outcome.kind, detail: outcome.detail }, 'proactive send failed');
    return false;
  }
}
