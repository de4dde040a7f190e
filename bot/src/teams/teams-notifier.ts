/** Proactive messages to a user's personal chat, through the stored conversation reference. */
import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConversationStore, PhotoNotifier, PhotoRequest } from '../core/ports';
import { AppError } from '../core/errors';
import type { Logger } from '../logger';
import type { AdaptiveCard } from './cards/types';
import { errorCard } from './error-card';
import { appliedCardFor, closedCardFor, previewCardFor } from './photo-replies';

/** PhotoNotifier on the Bot Framework adapter. */
export class TeamsNotifier implements PhotoNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationStore,
    private readonly logger: Logger,
  ) {}

  async previewReady(request: PhotoRequest, preview: Uint8Array): Promise<boolean> {
    return this.send(request.userId, [previewCardFor(request, preview)]);
  }

  async requestEnded(
    request: PhotoRequest,
    preview: Uint8Array | null,
    error?: { code: string; params: Record<string, string | number> },
  ): Promise<boolean> {
    if (request.state === 'applied' && preview) return this.send(request.userId, [appliedCardFor(request, preview)]);
    if (error) {
      const e = new AppError(error.code as AppError['code'], undefined, { params: error.params });
      return this.send(request.userId, [errorCard(request.locale, e)]);
    }
    return this.send(request.userId, [closedCardFor(request, preview)]);
  }

  private async send(userId: string, cards: AdaptiveCard[]): Promise<boolean> {
    const conversation = this.conversations.get(userId);
    if (!conversation) return false;
    const reference = JSON.parse(conversation.reference) as Partial<ConversationReference>;
    // Failures are caught inside the turn: botbuilder would hand them to onTurnError, which
    // shows the user an error card and does not re-throw, so the caller would see success.
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
        try {
          for (const card of cards) await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (failure === undefined) return true;
    this.logger.warn(
      { err: { message: (failure as Error).message }, conversationId: conversation.conversationId },
      'proactive send failed',
    );
    return false;
  }
}
