/** The append-only audit log, on either SQL engine. */
import type { SqlDb, SqlExecutor, SqlValue } from './sql/sql-db';
import type { AuditEntry, AuditLog } from '../core/audit/audit-ports';

interface Row {
  at: number;
  actor_id: string;
  action: string;
  subject_id: string | null;
  request_id: string | null;
  outcome: string;
  detail: string | null;
}

/** Appends one entry with `exec` (the database, or a caller's transaction). */
export async function appendAudit(exec: SqlExecutor, e: AuditEntry): Promise<void> {
  await exec.run(
    `INSERT INTO audit_log (at, actor_id, action, subject_id, request_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      e.at.getTime(),
      e.actorId,
      e.action,
      e.subjectId ?? null,
      e.requestId ?? null,
      e.outcome,
      e.detail ? JSON.stringify(e.detail) : null,
    ],
  );
}

/** AuditLog on SQL. */
export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: SqlDb) {}

  append(e: AuditEntry): Promise<void> {
    return appendAudit(this.db, e);
  }

  async list(filter: {
    subjectId?: string;
    actorId?: string;
    requestId?: string;
    limit?: number;
  }): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (filter.subjectId) {
      where.push('subject_id = ?');
      args.push(filter.subjectId);
    }
    if (filter.actorId) {
      where.push('actor_id = ?');
      args.push(filter.actorId);
    }
    if (filter.requestId) {
      where.push('request_id = ?');
      args.push(filter.requestId);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = await this.db.all<Row>(sql, [...args, filter.limit ?? 100]);
    return rows.map(fromRow);
  }

  /**
   * One page of the whole log, newest first: entries older than the `before` cursor (absent: the newest).
   * `nextBefore` is the cursor of the next page, null after the last. Cursors are opaque to callers.
   */
  async page(options: {
    before?: string;
    limit: number;
  }): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
    const before = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    if (!Number.isSafeInteger(before) || before < 0) throw new RangeError(`bad audit cursor '${options.before}'`);
    const rows = await this.db.all<Row & { seq: number }>(
      `SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
      [before, options.limit + 1],
    );
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { entries: page.map(fromRow), nextBefore: rows.length > options.limit && last ? String(last.seq) : null };
  }
}

function fromRow(r: Row): AuditEntry {
  return {
    at: new Date(r.at),
    actorId: r.actor_id,
    action: r.action,
    subjectId: r.subject_id ?? undefined,
    requestId: r.request_id ?? undefined,
    outcome: r.outcome as AuditEntry['outcome'],
    detail: r.detail ? (JSON.parse(r.detail) as AuditEntry['detail']) : undefined,
  };
}
