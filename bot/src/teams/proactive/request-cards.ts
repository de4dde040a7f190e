/**
 * RequestCards in Teams: every preview card a request was shown on is kept (request_cards), and turned into its
 * closed form in place once the request is over, through the outbox (the same connector update a click's reply
 * uses). A person who sent three photos thus has one live preview, never three with working buttons.
 */
import type { PhotoRequest, RequestCardStore, RequestCards, RequestOutcome } from '../../core/photo/request-ports';
import type { Logger } from '../../logger';
import type { TeamsOutbox } from '../../outbox/teams-outbox';
import { closedCardFor } from '../photo-replies';
import type { PreviewCardKeeper } from '../turn';

/** Keeps the preview cards of requests, and closes them when the request is over. */
export class TeamsRequestCards implements RequestCards, PreviewCardKeeper {
  constructor(
    private readonly store: RequestCardStore,
    private readonly outbox: TeamsOutbox,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** Cards whose click is being answered now: the answer shows the outcome, so close() leaves them alone. */
  private readonly answeringNow = new Set<string>();

  async answering<T>(activityId: string, work: () => Promise<T>): Promise<T> {
    this.answeringNow.add(activityId);
    try {
      return await work();
    } finally {
      this.answeringNow.delete(activityId);
    }
  }

  /** Keeps a preview card just sent (the serialised reference of its chat and the message's id). */
  async record(request: PhotoRequest, reference: string, activityId: string): Promise<void> {
    await this.store.add({ requestId: request.id, userId: request.userId, activityId, reference, sentAt: this.now() });
  }

  async close(request: PhotoRequest, outcome: RequestOutcome, preview?: Uint8Array | null): Promise<number> {
    const cards = await this.store.list(request.id);
    let showing = 0;
    for (const copy of cards) {
      if (copy.shows === outcome) {
        showing++;
        continue;
      }
      const sent = this.answeringNow.has(copy.activityId)
        ? ({ kind: 'sent' } as const)
        : await this.outbox.update(copy.reference, copy.activityId, closedCardFor(request, preview, outcome));
      if (sent.kind === 'sent') {
        await this.store.mark(request.id, copy.activityId, outcome);
        showing++;
      } else this.logger.warn({ outcome: sent.kind, detail: sent.detail }, 'a preview card could not be closed');
    }
    if (outcome === 'applied' && cards.length > 0) await this.store.forgetOthers(request.userId, request.id);
    return showing;
  }
}
