/** Approval cards from the core's views, and sending a confirmed photo for approval from the chat. */
import { CardFactory, TurnContext } from 'botbuilder';
import type { ApprovalService } from '../core/approval/approval-service';
import type { ApprovalView } from '../core/approval/approval-ports';
import type { Locale } from '../core/locale';
import type { MessageParams } from '../i18n/i18n';
import type { ActivityUser } from './activity-user';
import { approvalCard, type ApprovalAudience } from './cards/approval-card';
import type { AdaptiveCard } from './cards/types';
import { jpegDataUri } from './photo-replies';

/** The approval card of a view for one audience, in `locale`; `extraUserIds` join refresh.userIds. */
export function approvalCardFor(
  view: ApprovalView,
  locale: Locale,
  audience: ApprovalAudience,
  options: { notice?: { key: string; params?: MessageParams }; extraUserIds?: string[] } = {},
): AdaptiveCard {
  const firstRole = view.approvers[0]?.role;
  return approvalCard(locale, {
    requestId: view.requestId,
    audience,
    state: view.state,
    requesterName: view.requesterName,
    approverNames: view.approvers.map((a) => a.displayName),
    escalatedNames: view.escalatedAt
      ? view.approvers.filter((a) => a.role !== firstRole).map((a) => a.displayName)
      : [],
    requestedAt: view.requestedAt.toISOString(),
    expiresAt: view.expiresAt.toISOString(),
    remindedAt: view.remindedAt?.toISOString(),
    escalatedAt: view.escalatedAt?.toISOString(),
    decidedByName: view.decidedByName,
    decidedAt: view.decidedAt?.toISOString(),
    reason: view.reason,
    errorCode: view.errorCode,
    warnings: view.warnings,
    oldPreviewDataUri: view.oldPreview ? jpegDataUri(view.oldPreview) : undefined,
    newPreviewDataUri: jpegDataUri(view.newPreview),
    canUndo: view.canUndo,
    refreshUserIds: [...view.teamsUserIds, ...(options.extraUserIds ?? [])],
    notice: options.notice,
  });
}

/**
 * After "Use this photo" sent the request to approval: the preview card the user clicked becomes the request's
 * approval card (the requester's copy, kept so that it is updated in place from then on). Returns that card for
 * the click's answer; without a clicked card it is sent as a new message.
 */
export async function approvalCardInPlace(
  context: TurnContext,
  user: ActivityUser,
  view: ApprovalView,
  approvals: ApprovalService,
  now: () => Date,
): Promise<AdaptiveCard> {
  const teamsUserId = context.activity.from?.id;
  const card = approvalCardFor(view, user.locale, 'base', { extraUserIds: teamsUserId ? [teamsUserId] : [] });
  const activityId =
    context.activity.replyToId ?? (await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] }))?.id;
  if (activityId) {
    const reference = JSON.stringify(TurnContext.getConversationReference(context.activity));
    await approvals.addCopy({
      requestId: view.requestId,
      userId: user.userId,
      teamsUserId,
      locale: user.locale,
      conversationId: context.activity.conversation.id,
      activityId,
      reference,
      sentAt: now(),
    });
  }
  return card;
}

/** The approval card as one participant sees it: approvers get the buttons, the requester the status. */
export function participantCard(
  view: ApprovalView,
  user: ActivityUser,
  notice?: { key: string; params?: MessageParams },
): AdaptiveCard {
  return approvalCardFor(view, user.locale, view.requesterId === user.userId ? 'requester' : 'approver', { notice });
}
