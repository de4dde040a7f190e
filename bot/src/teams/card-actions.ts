/** Card action verbs, dispatched through a table. */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { AppError, toAppError } from '../core/errors';
import type { ActivityUser } from './activity-user';
import type { HeadshotBot, HeadshotBotDeps } from './headshot-bot';
import { sendCard } from './headshot-bot';
import { errorCard } from './error-card';
import { appliedCardFor, closedCardFor, replaceClickedCard } from './photo-replies';
import { messageCard } from './cards/message-card';
import { adPhotoCard, sendFixed } from './status-replies';
import { sendForApproval } from './approval-replies';
import { ADMIN_CARD_ACTIONS } from './admin-replies';

/** Everything a card action gets. */
export interface CardActionContext {
  context: TurnContext;
  user: ActivityUser;
  data: Record<string, unknown>;
  bot: HeadshotBot;
  deps: HeadshotBotDeps;
}

/** One verb's handler. */
export type CardAction = (ctx: CardActionContext) => Promise<void>;

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The request id a card sent back; refuses anything that is not one. */
function requestIdOf(data: Record<string, unknown>): string {
  const id = data.requestId;
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) throw new AppError('input.invalid', 'bad requestId in card data');
  return id;
}

async function confirm({ context, user, data, deps }: CardActionContext): Promise<void> {
  const requestId = requestIdOf(data);
  await context.sendActivity({ type: ActivityTypes.Typing });
  try {
    // When the policy asks for approval, the preview becomes the approval card and nothing is written yet.
    if (deps.approvals && (await sendForApproval(context, user, requestId, deps.approvals, () => deps.clock.now())))
      return;
    const { request, preview } = await deps.photos.confirm(requestId, user.userId);
    await replaceClickedCard(context, closedCardFor(request, preview));
    await sendCard(context, appliedCardFor(request, preview));
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(context, errorCard(user.locale, e, context.activity.id, { verb: 'photo.confirm', requestId }));
  }
}

async function cancel({ context, user, data, deps }: CardActionContext): Promise<void> {
  const request = deps.photos.cancel(requestIdOf(data), user.userId);
  await replaceClickedCard(context, closedCardFor(request, null));
  await sendCard(context, messageCard(user.locale, { kind: 'info', messageKey: 'photo.cancelled' }));
}

async function chooseAnother({ context, user, data, deps, bot }: CardActionContext): Promise<void> {
  const request = deps.photos.cancel(requestIdOf(data), user.userId);
  await replaceClickedCard(context, closedCardFor(request, null));
  await bot.sendHowTo(context, user);
}

/** Runs a status fix; retryable failures get a "Try again" button for the same verb. */
async function statusFix(ctx: CardActionContext, verb: string, run: () => Promise<void>): Promise<void> {
  await ctx.context.sendActivity({ type: ActivityTypes.Typing });
  try {
    await run();
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(ctx.context, errorCard(ctx.user.locale, e, ctx.context.activity.id, { verb }));
  }
}

async function fixSharePoint(ctx: CardActionContext): Promise<void> {
  const { context, user, deps } = ctx;
  await statusFix(ctx, 'status.fix_sharepoint', async () => {
    await deps.status.fixSharePoint(user.userId, user.userId);
    await sendFixed(context, deps.status, user, 'status.done.fix_sharepoint');
  });
}

async function applyAgain(ctx: CardActionContext): Promise<void> {
  const { context, user, deps } = ctx;
  await statusFix(ctx, 'status.apply_again', async () => {
    await deps.status.applyAgain(user.userId, user.userId);
    await sendFixed(context, deps.status, user, 'status.done.apply_again');
  });
}

async function adPhoto(ctx: CardActionContext): Promise<void> {
  const { context, user, deps } = ctx;
  await statusFix(ctx, 'status.ad_photo', async () => {
    // Made now to tell its size and to fail here rather than in the browser; the link makes it again.
    const jpeg = await deps.status.adReadyPhoto(user.userId, user.userId);
    const link = await deps.adPhotoLink(user);
    await sendCard(context, adPhotoCard(user.locale, link.url, jpeg.byteLength, link.minutes));
  });
}

/**
 * "Open the editor" arriving as a message: the client sent the task/fetch Action.Submit as a plain
 * submit (no dialogs there), so answer with a link to the editor instead.
 */
async function editorWithoutDialog({ context, user, deps }: CardActionContext): Promise<void> {
  const { tabLink } = deps.editorLinks(user);
  await sendCard(
    context,
    messageCard(user.locale, {
      kind: 'info',
      messageKey: 'editor.no_dialog',
      openUrl: { url: tabLink, titleKey: 'cards.common.open_photo_tab' },
    }),
  );
}

/** The verb table. */
export const CARD_ACTIONS: Readonly<Record<string, CardAction>> = Object.freeze({
  'photo.start': ({ context, user, bot }: CardActionContext) => bot.sendHowTo(context, user),
  'photo.editor': editorWithoutDialog,
  'photo.confirm': confirm,
  'photo.cancel': cancel,
  'photo.choose_another': chooseAnother,
  'status.fix_sharepoint': fixSharePoint,
  'status.apply_again': applyAgain,
  'status.ad_photo': adPhoto,
  // Admins: coverage and broadcasts (admin-replies.ts); each refuses anyone who is not an admin.
  ...ADMIN_CARD_ACTIONS,
});
