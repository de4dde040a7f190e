/**
 * ApprovalNotifier through the outbox: approval cards and notices in people's personal chats. For
 * someone Headshot has never talked to, the outbox installs the app and opens the chat, and asks
 * the connector for their Teams id (what refresh.userIds lists).
 */
import type {
  ApprovalNotice,
  ApprovalNotifier,
  ApprovalView,
  Approver,
  CardCopy,
} from '../../core/approval/approval-ports';
import type { Clock } from '../../core/clock';
import type { StoredConversation } from '../../core/conversations/conversation-ports';
import type { Locale } from '../../core/locale';
import { resolveLocale } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { TeamsOutbox } from '../../outbox/teams-outbox';
import { approvalCardFor } from '../approval-replies';
import { appliedCard } from '../cards/applied-card';
import { messageCard } from '../cards/message-card';
import type { AdaptiveCard } from '../cards/types';
import { jpegDataUri } from '../photo-replies';

/** What the notifier needs. */
export interface TeamsApprovalNotifierDeps {
  outbox: TeamsOutbox;
  conversations: { get(userId: string): StoredConversation | null };
  clock: Clock;
  logger: Logger;
}

/** Sends and updates approval cards in Teams. */
export class TeamsApprovalNotifier implements ApprovalNotifier {
  constructor(private readonly deps: TeamsApprovalNotifierDeps) {}

  async sendToApprover(view: ApprovalView, approver: Approver, tenantId: string): Promise<CardCopy | null> {
    void tenantId; // the outbox serves one tenant
    const conversation = await this.conversationOf(approver.userId, approver.preferredLanguage, view.requesterId);
    if (!conversation) return null;
    const teamsUserId = (JSON.parse(conversation.reference) as { user?: { id?: string } }).user?.id;
    const card = approvalCardFor(view, conversation.locale, 'base', { extraUserIds: teamsUserId ? [teamsUserId] : [] });
    const outcome = await this.deps.outbox.send(conversation, card);
    if (outcome.kind !== 'sent') {
      this.failed(outcome.detail, conversation.conversationId, 'proactive approval message failed');
      return null;
    }
    return {
      requestId: view.requestId,
      userId: approver.userId,
      teamsUserId,
      locale: conversation.locale,
      conversationId: conversation.conversationId,
      activityId: outcome.activityId,
      reference: conversation.reference,
      sentAt: this.deps.clock.now(),
    };
  }

  async updateCopies(view: ApprovalView, copies: CardCopy[]): Promise<{ updated: number; failed: number }> {
    let updated = 0;
    let failed = 0;
    for (const copy of copies) {
      const outcome = await this.deps.outbox.update(
        copy.reference,
        copy.activityId,
        approvalCardFor(view, copy.locale, 'base'),
      );
      if (outcome.kind === 'sent') updated++;
      else {
        failed++;
        this.deps.logger.warn(
          { detail: outcome.detail, requestId: view.requestId, conversationId: copy.conversationId },
          'approval card update failed',
        );
      }
    }
    return { updated, failed };
  }

  async tell(userId: string, tenantId: string, notice: ApprovalNotice): Promise<boolean> {
    void tenantId;
    const conversation = await this.conversationOf(userId, undefined, notice.view.requesterId);
    if (!conversation) return false;
    const outcome = await this.deps.outbox.send(
      conversation,
      noticeCard(notice, conversation.locale, userId === notice.view.requesterId),
    );
    if (outcome.kind !== 'sent')
      this.failed(outcome.detail, conversation.conversationId, 'proactive approval message failed');
    return outcome.kind === 'sent';
  }

  /** The user's chat: the stored one, or one opened now in the requester's region; null when they cannot be reached. */
  private async conversationOf(
    userId: string,
    preferredLanguage: string | undefined,
    requesterId: string,
  ): Promise<StoredConversation | null> {
    const hint = this.deps.conversations.get(requesterId);
    const opened = await this.deps.outbox.conversationWith(userId, {
      locale: resolveLocale(preferredLanguage),
      hint,
      teamsId: true,
    });
    if (!('kind' in opened)) return opened;
    if (opened.reason !== 'no_conversation')
      this.failed(opened.detail, undefined, 'could not open a chat with the user');
    return null;
  }

  private failed(detail: string, conversationId: string | undefined, what: string): void {
    this.deps.logger.warn({ detail, conversationId }, what);
  }
}

/** The card of a notice, in the reader's language. */
function noticeCard(notice: ApprovalNotice, locale: Locale, toRequester: boolean): AdaptiveCard {
  const { view } = notice;
  const startAgain = { verb: 'photo.start', titleKey: 'cards.approval.start_again' } as const;
  switch (notice.kind) {
    case 'escalated':
      return messageCard(locale, {
        kind: 'info',
        messageKey: toRequester ? 'approval.escalated_requester' : 'approval.escalated_approver',
        params: { names: notice.newApprovers.join(', '), requester: view.requesterName },
      });
    case 'applied':
      return appliedCard(locale, {
        previewDataUri: jpegDataUri(view.newPreview),
        approvedByName: view.decidedByName,
        undoRequestId: view.canUndo ? view.requestId : undefined,
      });
    case 'rejected':
      return messageCard(locale, {
        kind: 'warning',
        messageKey: 'approval.rejected',
        params: { name: view.decidedByName ?? '', reason: view.reason ?? '' },
        retry: startAgain,
      });
    case 'expired':
      return messageCard(locale, { kind: 'info', messageKey: 'approval.expired', retry: startAgain });
    case 'failed':
      return messageCard(locale, {
        kind: 'error',
        titleKey: 'approval.failed',
        messageKey: view.errorCode ? `errors.${view.errorCode}` : 'errors.internal',
        retry: startAgain,
      });
  }
}
