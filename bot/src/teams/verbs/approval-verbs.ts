/** The approval card's verbs (Action.Execute): approve, reject, withdraw, refresh. */
import { AppError } from '../../core/errors';
import type { ApprovalService } from '../../core/approval/approval-service';
import type { DecisionVerb } from '../../core/approval/approval-ports';
import { participantCard } from '../approval-replies';
import { cardInstant } from '../cards/approval-card';
import type { AdaptiveCard } from '../cards/types';
import type { TeamsDeps, Turn } from '../turn';

function approvalsOf(deps: TeamsDeps): ApprovalService {
  if (!deps.approvals) throw new AppError('input.invalid', 'approvals are not configured');
  return deps.approvals;
}

/** A decision (approve, reject with a reason, the requester's cancel); the first one wins, the others see who decided. */
export function decide(
  verb: DecisionVerb,
): (turn: Turn<{ requestId: string; reason?: string }>) => Promise<AdaptiveCard> {
  return async ({ user, data, deps }) => {
    const approvals = approvalsOf(deps);
    const { requestId, reason } = data;
    try {
      const { result, view } = await approvals.decide(requestId, user.userId, verb, reason);
      if (result !== 'lost') return participantCard(view, user);
      const at = cardInstant((view.decidedAt ?? new Date()).toISOString());
      const notice: { key: string; params: Record<string, string> } = view.decidedByName
        ? { key: 'cards.approval.already_decided', params: { name: view.decidedByName, at } }
        : { key: 'cards.approval.closed', params: { at } };
      return participantCard(view, user, notice);
    } catch (err) {
      // A missing reason keeps the approver on their card, with the message.
      if (err instanceof AppError && err.code === 'approval.reason_required') {
        return participantCard((await approvals.viewFor(requestId, user.userId)).view, user, { key: err.messageKey });
      }
      throw err;
    }
  };
}

/** The card's refresh (Universal Actions `refresh`): the current state for whoever looks. */
export async function refresh({ user, data, deps }: Turn<{ requestId: string }>): Promise<AdaptiveCard> {
  const { view } = await approvalsOf(deps).viewFor(data.requestId, user.userId);
  return participantCard(view, user);
}
