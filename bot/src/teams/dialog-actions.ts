/**
 * Dialog (task module) verbs: an Action.Submit with `msteams.type: 'task/fetch'` reaches the bot
 * as a `task/fetch` invoke whose `data.verb` is dispatched through a table, like card-actions.ts.
 * Each answer is a TaskModuleResponse; a failure becomes a localised message, never a failed invoke.
 */
import type { TaskModuleRequest, TaskModuleResponse, TaskModuleTaskInfo, TurnContext } from 'botbuilder';
import { AppError, toAppError } from '../core/errors';
import type { Locale } from '../core/ports';
import { resolveLocale, t } from '../i18n/i18n';
import type { ActivityUser } from './activity-user';
import type { HeadshotBotDeps } from './headshot-bot';

/** Everything a dialog verb gets. */
export interface DialogActionContext {
  context: TurnContext;
  user: ActivityUser;
  data: Record<string, unknown>;
  deps: HeadshotBotDeps;
}

/** One verb's handler: the dialog to open. */
export type DialogAction = (ctx: DialogActionContext) => Promise<TaskModuleTaskInfo>;

/** The verb that opens the editor (the tab's My photo page) in a dialog. */
export const EDITOR_VERB = 'photo.editor';

const editor: DialogAction = async ({ user, deps }) => {
  const { dialogUrl } = deps.editorLinks(user);
  return {
    title: t(user.locale, 'editor.title'),
    url: dialogUrl,
    fallbackUrl: dialogUrl,
    height: 'large',
    width: 'large',
  };
};

/** The dialog verb table. */
export const DIALOG_ACTIONS: Readonly<Record<string, DialogAction>> = Object.freeze({
  [EDITOR_VERB]: editor,
});

/** A message Teams shows in place of the dialog. */
function message(locale: Locale, error: AppError): TaskModuleResponse {
  return { task: { type: 'message', value: t(locale, error.messageKey, error.params) } };
}

function logFailure(deps: HeadshotBotDeps, context: TurnContext, e: AppError, err: unknown, what: string): void {
  const log = e.code === 'internal' ? deps.logger.error.bind(deps.logger) : deps.logger.info.bind(deps.logger);
  log({ code: e.code, activityId: context.activity.id, err: e.code === 'internal' ? err : undefined }, what);
}

/** Answers a `task/fetch` invoke: the dialog for the verb, or a localised message saying why not. */
export async function answerTaskFetch(input: {
  context: TurnContext;
  request: TaskModuleRequest | undefined;
  identify: () => ActivityUser;
  deps: HeadshotBotDeps;
}): Promise<TaskModuleResponse> {
  const { context, deps } = input;
  const data: Record<string, unknown> =
    input.request?.data && typeof input.request.data === 'object'
      ? (input.request.data as Record<string, unknown>)
      : {};
  const verb = typeof data.verb === 'string' ? data.verb : '';
  let locale = resolveLocale(context.activity.locale);
  try {
    const user = input.identify();
    locale = user.locale;
    const action = Object.prototype.hasOwnProperty.call(DIALOG_ACTIONS, verb) ? DIALOG_ACTIONS[verb] : undefined;
    if (!action) throw new AppError('input.invalid', `unknown dialog verb ${verb.slice(0, 40)}`);
    return { task: { type: 'continue', value: await action({ context, user, data, deps }) } };
  } catch (err) {
    const e = toAppError(err);
    logFailure(deps, context, e, err, 'dialog fetch failed');
    return message(locale, e);
  }
}

/**
 * Answers a `task/submit` invoke (the page called `dialog.url.submit`): an empty answer closes the
 * dialog. What the page did (a photo sent for preview) reaches the chat as its own message.
 */
export async function answerTaskSubmit(input: {
  context: TurnContext;
  identify: () => ActivityUser;
  deps: HeadshotBotDeps;
}): Promise<TaskModuleResponse | undefined> {
  const { context, deps } = input;
  try {
    input.identify();
    return undefined;
  } catch (err) {
    const e = toAppError(err);
    logFailure(deps, context, e, err, 'dialog submit failed');
    return message(resolveLocale(context.activity.locale), e);
  }
}
