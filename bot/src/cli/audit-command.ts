/**
 * `headshot audit [--user id] [--actor id] [--request id] [--action prefix] [--limit n] [--json]`:
 * the audit log, newest first, for admins and scripts. It records who asked, who decided and
 * when, the old and new photo's hashes (approvals) and every outcome, refusals included.
 * Exit 0, 2 for bad input.
 */
import { parseArgs } from 'node:util';
import type { AuditEntry } from '../core/audit/audit-ports';
import { SqlAuditLog } from '../store/sql-audit-log';
import { commandContext, type CommandIo } from './prologue';

const AUDIT_USAGE =
  'headshot audit [--user <id>] [--actor <id>] [--request <id>] [--action <prefix>] [--limit <n>] [--json]';

function entryJson(e: AuditEntry): Record<string, unknown> {
  return {
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    subjectId: e.subjectId ?? null,
    requestId: e.requestId ?? null,
    outcome: e.outcome,
    detail: e.detail ?? null,
  };
}

function entryText(e: AuditEntry): string {
  const detail = e.detail
    ? ` ${Object.entries(e.detail)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ')}`
    : '';
  return `${e.at.toISOString()}  ${e.outcome.padEnd(7)} ${e.action.padEnd(18)} by ${e.actorId}${e.subjectId ? ` for ${e.subjectId}` : ''}${e.requestId ? ` (${e.requestId})` : ''}${detail}`;
}

/** Runs `headshot audit`; resolves to the exit code. */
export async function auditCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        user: { type: 'string' },
        actor: { type: 'string' },
        request: { type: 'string' },
        action: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    io.stderr(`${(err as Error).message}\nUsage: ${AUDIT_USAGE}\n`);
    return 2;
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    io.stderr(`--limit must be a whole number from 1 to 100000; received '${values.limit}'.\nUsage: ${AUDIT_USAGE}\n`);
    return 2;
  }
  const ctx = commandContext(io);
  if (typeof ctx === 'number') return ctx;
  const db = await ctx.openDb();
  try {
    const action = values.action;
    // The action filter is a prefix ("approval." lists every approval step); read enough rows to fill the page.
    const entries = (
      await new SqlAuditLog(db).list({
        subjectId: values.user,
        actorId: values.actor,
        requestId: values.request,
        limit: action ? limit * 20 : limit,
      })
    )
      .filter(
        (e) => !action || e.action === action || e.action.startsWith(action.endsWith('.') ? action : `${action}.`),
      )
      .slice(0, limit);
    if (values.json) io.stdout(`${JSON.stringify(entries.map(entryJson))}\n`);
    else io.stdout(entries.length ? `${entries.map(entryText).join('\n')}\n` : 'No audit entries.\n');
    return 0;
  } finally {
    await db.close();
  }
}
