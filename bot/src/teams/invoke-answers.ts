/**
 * The answers to invokes, which must always be an answer Teams can show: a card for
 * `adaptiveCard/action` (an error becomes a localised card), a dialog or a message for
 * `task/fetch`, an empty answer (close) for `task/submit`. Never a failed invoke.
 */
import type {
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  TaskModuleRequest,
  TaskModuleResponse,
  TurnContext,
} from 'botbuilder';
import { toAppError, type AppError } from '../core/errors';
import type { Locale } from '../core/locale';
import { resolveLocale, t } from '../i18n/i18n';
import type { ActivityUser } from './activity-user';
import type { AdaptiveCard } from './cards/types';
import { errorCard } from './error-card';
import { isKeep, type TeamsDeps } from './turn';
import { resolveVerb } from './verbs/dispatch';

/** What an invoke answer needs: the turn, who it is (checked lazily: that can fail too), the features. */
export interface InvokeInput {
  context: TurnContext;
  identify: () => Promise<ActivityUser>;
  deps: TeamsDeps;
}

function logFailure(
  deps: TeamsDeps,
  context: TurnContext,
  e: AppError,
  err: unknown,
  what: string,
  verb?: string,
): void {
  const log = e.code === 'internal' ? deps.logger.error.bind(deps.logger) : deps.logger.info.bind(deps.logger);
  log({ code: e.code, verb, activityId: context.activity.id, err: e.code === 'internal' ? err : undefined }, what);
}

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card as unknown as Record<string, unknown>,
});

/** Leaves the clicked card as it is; Teams shows the text for a moment. */
const messageResponse = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text as unknown as Record<string, unknown>,
});

/** Answers one `adaptiveCard/action` invoke with the card the clicking user sees next. */
export async function answerExecute(
  input: InvokeInput & { invokeValue: AdaptiveCardInvokeValue },
): Promise<AdaptiveCardInvokeResponse> {
  const { context, invokeValue, deps } = input;
  const verb = typeof invokeValue.action?.verb === 'string' ? invokeValue.action.verb : '';
  try {
    const user = await input.identify();
    const answer = await resolveVerb('execute', verb, invokeValue.action?.data, { context, user, deps })();
    return isKeep(answer) ? messageResponse(answer.note) : cardResponse(answer);
  } catch (err) {
    const e = toAppError(err);
    logFailure(deps, context, e, err, 'card action failed', verb);
    return cardResponse(errorCard(resolveLocale(context.activity.locale), e, context.activity.id));
  }
}

/** A message Teams shows in place of the dialog. */
function dialogMessage(locale: Locale, error: AppError): TaskModuleResponse {
  return { task: { type: 'message', value: t(locale, error.messageKey, error.params) } };
}

/** Answers a `task/fetch` invoke: the dialog for the verb, or a localised message saying why not. */
export async function answerTaskFetch(
  input: InvokeInput & { request: TaskModuleRequest | undefined },
): Promise<TaskModuleResponse> {
  const { context, deps } = input;
  const data = input.request?.data && typeof input.request.data === 'object' ? input.request.data : {};
  const verb = (data as { verb?: unknown }).verb;
  let locale = resolveLocale(context.activity.locale);
  try {
    const user = await input.identify();
    locale = user.locale;
    return { task: { type: 'continue', value: await resolveVerb('fetch', verb, data, { context, user, deps })() } };
  } catch (err) {
    const e = toAppError(err);
    logFailure(deps, context, e, err, 'dialog fetch failed');
    return dialogMessage(locale, e);
  }
}

/**
 * Answers a `task/submit` invoke (the page called `dialog.url.submit`): an empty answer closes the
 * dialog. What the page did (a photo sent for preview) reaches the chat as its own message.
 */
export async function answerTaskSubmit(input: InvokeInput): Promise<TaskModuleResponse | undefined> {
  const { context, deps } = input;
  try {
    await input.identify();
    return undefined;
  } catch (err) {
    const e = toAppError(err);
    logFailure(deps, context, e, err, 'dialog submit failed');
    return dialogMessage(resolveLocale(context.activity.locale), e);
  }
}
