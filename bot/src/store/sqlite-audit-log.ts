/** The append-only audit log in SQLite. */
import type { Db } from './database';
import type { AuditEntry, AuditLog } from '../core/ports';

interface Row {
  at: number;
  actor_id: string;
  action: string;
  subject_id: string | null;
  request_id: string | null;
  outcome: string;
  detail: string | null;
}

/** AuditLog on better-sqlite3. */
export class SqliteAuditLog implements AuditLog {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, actor_id, action, subject_id, request_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  append(e: AuditEntry): void {
    this.insert.run(
      e.at.getTime(),
      e.actorId,
      e.action,
      e.subjectId ?? null,
      e.requestId ?? null,
      e.outcome,
      e.detail ? JSON.stringify(e.detail) : null,
    );
  }

  list(filter: { subjectId?: string; actorId?: string; requestId?: string; limit?: number }): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
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
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 100) as Row[];
    return rows.map((r) => ({
      at: new Date(r.at),
      actorId: r.actor_id,
      action: r.action,
      subjectId: r.subject_id ?? undefined,
      requestId: r.request_id ?? undefined,
      outcome: r.outcome as AuditEntry['outcome'],
      detail: r.detail ? (JSON.parse(r.detail) as AuditEntry['detail']) : undefined,
    }));
  }
}
