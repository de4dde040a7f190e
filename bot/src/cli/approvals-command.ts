/**
 * `headshot approvals …`: the admin's side of manager approvals (docs/approvals.md).
 *   headshot approvals policy [--json]                       show the policy
 *   headshot approvals policy set --required-for everyone|groups|nobody [--groups id,id]
 *        [--approvers-group id|none] [--remind-after 1d] [--escalate-after 2d] [--expire-after 7d] [--by name] [--json]
 *   headshot approvals list [--state pending_approval|…] [--approver id] [--limit n] [--json]
 *   headshot approvals undo <userPrincipalName|id> [--actor name] [--json]   restore a user's previous photo (admin)
 * Exit 0 done, 2 bad input, 1 anything else. The policy is read on every use: a running service follows a change at once.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { toAppError } from '../core/errors';
import type { Clock } from '../core/clock';
import type { ImageProcessor } from '../core/photo/pipeline-ports';
import type { RequestState } from '../core/photo/request-ports';
import { PhotoService } from '../core/photo/photo-service';
import { REQUEST_STATES } from '../core/photo/request-lifecycle';
import type { ApprovalPolicy, ApprovalRequiredFor, ApprovalSummary } from '../core/approval/approval-ports';
import { checkApprovalPolicy, type PolicyFieldNames } from '../core/approval/approval-policy-rules';
import { GraphDirectory } from '../m365/graph-directory';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import type { SqlDb } from '../store/sql/sql-db';
import { commandContext, type CommandContext, type CommandIo } from './prologue';
import { SqlApprovalPolicyStore } from '../store/sql-approval-policy';
import { SqlApprovalRepository } from '../store/sql-approval-repository';
import { SqlAuditLog } from '../store/sql-audit-log';
import { SqlRequestRepository } from '../store/sql-request-repository';

const APPROVALS_USAGE = `Usage:
  headshot approvals policy [--json]
  headshot approvals policy set --required-for everyone|groups|nobody [--groups <id,id>] [--approvers-group <id>|none]
      [--remind-after <30m|24h|2d>] [--escalate-after <…>] [--expire-after <…>] [--by <name>] [--json]
  headshot approvals list [--state <state>] [--approver <id>] [--limit <n>] [--json]
  headshot approvals undo <userPrincipalName|id> [--actor <name>] [--json]
`;

/** The policy's fields as this command's flags, for messages. */
const POLICY_FLAGS: PolicyFieldNames = {
  requiredFor: '--required-for',
  groupIds: '--groups <id,id>',
  remindAfterMinutes: '--remind-after',
  escalateAfterMinutes: '--escalate-after',
  expireAfterMinutes: '--expire-after',
};

/** Thrown for bad command lines (exit 2). */
class UsageError extends Error {}

