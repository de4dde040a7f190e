/**
 * Universal Action verbs (`adaptiveCard/action` invokes from Action.Execute and card
 * refreshes), dispatched through a table like the Action.Submit verbs in card-actions.ts.
 * Each answers with the card the clicking user sees next; the answer is always a card
 * (an error becomes a localised card), never a failed invoke.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { AppError, toAppError } from '../core/errors';
import type { ApprovalService } from '../core/approval/approval-service';
import type { ApprovalView, DecisionVerb } from '../core/approval/approval-ports';
import type { ActivityUser } from './activity-user';
import { approvalCardFor } from './approval-replies';
import { APPROVAL_VERBS, REASON_INPUT_ID, cardInstant } from './cards/approval-card';
import { messageCard } from './cards/message-card';
import type { AdaptiveCard } from './cards/types';
import { errorCard } from './error-card';
import { resolveLocale } from '../i18n/i18n';
import type { HeadshotBot, HeadshotBotDeps } from './headshot-bot';

/** Everything an invoke verb gets. */
export interface InvokeActionContext {
  context: TurnContext;
  user: ActivityUser;
  data: Record<string, unknown>;
  deps: HeadshotBotDeps;
  bot: HeadshotBot;
}

/** One verb's handler: the card to show the user who clicked. */
export type InvokeAction = (ctx: InvokeActionContext) => Promise<AdaptiveCard>;

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

function requestIdOf(data: Record<string, unknown>): string {
  const id = data.requestId;
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) throw new AppError('input.invalid', 'bad requestId in card data');
  return id;
}

function approvalsOf(deps: HeadshotBotDeps): ApprovalService {
  if (!deps.approvals) throw new AppError('input.invalid', 'approvals are not configured');
  return deps.approvals;
}

/** The card a participant sees: approvers get the buttons, the requester the status. */
function cardFor(
  view: ApprovalView,
  user: ActivityUser,
  notice?: { key: string; params?: Record<string, string> },
): AdaptiveCard {
  return approvalCardFor(view, user.locale, view.requesterId === user.userId ? 'requester' : 'approver', { notice });
}

function decide(verb: DecisionVerb): InvokeAction {
  return async ({ user, data, deps }) => {
    const approvals = approvalsOf(deps);
    const requestId = requestIdOf(data);
    const reason = typeof data[REASON_INPUT_ID] === 'string' ? (data[REASON_INPUT_ID] as string) : undefined;
    try {
      const { result, view } = await approvals.decide(requestId, user.userId, verb, reason);
      if (result !== 'lost') return cardFor(view, user);
      const at = cardInstant((view.decidedAt ?? new Date()).toISOString());
      const notice: { key: string; params: Record<string, string> } = view.decidedByName
        ? { key: 'cards.approval.already_decided', params: { name: view.decidedByName, at } }
        : { key: 'cards.approval.closed', params: { at } };
      return cardFor(view, user, notice);
    } catch (err) {
      // A missing reason keeps the approver on their card, with the message.
      if (err instanceof AppError && err.code === 'approval.reason_required') {
        return cardFor(approvals.viewFor(requestId, user.userId).view, user, { key: err.messageKey });
      }
      throw err;
    }
  };
}

const refresh: InvokeAction = async ({ user, data, deps }) => {
  const { view } = approvalsOf(deps).viewFor(requestIdOf(data), user.userId);
  return cardFor(view, user);
};

const undo: InvokeAction = async ({ user, data, deps }) => {
  const requestId = requestIdOf(data);
  // Undo is also on the self-service applied card, whose request has no approval (and no approval card).
  const view = (): ApprovalView | null => deps.approvals?.participantView(requestId, user.userId) ?? null;
  let key: string;
  try {
    const { request } = await deps.photos.undo(user.userId, user.userId, { requestId });
    key = (request.sourceInfo.bytes ?? 0) > 0 ? 'undo.restored' : 'undo.removed';
  } catch (err) {
    const e = toAppError(err);
    const current = e.code.startsWith('undo.') ? view() : null;
    if (!current) throw e;
    return cardFor(current, user, { key: e.messageKey });
  }
  const current = view();
  return current ? cardFor(current, user, { key }) : messageCard(user.locale, { kind: 'info', messageKey: key });
};

const start: InvokeAction = async ({ context, user, data, deps, bot }) => {
  await bot.sendHowTo(context, user);
  const requestId = typeof data.requestId === 'string' && REQUEST_ID.test(data.requestId) ? data.requestId : undefined;
  if (requestId && deps.approvals) return cardFor(deps.approvals.viewFor(requestId, user.userId).view, user);
  return messageCard(user.locale, { kind: 'info', messageKey: 'approval.start_again' });
};

/** The invoke verb table. */
export const INVOKE_ACTIONS: Readonly<Record<string, InvokeAction>> = Object.freeze({
  [APPROVAL_VERBS.approve]: decide('approve'),
  [APPROVAL_VERBS.reject]: decide('reject'),
  [APPROVAL_VERBS.cancel]: decide('cancel'),
  [APPROVAL_VERBS.refresh]: refresh,
  [APPROVAL_VERBS.undo]: undo,
  [APPROVAL_VERBS.start]: start,
});

/** Every verb an Action.Execute on our cards may send. */
export const INVOKE_VERBS = Object.keys(INVOKE_ACTIONS);

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card as unknown as Record<string, unknown>,
});

/** Answers one `adaptiveCard/action` invoke: dispatches the verb, and turns any failure into a card. */
export async function answerCardAction(input: {
  context: TurnContext;
  invokeValue: AdaptiveCardInvokeValue;
  identify: () => ActivityUser;
  deps: HeadshotBotDeps;
  bot: HeadshotBot;
}): Promise<AdaptiveCardInvokeResponse> {
  const { context, invokeValue, deps, bot } = input;
  const verb = typeof invokeValue.action?.verb === 'string' ? invokeValue.action.verb : '';
  try {
    const user = input.identify();
    const action = Object.prototype.hasOwnProperty.call(INVOKE_ACTIONS, verb) ? INVOKE_ACTIONS[verb] : undefined;
    if (!action) throw new AppError('input.invalid', `unknown verb ${verb.slice(0, 40)}`);
    const data = invokeValue.action.data && typeof invokeValue.action.data === 'object' ? invokeValue.action.data : {};
    return cardResponse(await action({ context, user, data, deps, bot }));
  } catch (err) {
    const e = toAppError(err);
    const log = e.code === 'internal' ? deps.logger.error.bind(deps.logger) : deps.logger.info.bind(deps.logger);
    log(
      { code: e.code, verb, activityId: context.activity.id, err: e.code === 'internal' ? err : undefined },
      'card action failed',
    );
    return cardResponse(errorCard(resolveLocale(context.activity.locale), e, context.activity.id));
  }
}
