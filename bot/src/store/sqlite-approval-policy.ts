/** The admin's approval policy in SQLite: one row, read on every use (the CLI may change it while the service runs). */
import type { Db } from './database';
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

/** ApprovalPolicyStore on better-sqlite3. */
export class SqliteApprovalPolicyStore implements ApprovalPolicyStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare(`SELECT * FROM approval_policy WHERE id = 1`);
    this.upsert = db.prepare(
      `INSERT INTO approval_policy (id, required_for, group_ids, approvers_group_id, remind_after_minutes,
         escalate_after_minutes, expire_after_minutes, updated_at, updated_by)
       VALUES (1, @required_for, @group_ids, @approvers_group_id, @remind, @escalate, @expire, @updated_at, @updated_by)
       ON CONFLICT (id) DO UPDATE SET required_for = excluded.required_for, group_ids = excluded.group_ids,
         approvers_group_id = excluded.approvers_group_id, remind_after_minutes = excluded.remind_after_minutes,
         escalate_after_minutes = excluded.escalate_after_minutes, expire_after_minutes = excluded.expire_after_minutes,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
  }

  get(): ApprovalPolicy {
    const r = this.select.get() as Row | undefined;
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

  set(policy: ApprovalPolicy, at: Date, by: string): ApprovalPolicy {
    this.upsert.run({
      required_for: policy.requiredFor,
      group_ids: JSON.stringify(policy.groupIds),
      approvers_group_id: policy.approversGroupId ?? null,
      remind: policy.remindAfterMinutes,
      escalate: policy.escalateAfterMinutes,
      expire: policy.expireAfterMinutes,
      updated_at: at.getTime(),
      updated_by: by,
    });
    return this.get();
  }
}
