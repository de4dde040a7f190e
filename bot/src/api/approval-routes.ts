/**
 * The approver's side of the tab: requests waiting for the caller's decision (or decided ones
 * they were asked about), and deciding one with the card's rules: a reason is required to
 * reject, at most 500 characters, and the first decision wins.
 */
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import { MAX_REASON_LENGTH, type ApprovalService } from '../core/approval/approval-service';
import { requestLocale } from './http-errors';
import { route, type AccessControl } from './route-rules';
import { TabError, callerOf, jsonHandler, readJson } from './tab-http';
import { approvalItemView } from './tab-views';
import type { ApprovalItemView } from './tab-contract';

/** What the approval routes need. */
export interface ApprovalRouteDeps {
  approvals: ApprovalService;
}

/** How many requests one list shows at most. */
const LIST_LIMIT = 100;

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().max(MAX_REASON_LENGTH).optional(),
  })
  .strict();

/** Registers the approval routes. */
export function registerApprovalRoutes(server: Server, deps: ApprovalRouteDeps, access: AccessControl): void {
  route(
    server,
    access,
    { method: 'GET', path: '/api/approvals', auth: 'tab-sso', roles: ['self'] },
    jsonHandler(async (req): Promise<ApprovalItemView[]> => {
      const userId = callerOf(req).userId;
      const scope = (req.query as { scope?: unknown } | undefined)?.scope ?? 'pending';
      if (scope !== 'pending' && scope !== 'decided')
        throw new AppError('input.invalid', `Expected scope pending or decided but received '${String(scope)}'`, {
          status: 400,
        });
      const rows =
        scope === 'pending'
          ? await deps.approvals.list({ approverId: userId, state: 'pending_approval', limit: LIST_LIMIT })
          : (await deps.approvals.list({ approverId: userId, limit: LIST_LIMIT * 2 }))
              .filter((r) => r.request.state !== 'pending_approval')
              .slice(0, LIST_LIMIT);
      const locale = requestLocale(req);
      const items: ApprovalItemView[] = [];
      for (const { request } of rows) {
        const view = await deps.approvals.participantView(request.id, userId);
        if (view) items.push(approvalItemView(locale, view, userId));
      }
      return items;
    }),
  );

  route(
    server,
    access,
    { method: 'POST', path: '/api/approvals/:requestId/decision', auth: 'tab-sso', roles: ['self'] },
    jsonHandler(async (req): Promise<ApprovalItemView> => {
      const userId = callerOf(req).userId;
      const requestId = (req.params as { requestId?: string }).requestId ?? '';
      const body = await readJson(
        req,
        decisionBody,
        () => new TabError('input.invalid', 'tab.errors.decision_invalid', 'bad decision body', { status: 400 }),
      );
      // Refuses (and audits) anyone who is not an approver; a reject without a reason is approval.reason_required.
      const { view } = await deps.approvals.decide(requestId, userId, body.decision, body.reason);
      return approvalItemView(requestLocale(req), view, userId);
    }),
  );
}
