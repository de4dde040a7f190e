/** The admin's approval policy: one row, read on every use (the CLI may change it while the service runs). */
import type { SqlDb } from './sql/sql-db';
import {
  DEFAULT_APPROVAL_POLICY,
  type ApprovalPolicy,
  type ApprovalPolicyStore,
  type ApprovalRequiredFor,
} from '../core/approval/approval-ports';

interface Row {
  required_for: string;
  group_ids: string;
  approvers_group_id: string | null;
  remind_after_minutes: number;
  escalate_after_minutes: number;
  expire_after_minutes: number;
  updated_at: number;
  updated_by: string;
}

/** ApprovalPolicyStore on SQL. */
export class SqlApprovalPolicyStore implements ApprovalPolicyStore {
  constructor(private readonly db: SqlDb) {}

  async get(): Promise<ApprovalPolicy> {
    const r = await this.db.get<Row>(`SELECT * FROM approval_policy WHERE id = 1`);
    if (!r) return { ...DEFAULT_APPROVAL_POLICY, groupIds: [] };
    return {
      requiredFor: r.required_for as ApprovalRequiredFor,
      groupIds: JSON.parse(r.group_ids) as string[],
      ...(r.approvers_group_id ? { approversGroupId: r.approvers_group_id } : {}),
      remindAfterMinutes: r.remind_after_minutes,
      escalateAfterMinutes: r.escalate_after_minutes,
      expireAfterMinutes: r.expire_after_minutes,
      updatedAt: new Date(r.updated_at),
      updatedBy: r.updated_by,
    };
  }

  async set(policy: ApprovalPolicy, at: Date, by: string): Promise<ApprovalPolicy> {
    await this.db.run(
      `INSERT INTO approval_policy (id, required_for, group_ids, approvers_group_id, remind_after_minutes,
         escalate_after_minutes, expire_after_minutes, updated_at, updated_by)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET required_for = excluded.required_for, group_ids = excluded.group_ids,
         approvers_group_id = excluded.approvers_group_id, remind_after_minutes = excluded.remind_after_minutes,
         escalate_after_minutes = excluded.escalate_after_minutes, expire_after_minutes = excluded.expire_after_minutes,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [
        policy.requiredFor,
        JSON.stringify(policy.groupIds),
        policy.approversGroupId ?? null,
        policy.remindAfterMinutes,
        policy.escalateAfterMinutes,
        policy.expireAfterMinutes,
        at.getTime(),
        by,
      ],
    );
    return this.get();
  }
}
