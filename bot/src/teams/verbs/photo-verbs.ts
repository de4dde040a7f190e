/** The photo verbs: start, the editor, the preview card's buttons, and undo. */
import { ActivityTypes, type TaskModuleTaskInfo } from 'botbuilder';
import { AppError, toAppError } from '../../core/errors';
import { submitPhoto } from '../../core/photo/submit-photo';
import { t } from '../../i18n/i18n';
import { approvalCardInPlace, participantCard } from '../approval-replies';
import { messageCard } from '../cards/message-card';
import type { AdaptiveCard } from '../cards/types';
import { errorCard } from '../error-card';
import { sendHowTo } from '../how-to';
import { appliedCardFor, closedCardFor } from '../photo-replies';
import { keepCard, remindersOf, sendCard, type ExecuteAnswer, type Turn } from '../turn';
import type { ApprovalView } from '../../core/approval/approval-ports';

type RequestTurn = Turn<{ requestId: string }>;
type OptionalRequestTurn = Turn<{ requestId?: string }>;

/**
 * "Update my photo" on a card (welcome, help, reminder, status, an approval notice): how to send one follows in the
 * chat. The clicked card stays (an approval card is answered with its current state).
 */
export async function startFromCard(turn: OptionalRequestTurn): Promise<ExecuteAnswer> {
  const { user, data, deps } = turn;
  await sendHowTo(turn);
  if (data.requestId && deps.approvals)
    return participantCard((await deps.approvals.viewFor(data.requestId, user.userId)).view, user);
  return keepCard(user.locale);
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

/**
 * "Use this photo": to approval when the policy asks (the preview becomes the approval card), else written now (the
 * preview becomes its closed form and the success card follows). Microsoft 365 busy: said in a new message with
 * "Try again", and the preview keeps its buttons.
 */
export async function confirm(turn: RequestTurn): Promise<ExecuteAnswer> {
  const { context, user, data, deps } = turn;
  const { requestId } = data;
  await context.sendActivity({ type: ActivityTypes.Typing });
  try {
    const result = await answeringClicked(turn, () => submitPhoto(deps, requestId, user.userId));
    if (result.kind === 'pending_approval') {
      if (!deps.approvals) throw new AppError('internal', 'routed to approval without approvals');
      return approvalCardInPlace(context, user, result.view, deps.approvals, () => deps.clock.now());
    }
    await sendCard(context, appliedCardFor(result.request, result.preview));
    return closedCardFor(result.request, result.preview);
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(context, errorCard(user.locale, e, context.activity.id, { verb: 'photo.confirm', requestId }));
    return keepCard(user.locale);
  }
}

/** "Cancel" on the preview card: it becomes the closed card that says so. */
export async function cancel(turn: RequestTurn): Promise<ExecuteAnswer> {
  const { user, data, deps } = turn;
  const request = await answeringClicked(turn, () => deps.photos.cancel(data.requestId, user.userId));
  return closedCardFor(request, null);
}

/** "Choose another" on the preview card: this one is closed, and how to send one follows. */
export async function chooseAnother(turn: RequestTurn): Promise<ExecuteAnswer> {
  const { user, data, deps } = turn;
  const request = await answeringClicked(turn, () => deps.photos.cancel(data.requestId, user.userId));
  await sendHowTo(turn);
  return closedCardFor(request, null);
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
 * Runs `work` (which may close the request's kept cards) while the clicked card is being answered: the keeper leaves
 * that one to the answer, so it changes once.
 */
function answeringClicked<T>({ context, deps }: Pick<Turn, 'context' | 'deps'>, work: () => Promise<T>): Promise<T> {
  const clicked = context.activity.replyToId;
  return deps.previewCards && clicked ? deps.previewCards.answering(clicked, work) : work();
}

/**
 * "Stop these reminders" on a reminder: recorded (every later campaign leaves this person out), and the reminder
 * becomes the note that says so, with the way to update the photo still there.
 */
export async function stopReminders({ user, deps }: Turn): Promise<ExecuteAnswer> {
  const changed = await remindersOf(deps).setReminders(user.userId, false);
  return messageCard(user.locale, {
    kind: 'info',
    messageKey: changed ? 'reminders.stopped' : 'reminders.already_stopped',
    retry: { verb: 'photo.start', titleKey: 'cards.common.update_my_photo' },
  });
}
