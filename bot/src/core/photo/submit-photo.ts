/**
 * "Use this photo", wherever it is clicked (the chat's preview card, the tab's Submit): when the
 * tenant's approval policy asks for it the request goes to the approvers and nothing is written;
 * otherwise the photo is written to Microsoft 365 now. The one place that makes that decision.
 */
import type { ApprovalService } from '../approval/approval-service';
import type { ApprovalView } from '../approval/approval-ports';
import type { PhotoRequest } from './request-ports';
import type { PhotoService } from './photo-service';

/** What submitting did: sent to approval (with the approval card's view), or written. */
export type SubmitResult =
  | { kind: 'pending_approval'; request: PhotoRequest; view: ApprovalView }
  | { kind: 'applied'; request: PhotoRequest; preview: Uint8Array };

/** Submits a previewed request of `actorId`: to approval when the policy asks for it, else written now. */
export async function submitPhoto(
  deps: { photos: PhotoService; approvals?: ApprovalService },
  requestId: string,
  actorId: string,
): Promise<SubmitResult> {
  const outcome = deps.approvals ? await deps.approvals.submit(requestId, actorId) : { routed: false as const };
  if (outcome.routed) return { kind: 'pending_approval', request: outcome.request, view: outcome.view };
  const { request, preview } = await deps.photos.confirm(requestId, actorId);
  return { kind: 'applied', request, preview };
}
