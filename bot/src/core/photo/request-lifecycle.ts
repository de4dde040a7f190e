/**
 * The photo request state machine.
 *
 *   previewed --confirm--> applying --ok--> applied            (end)
 *   previewed --cancel---> cancelled                           (end)
 *   previewed --timeout--> expired                             (end)
 *   previewed --new photo-> superseded                         (end)
 *   applying  --busy-----> previewed   (Microsoft 365 throttled: nothing written, the user may confirm again)
 *   applying  --error----> failed                              (end)
 */
import type { RequestState } from '../ports';

const ALLOWED: Readonly<Record<RequestState, readonly RequestState[]>> = {
  previewed: ['applying', 'cancelled', 'expired', 'superseded'],
  applying: ['applied', 'previewed', 'failed'],
  applied: [],
  failed: [],
  cancelled: [],
  expired: [],
  superseded: [],
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