/** Minutes from `90m`, `24h`, `7d` or a bare number of minutes. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)?$/i.exec(text.trim());
  const value = m
    ? Number(m[1]) * ({ m: 1, min: 1, h: 60, d: 1440 }[(m[2] ?? 'm').toLowerCase() as 'm'] ?? 1)
    : Number.NaN;
  if (!Number.isFinite(value) || value < 1)
    throw new UsageError(`Expected ${what} like 30m, 24h or 7d (at least a minute); received '${text}'.`);
  return Math.round(value);
}

function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function policyJson(p: ApprovalPolicy): Record<string, unknown> {
  return {
    requiredFor: p.requiredFor,
    groupIds: p.groupIds,
    approversGroupId: p.approversGroupId ?? null,
    remindAfterMinutes: p.remindAfterMinutes,
    escalateAfterMinutes: p.escalateAfterMinutes,
    expireAfterMinutes: p.expireAfterMinutes,
    updatedAt: p.updatedAt?.toISOString() ?? null,
    updatedBy: p.updatedBy ?? null,
  };
}

function policyText(p: ApprovalPolicy): string {
  const who = p.requiredFor === 'groups' ? `members of ${p.groupIds.join(', ') || '(no groups)'}` : p.requiredFor;
  return [
    `Approval required for: ${who}`,
    `Approvers group (no manager, last escalation): ${p.approversGroupId ?? '(none)'}`,
    `Reminder after ${describeMinutes(p.remindAfterMinutes)}, escalation after ${describeMinutes(p.escalateAfterMinutes)}, expiry after ${describeMinutes(p.expireAfterMinutes)}`,
    p.updatedAt ? `Set by ${p.updatedBy ?? '?'} on ${p.updatedAt.toISOString()}` : 'Never set (the default).',
  ].join('\n');
}

function summaryJson({ request, approval }: ApprovalSummary): Record<string, unknown> {
  return {
    requestId: request.id,
    state: request.state,
    requesterId: approval.requesterId,
    requesterName: approval.requesterName,
    requestedAt: approval.requestedAt.toISOString(),
    approvers: approval.approvers.map((a) => ({ userId: a.userId, displayName: a.displayName, role: a.role })),
    decision: approval.decision ?? null,
    decidedBy: approval.decidedBy ?? null,
    decidedByName: approval.decidedByName ?? null,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    reason: approval.reason ?? null,
    oldPhotoHash: approval.oldPhotoHash ?? null,
    newPhotoHash: approval.newPhotoHash,
    expiresAt: approval.expiresAt.toISOString(),
    errorCode: request.errorCode ?? null,
  };
}

/** The command never prepares photos; undo restores bytes Headshot kept. */
const NO_PIPELINE: ImageProcessor = {
  prepare: () => Promise.reject(new Error('the approvals command does not prepare photos')),
  scanFaces: () => Promise.reject(new Error('the approvals command does not scan photos')),
  refusalNow: () => null,
};

