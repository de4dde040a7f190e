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
  Unreachable,
} from '../../core/approval/approval-ports';
import type { Clock } from '../../core/clock';
import type { StoredConversation } from '../../core/conversations/conversation-ports';
import type { Locale } from '../../core/locale';
import { resolveLocale } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { OpenOptions, SendOutcome, TeamsOutbox } from '../../outbox/teams-outbox';
import { approvalCardFor } from '../approval-replies';
import { appliedCard } from '../cards/applied-card';
import { messageCard } from '../cards/message-card';
import type { AdaptiveCard } from '../cards/types';
import { jpegDataUri } from '../photo-replies';

/** What the notifier needs. */
export interface TeamsApprovalNotifierDeps {
  outbox: TeamsOutbox;
  conversations: { get(userId: string): Promise<StoredConversation | null> };
  clock: Clock;
  logger: Logger;
}

/** The person's Teams id (a `29:` MRI) as the chat's reference holds it, for refresh.userIds. */
function teamsIdOf(conversation: StoredConversation): string | undefined {
  return (JSON.parse(conversation.reference) as { user?: { id?: string } }).user?.id;
}

/** Sends and updates approval cards in Teams. */
export class TeamsApprovalNotifier implements ApprovalNotifier {
  constructor(private readonly deps: TeamsApprovalNotifierDeps) {}

  async sendToApprover(
    view: ApprovalView,
    approver: Approver,
    tenantId: string,
  ): Promise<CardCopy | Unreachable | null> {
    void tenantId; // the outbox serves one tenant
    const { outcome, conversation } = await this.deps.outbox.deliver(
      approver.userId,
      (c) => approvalCardFor(view, c.locale, 'base', { extraUserIds: teamsIdOf(c) ? [teamsIdOf(c) as string] : [] }),
      await this.openOptions(approver.preferredLanguage, view.requesterId),
    );
    if (outcome.kind !== 'sent' || !conversation) {
      this.failed(outcome, conversation?.conversationId, 'approval card not sent');
      if (outcome.kind === 'not_sent' && outcome.reason === 'blocked') return { unreachable: 'blocked' };
      // Without the app and no way to install it (removed, or Headshot may not install it here): nobody will get it.
      if (outcome.kind === 'not_sent' && (outcome.reason === 'not_installed' || outcome.reason === 'no_conversation'))
        return { unreachable: 'not_installed' };
      return null;
    }
    return {
      requestId: view.requestId,
      userId: approver.userId,
      teamsUserId: teamsIdOf(conversation),
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
    const { outcome, conversation } = await this.deps.outbox.deliver(
      userId,
      (c) => noticeCard(notice, c.locale, userId === notice.view.requesterId),
      await this.openOptions(undefined, notice.view.requesterId),
    );
    if (outcome.kind !== 'sent') this.failed(outcome, conversation?.conversationId, 'approval notice not sent');
    return outcome.kind === 'sent';
  }

  /** How to open a chat with someone Headshot never talked to: in their language, in the requester's region. */
  private async openOptions(preferredLanguage: string | undefined, requesterId: string): Promise<OpenOptions> {
    return {
      locale: resolveLocale(preferredLanguage),
      hint: await this.deps.conversations.get(requesterId),
      teamsId: true,
    };
  }

  private failed(outcome: SendOutcome, conversationId: string | undefined, what: string): void {
    // Nobody to reach (no chat and no way to open one) is a state, not a failure.
    if (outcome.kind === 'sent' || (outcome.kind === 'not_sent' && outcome.reason === 'no_conversation')) return;
    this.deps.logger.warn({ detail: outcome.detail, conversationId }, what);
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
