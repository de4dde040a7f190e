/** The photo verbs: start, the editor, the preview card's buttons, and undo. */
import { ActivityTypes, type TaskModuleTaskInfo } from 'botbuilder';
import { toAppError } from '../../core/errors';
import { submitPhoto } from '../../core/photo/submit-photo';
import { t } from '../../i18n/i18n';
import { participantCard, showSubmittedForApproval } from '../approval-replies';
import { messageCard } from '../cards/message-card';
import type { AdaptiveCard } from '../cards/types';
import { errorCard } from '../error-card';
import { sendHowTo } from '../how-to';
import { appliedCardFor, closedCardFor, replaceClickedCard } from '../photo-replies';
import { sendCard, type Turn } from '../turn';
import type { ApprovalView } from '../../core/approval/approval-ports';
import type { PhotoRequest } from '../../core/photo/request-ports';

type RequestTurn = Turn<{ requestId: string }>;
type OptionalRequestTurn = Turn<{ requestId?: string }>;

/** "Update my photo" from a card: how to send one. */
export async function start(turn: Turn): Promise<void> {
  await sendHowTo(turn);
}

/**
 * "Update my photo" on an approval notice (Action.Execute): how to send one, and the card stays
 * what it was (the request's approval card, or a note).
 */
export async function startFromCard(turn: OptionalRequestTurn): Promise<AdaptiveCard> {
  const { user, data, deps } = turn;
  await sendHowTo(turn);
  if (data.requestId && deps.approvals)
    return participantCard((await deps.approvals.viewFor(data.requestId, user.userId)).view, user);
  return messageCard(user.locale, { kind: 'info', messageKey: 'approval.start_again' });
}

/** "Open the editor" where Teams opens dialogs (task/fetch): the tab's My photo page in a dialog. */
export async function editorDialog({ context, user, deps }: Turn): Promise<TaskModuleTaskInfo> {
  const { dialogUrl } = await deps.editorLinks(user, context.activity.serviceUrl);
  return {
    title: t(user.locale, 'editor.title'),
    url: dialogUrl,
    fallbackUrl: dialogUrl,
    height: 'large',
    width: 'large',
  };
}

/**
 * "Open the editor" arriving as a message: the client sent the task/fetch Action.Submit as a plain
 * submit (no dialogs there), so answer with a link to the editor instead.
 */
export async function editorLink({ context, user, deps }: Turn): Promise<void> {
  const { tabLink } = await deps.editorLinks(user, context.activity.serviceUrl);
  await sendCard(
    context,
    messageCard(user.locale, {
      kind: 'info',
      messageKey: 'editor.no_dialog',
      openUrl: { url: tabLink, titleKey: 'cards.common.open_photo_tab' },
    }),
  );
}

/** "Use this photo": to approval when the policy asks (the preview becomes the approval card), else written now. */
export async function confirm({ context, user, data, deps }: RequestTurn): Promise<void> {
  const { requestId } = data;
  await context.sendActivity({ type: ActivityTypes.Typing });
  try {
    const result = await submitPhoto(deps, requestId, user.userId);
    if (result.kind === 'pending_approval') {
      if (deps.approvals)
        await showSubmittedForApproval(context, user, result.view, deps.approvals, () => deps.clock.now());
      return;
    }
    await closeClicked({ context, deps }, result.request, result.preview);
    await sendCard(context, appliedCardFor(result.request, result.preview));
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(context, errorCard(user.locale, e, context.activity.id, { verb: 'photo.confirm', requestId }));
  }
}

/** "Cancel" on the preview card. */
export async function cancel({ context, user, data, deps }: RequestTurn): Promise<void> {
  const request = await deps.photos.cancel(data.requestId, user.userId);
  // The closed card says it was cancelled; a reply says it again only where the card could not change.
  if (!(await closeClicked({ context, deps }, request, null)))
    await sendCard(context, messageCard(user.locale, { kind: 'info', messageKey: 'photo.cancelled' }));
}

/** "Choose another" on the preview card: this one is closed, and how to send one follows. */
export async function chooseAnother(turn: RequestTurn): Promise<void> {
  const { user, data, deps } = turn;
  const request = await deps.photos.cancel(data.requestId, user.userId);
  await closeClicked(turn, request, null);
  await sendHowTo(turn);
}

/** "Undo" on an applied card (self-service or approved): the previous photo comes back. */
export async function undo({ user, data, deps }: RequestTurn): Promise<AdaptiveCard> {
  const { requestId } = data;
  // Undo is also on the self-service applied card, whose request has no approval (and no approval card).
  const view = async (): Promise<ApprovalView | null> =>
    (await deps.approvals?.participantView(requestId, user.userId)) ?? null;
  let key: string;
  try {
    const { request } = await deps.photos.undo(user.userId, user.userId, { requestId });
    key = (request.sourceInfo.bytes ?? 0) > 0 ? 'undo.restored' : 'undo.removed';
  } catch (err) {
    const e = toAppError(err);
    const current = e.code.startsWith('undo.') ? await view() : null;
    if (!current) throw e;
    return participantCard(current, user, { key: e.messageKey });
  }
  const current = await view();
  return current
    ? participantCard(current, user, { key })
    : messageCard(user.locale, { kind: 'info', messageKey: key });
}

/**
 * Makes the clicked preview card show how its request ended. The photo service already closed every kept card of
 * the request in place; the clicked one is replaced here only when it was not among them (a card sent before
 * cards were kept, or one whose update failed). False when the card could not change.
 */
async function closeClicked(
  { context, deps }: Pick<Turn, 'context' | 'deps'>,
  request: PhotoRequest,
  preview: Uint8Array | null,
): Promise<boolean> {
  const clicked = context.activity.replyToId;
  if (clicked && (await deps.previewCards?.showing(request.id, clicked)) === request.state) return true;
  return replaceClickedCard(context, closedCardFor(request, preview));
}