async function policy(db: SqlDb, args: string[], io: CommandIo): Promise<number> {
  const store = new SqlApprovalPolicyStore(db);
  const [sub, ...rest] = args;
  if (sub !== undefined && sub !== 'set' && sub !== '--json') throw new UsageError(`Unknown policy command '${sub}'.`);
  if (sub !== 'set') {
    const current = await store.get();
    io.stdout(args.includes('--json') ? `${JSON.stringify(policyJson(current))}\n` : `${policyText(current)}\n`);
    return 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'required-for': { type: 'string' },
      groups: { type: 'string' },
      'approvers-group': { type: 'string' },
      'remind-after': { type: 'string' },
      'escalate-after': { type: 'string' },
      'expire-after': { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const current = await store.get();
  const requiredFor = (values['required-for'] ?? current.requiredFor) as ApprovalRequiredFor;
  const groupIds =
    values.groups === undefined
      ? current.groupIds
      : values.groups
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean);
  const approversGroup = values['approvers-group'];
  const next: ApprovalPolicy = {
    requiredFor,
    groupIds,
    approversGroupId:
      approversGroup === undefined
        ? current.approversGroupId
        : approversGroup === 'none' || approversGroup === ''
          ? undefined
          : approversGroup,
    remindAfterMinutes: values['remind-after']
      ? parseDuration(values['remind-after'], '--remind-after')
      : current.remindAfterMinutes,
    escalateAfterMinutes: values['escalate-after']
      ? parseDuration(values['escalate-after'], '--escalate-after')
      : current.escalateAfterMinutes,
    expireAfterMinutes: values['expire-after']
      ? parseDuration(values['expire-after'], '--expire-after')
      : current.expireAfterMinutes,
  };
  try {
    checkApprovalPolicy(next, POLICY_FLAGS);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const by = values.by ?? io.env.USER ?? 'cli';
  const stored = await store.set(next, new Date(), by);
  await new SqlAuditLog(db).append({
    at: new Date(),
    actorId: `cli:${by}`,
    action: 'approval.policy',
    outcome: 'ok',
    detail: { ...policyJson(stored), groupIds: stored.groupIds.join(',') } as Record<string, string | number | null>,
  });
  io.stdout(values.json ? `${JSON.stringify(policyJson(stored))}\n` : `${policyText(stored)}\n`);
  return 0;
}

async function list(db: SqlDb, args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      state: { type: 'string' },
      approver: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.state !== undefined && !REQUEST_STATES.includes(values.state as RequestState)) {
    throw new UsageError(`--state must be one of ${REQUEST_STATES.join(', ')}; received '${values.state}'.`);
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError(`--limit must be a whole number from 1 to 10000; received '${values.limit}'.`);
  const requests = new SqlRequestRepository(db);
  const rows = await new SqlApprovalRepository(db, requests).list({
    state: values.state as RequestState | undefined,
    approverId: values.approver,
    limit,
  });
  if (values.json) {
    io.stdout(`${JSON.stringify(rows.map(summaryJson))}\n`);
    return 0;
  }
  if (rows.length === 0) io.stdout('No approval requests.\n');
  for (const { request, approval } of rows) {
    const decided = approval.decidedAt
      ? ` by ${approval.decidedByName ?? approval.decidedBy ?? 'Headshot'} at ${approval.decidedAt.toISOString()}`
      : '';
    io.stdout(
      `${approval.requestedAt.toISOString()}  ${request.state.padEnd(16)} ${approval.requesterName} -> ${approval.approvers.map((a) => a.displayName).join(', ')}${decided}  (${request.id})\n`,
    );
  }
  return 0;
}

async function undo(db: SqlDb, ctx: CommandContext, args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { actor: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const subject = positionals[0];
  if (positionals.length !== 1 || !subject)
    throw new UsageError('approvals undo takes one user (userPrincipalName or id).');
  const graph = ctx.graph();
  const clock: Clock = await ctx.clock();
  const user = await new GraphDirectory(graph).getUser(subject);
  if (!user) throw new UsageError(`No user '${subject}' in the directory.`);
  const photos = new PhotoService({
    images: NO_PIPELINE,
    photos: new GraphProfilePhotos(graph),
    requests: new SqlRequestRepository(db),
    audit: new SqlAuditLog(db),
    clock,
    newId: () => crypto.randomUUID(),
    requestTtlMs: ctx.config.requestTtlHours * 3_600_000,
  });
  const actor = `admin:${values.actor ?? io.env.USER ?? 'cli'}`;
  const { request } = await photos.undo(user.id, actor, { asAdmin: true });
  const restored = request.sourceInfo.bytes > 0 ? 'photo' : 'no_photo';
  io.stdout(
    values.json
      ? `${JSON.stringify({ userId: user.id, requestId: request.id, undoes: request.undoOf ?? null, restored, state: request.state })}\n`
      : `Restored the ${restored === 'photo' ? 'previous photo' : 'state without a photo'} of ${user.displayName} (request ${request.id}).\n`,
  );
  return 0;
}

/** Runs `headshot approvals …`; resolves to the exit code. */
export async function approvalsCommand(args: string[], io: CommandIo): Promise<number> {
  const ctx = commandContext(io);
  if (typeof ctx === 'number') return ctx;
  const [command, ...rest] = args;
  if (command !== 'policy' && command !== 'list' && command !== 'undo') {
    io.stderr(APPROVALS_USAGE);
    return 2;
  }
  const db = await ctx.openDb();
  try {
    if (command === 'policy') return await policy(db, rest, io);
    if (command === 'list') return await list(db, rest, io);
    return await undo(db, ctx, rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(err as Error).message}\n${APPROVALS_USAGE}`);
      return 2;
    }
    const e = toAppError(err);
    io.stderr(`headshot approvals: ${e.code}: ${e.message}\n`);
    return e.code.startsWith('undo.') || e.code === 'request.not_yours' ? 2 : 1;
  } finally {
    await db.close();
  }
}
