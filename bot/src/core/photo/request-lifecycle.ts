/**
 * The photo request state machine (docs/approvals.md draws it).
 *
 *   previewed --confirm--> applying --ok--> applied                  (end)
 *   previewed --confirm, approval required--> pending_approval
 *   previewed --cancel---> cancelled                                 (end)
 *   previewed --timeout--> expired                                   (end)
 *   previewed --new photo-> superseded                               (end)
 *   pending_approval --approve--> approved
 *   pending_approval --reject---> rejected                           (end)
 *   pending_approval --cancel---> cancelled                          (end)
 *   pending_approval --timeout--> expired                            (end)
 *   pending_approval --newer request sent for approval--> superseded (end)
 *   approved  --claimed for writing--> applying
 *   applying  --busy-----> previewed   (self-service: nothing written, the user may confirm again)
 *   applying  --busy-----> approved    (approved: nothing written, the scheduler tries again)
 *   applying  --error----> failed                                    (end)
 *
 * An undo request starts in `applying` (flow `undo`); when Microsoft 365 stays busy it ends in failed.
 */
import type { RequestState } from './request-ports';

const ALLOWED: Readonly<Record<RequestState, readonly RequestState[]>> = {
  previewed: ['applying', 'pending_approval', 'cancelled', 'expired', 'superseded'],
  pending_approval: ['approved', 'rejected', 'cancelled', 'expired', 'superseded'],
  approved: ['applying'],
  applying: ['applied', 'previewed', 'approved', 'failed'],
  applied: [],
  failed: [],
  cancelled: [],
  expired: [],
  superseded: [],
  rejected: [],
};

/** True when the state machine allows moving from `from` to `to`. */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return ALLOWED[from].includes(to);
}

/** True for states no transition leaves. */
export function isEndState(state: RequestState): boolean {
  return ALLOWED[state].length === 0;
}

/** Every state, for tests and documentation. */
export const REQUEST_STATES = Object.keys(ALLOWED) as RequestState[];
