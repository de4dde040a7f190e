/** Card action verbs, dispatched through a table. */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { AppError, toAppError } from '../core/errors';
import type { ActivityUser } from './activity-user';
import type { HeadshotBot, HeadshotBotDeps } from './headshot-bot';
import { sendCard } from './headshot-bot';
import { errorCard } from './error-card';
import { appliedCardFor, closedCardFor, replaceClickedCard } from './photo-replies';
import { messageCard } from './cards/message-card';

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

/** The verb table. */
export const CARD_ACTIONS: Readonly<Record<string, CardAction>> = Object.freeze({
  'photo.start': ({ context, user, bot }: CardActionContext) => bot.sendHowTo(context, user),
  'photo.confirm': confirm,
  'photo.cancel': cancel,
  'photo.choose_another': chooseAnother,
});
