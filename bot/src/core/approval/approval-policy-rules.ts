/**
 * What makes an approval policy valid, in one place for every way of setting it (the
 * `headshot approvals policy set` command, the tab's admin settings). Messages say what was
 * expected and what came, naming each field the way the caller knows it (flag or JSON field).
 */
import { AppError } from '../errors';
import type { ApprovalPolicy, ApprovalRequiredFor } from './approval-ports';

/** Who may need approval. */
export const APPROVAL_REQUIRED_FOR: readonly ApprovalRequiredFor[] = ['nobody', 'everyone', 'groups'];

/** How the caller names the policy's fields in messages. */
export interface PolicyFieldNames {
  requiredFor: string;
  groupIds: string;
  remindAfterMinutes: string;
  escalateAfterMinutes: string;
  expireAfterMinutes: string;
}

/** The policy's own (JSON) field names. */
const POLICY_JSON_NAMES: PolicyFieldNames = {
  requiredFor: 'requiredFor',
  groupIds: 'groupIds',
  remindAfterMinutes: 'remindAfterMinutes',
  escalateAfterMinutes: 'escalateAfterMinutes',
  expireAfterMinutes: 'expireAfterMinutes',
};

/** Throws input.invalid (params.field: the JSON field) unless `policy` can be stored. */
export function checkApprovalPolicy(policy: ApprovalPolicy, names: PolicyFieldNames = POLICY_JSON_NAMES): void {
  const fail = (field: keyof PolicyFieldNames, message: string): never => {
    throw new AppError('input.invalid', message, { status: 400, params: { field } });
  };
  if (!APPROVAL_REQUIRED_FOR.includes(policy.requiredFor))
    fail(
      'requiredFor',
      `${names.requiredFor} must be one of ${APPROVAL_REQUIRED_FOR.join(', ')}; received '${String(policy.requiredFor)}'.`,
    );
  if (policy.requiredFor === 'groups' && policy.groupIds.length === 0)
    fail('groupIds', `${names.requiredFor} groups needs ${names.groupIds}.`);
  for (const field of ['remindAfterMinutes', 'escalateAfterMinutes', 'expireAfterMinutes'] as const) {
    const minutes = policy[field];
    if (!Number.isSafeInteger(minutes) || minutes < 1)
      fail(field, `Expected ${names[field]} of at least one whole minute; received ${String(minutes)}.`);
  }
}
