/**
 * ApprovalNotifier on the Bot Framework adapter: approval cards and notices in people's
 * personal chats, proactively. For someone Headshot has never talked to, it installs the
 * app for them through Graph, opens the installation's chat, asks the connector who they
 * are in Teams (their user id, for refresh.userIds) and keeps that conversation.
 */
import { CardFactory, TeamsInfo, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type {
  ApprovalNotice,
  ApprovalNotifier,
  ApprovalView,
  Approver,
  CardCopy,
} from '../core/approval/approval-ports';
import type { Clock, ConversationStore, Locale, StoredConversation } from '../core/ports';
import { AppError } from '../core/errors';
import { resolveLocale } from '../i18n/i18n';
import type { Logger } from '../logger';
import { approvalCardFor } from './approval-replies';
import { appliedCard } from './cards/applied-card';
import { messageCard } from './cards/message-card';
import type { AdaptiveCard } from './cards/types';
import { jpegDataUri } from './photo-replies';

/** Opens a bot chat with a user who has none (Graph: install the app, get the installation's chat). */
export interface ChatOpener {
  /** The chat id of the bot's 1:1 chat with the user, installing the app for them when needed. */
  chatWith(userId: string): Promise<string>;
}

/** What the notifier needs. */
export interface TeamsApprovalNotifierDeps {
  adapter: CloudAdapter;
  botAppId: string;
  conversations: ConversationStore;
  /** Absent: only people with a stored conversation are reached. */
  chats?: ChatOpener;
  /**
   * The Bot Connector for chats Headshot opens itself: in m365 mode the requester's service URL (Teams serves a
   * tenant from one region); in local mode the local tenant, which also holds the chats Graph created.
   */
  connectorFor: (requester: StoredConversation | null) => string | undefined;
  clock: Clock;
  logger: Logger;
}

/** Sends and updates approval cards in Teams. */
export class TeamsApprovalNotifier implements ApprovalNotifier {
  constructor(private readonly deps: TeamsApprovalNotifierDeps) {}

  async sendToApprover(view: ApprovalView, approver: Approver, tenantId: string): Promise<CardCopy | null> {
    const conversation = await this.conversationOf(
      approver.userId,
      tenantId,
      approver.preferredLanguage,
      view.requesterId,
    );
    if (!conversation) return null;
    const reference = JSON.parse(conversation.reference) as Partial<ConversationReference>;
    const teamsUserId = reference.user?.id;
    const card = approvalCardFor(view, conversation.locale, 'base', { extraUserIds: teamsUserId ? [teamsUserId] : [] });
    const activityId = await this.send(conversation, card);
    if (!activityId) return null;
    return {
      requestId: view.requestId,
      userId: approver.userId,
      teamsUserId,
      locale: conversation.locale,
      conversationId: conversation.conversationId,
      activityId,
      reference: conversation.reference,
      sentAt: this.deps.clock.now(),
    };
  }

  async updateCopies(view: ApprovalView, copies: CardCopy[]): Promise<{ updated: number; failed: number }> {
    let updated = 0;
    let failed = 0;
    for (const copy of copies) {
      const card = approvalCardFor(view, copy.locale, 'base');
      try {
        await this.inConversation(JSON.parse(copy.reference) as Partial<ConversationReference>, async (context) => {
          await context.updateActivity({
            id: copy.activityId,
            type: 'message',
            attachments: [CardFactory.adaptiveCard(card)],
          });
        });
        updated++;
      } catch (err) {
        failed++;
        this.deps.logger.warn(
          { err: { message: (err as Error).message }, requestId: view.requestId, conversationId: copy.conversationId },
          'approval card update failed',
        );
      }
    }
    return { updated, failed };
  }

  async tell(userId: string, tenantId: string, notice: ApprovalNotice): Promise<boolean> {
    const conversation = await this.conversationOf(userId, tenantId, undefined, notice.view.requesterId);
    if (!conversation) return false;
    return (
      (await this.send(conversation, noticeCard(notice, conversation.locale, userId === notice.view.requesterId))) !==
      undefined
    );
  }

  /** The user's chat: the stored one, or one opened now (and stored); null when they cannot be reached. */
  private async conversationOf(
    userId: string,
    tenantId: string,
    preferredLanguage: string | undefined,
    requesterId: string,
  ): Promise<StoredConversation | null> {
    const stored = this.deps.conversations.get(userId);
    if (stored) return stored;
    const requester = this.deps.conversations.get(requesterId);
    const serviceUrl = this.deps.connectorFor(requester);
    if (!this.deps.chats || !serviceUrl) return null;
    try {
      const chatId = await this.deps.chats.chatWith(userId);
      const template = requester ? (JSON.parse(requester.reference) as Partial<ConversationReference>) : {};
      const reference: Partial<ConversationReference> = {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: chatId, conversationType: 'personal', tenantId, isGroup: false, name: '' },
        bot: template.bot ?? { id: `28:${this.deps.botAppId}`, name: 'Headshot' },
        user: { id: userId, name: '', aadObjectId: userId },
      };
      // The Teams user id (an MRI, not the Entra object id) is what refresh.userIds lists.
      await this.inConversation(reference, async (context) => {
        const member = await TeamsInfo.getMember(context, userId);
        reference.user = { id: member.id, name: member.name ?? '', aadObjectId: userId };
      });
      const conversation: StoredConversation = {
        userId,
        tenantId,
        conversationId: chatId,
        serviceUrl,
        locale: resolveLocale(preferredLanguage),
        reference: JSON.stringify(reference),
        updatedAt: this.deps.clock.now(),
      };
      this.deps.conversations.save(conversation);
      return conversation;
    } catch (err) {
      const e = err instanceof AppError ? err.code : (err as Error).message;
      this.deps.logger.warn({ err: { message: e }, userId }, 'could not open a chat with the user');
      return null;
    }
  }

  private async send(conversation: StoredConversation, card: AdaptiveCard): Promise<string | undefined> {
    let id: string | undefined;
    try {
      await this.inConversation(
        JSON.parse(conversation.reference) as Partial<ConversationReference>,
        async (context) => {
          id = (await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] }))?.id;
        },
      );
    } catch (err) {
      this.deps.logger.warn(
        { err: { message: (err as Error).message }, conversationId: conversation.conversationId },
        'proactive approval message failed',
      );
      return undefined;
    }
    return id;
  }

  /**
   * Runs `work` in a proactive turn and rethrows its failure. (A failure inside the turn would otherwise go to the
   * adapter's onTurnError, which answers with an error card: not what an approver should get for a lost update.)
   */
  private async inConversation(
    reference: Partial<ConversationReference>,
    work: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: { err: unknown } | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (err) {
        failure = { err };
      }
    });
    if (failure) throw failure.err;
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
