/**
 * Approvals, on either SQL engine. Each state change is one transaction that moves the photo
 * request with a compare-and-set (through SqlRequestRepository.transitionIn, so versions and
 * photo clean-up stay the same), records the decision and writes its audit entry.
 */
import type { SqlDb, SqlExecutor, SqlValue } from './sql/sql-db';
import type { AuditEntry } from '../core/audit/audit-ports';
import { appendAudit } from './sql-audit-log';
import type { Locale } from '../core/locale';
import type { PhotoRequest, RequestState } from '../core/photo/request-ports';
import type {
  Approval,
  ApprovalDecision,
  ApprovalRepository,
  ApprovalSummary,
  Approver,
  ApproverRole,
  CardCopy,
  DecisionResult,
  DecisionVerb,
  NewApproval,
} from '../core/approval/approval-ports';
import type { SqlRequestRepository } from './sql-request-repository';

interface ApprovalRow {
  request_id: string;
  requester_id: string;
  requester_name: string;
  requested_at: number;
  remind_at: number | null;
  escalate_at: number | null;
  expires_at: number;
  reminded_at: number | null;
  escalated_at: number | null;
  decision: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  reason: string | null;
  old_photo_hash: string | null;
  new_photo_hash: string;
  old_preview: Buffer | null;
  new_preview: Buffer;
  next_attempt_at: number | null;
  attempts: number;
  revision: number;
  synced_revision: number;
  synced_version: number;
  notified_state: string;
}

interface ApproverRow {
  user_id: string;
  display_name: string;
  preferred_language: string | null;
  role: string;
  added_at: number;
  notified_at: number | null;
}

interface CopyRow {
  request_id: string;
  user_id: string;
  teams_user_id: string | null;
  locale: string;
  conversation_id: string;
  activity_id: string;
  reference: string;
  sent_at: number;
}

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

const TARGET: Readonly<Record<DecisionVerb, { state: RequestState; decision: ApprovalDecision }>> = {
  approve: { state: 'approved', decision: 'approved' },
  reject: { state: 'rejected', decision: 'rejected' },
  cancel: { state: 'cancelled', decision: 'cancelled' },
};

/** Ids of the rows a query returns. */
const ids = (rows: Array<{ id: string }>): string[] => rows.map((r) => r.id);

/** ApprovalRepository on SQL, sharing the database (and so the transactions) of the request repository and audit log. */
export class SqlApprovalRepository implements ApprovalRepository {
  constructor(
    private readonly db: SqlDb,
    private readonly requests: SqlRequestRepository,
    /** Told of each audit entry once its transaction committed (metrics). */
    private readonly onAudit: (entry: AuditEntry) => void = () => undefined,
  ) {}

  async open(
    a: NewApproval,
    at: Date,
    audit: AuditEntry,
  ): Promise<{ request: PhotoRequest; superseded: string[] } | null> {
    const result = await this.db.transaction(async (tx) => {
      const request = await this.requests.transitionIn(tx, a.requestId, 'previewed', 'pending_approval', at);
      if (!request) return null;
      await tx.run(`UPDATE photo_requests SET expires_at = ?, flow = 'approval' WHERE id = ?`, [
        a.expiresAt.getTime(),
        a.requestId,
      ]);
      await tx.run(
        `INSERT INTO approvals (request_id, requester_id, requester_name, requested_at, remind_at, escalate_at, expires_at,
           old_photo_hash, new_photo_hash, old_preview, new_preview)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          a.requestId,
          a.requesterId,
          a.requesterName,
          a.requestedAt.getTime(),
          a.remindAt?.getTime() ?? null,
          a.escalateAt?.getTime() ?? null,
          a.expiresAt.getTime(),
          a.oldPhotoHash ?? null,
          a.newPhotoHash,
          a.oldPreview ? Buffer.from(a.oldPreview) : null,
          Buffer.from(a.newPreview),
        ],
      );
      for (const p of a.approvers) await this.insertApprover(tx, a.requestId, p);
      const superseded = await this.supersede(tx, a.requesterId, a.requestId, at);
      await appendAudit(tx, audit);
      return { request: { ...request, expiresAt: a.expiresAt, flow: 'approval' as const }, superseded };
    });
    if (result) this.onAudit(audit);
    return result;
  }

  get(requestId: string): Promise<Approval | null> {
    return this.getIn(this.db, requestId);
  }

  private async getIn(exec: SqlExecutor, requestId: string): Promise<Approval | null> {
    const row = await exec.get<ApprovalRow>(`SELECT * FROM approvals WHERE request_id = ?`, [requestId]);
    if (!row) return null;
    const approverRows = await exec.all<ApproverRow>(
      `SELECT * FROM approval_approvers WHERE request_id = ? ORDER BY added_at, ${this.db.dialect.insertOrder}`,
      [requestId],
    );
    const approvers = approverRows.map((p): Approver => ({
      userId: p.user_id,
      displayName: p.display_name,
      ...(p.preferred_language ? { preferredLanguage: p.preferred_language } : {}),
      role: p.role as ApproverRole,
      addedAt: new Date(p.added_at),
      ...(p.notified_at === null ? {} : { notifiedAt: new Date(p.notified_at) }),
    }));
    return {
      requestId: row.request_id,
      requesterId: row.requester_id,
      requesterName: row.requester_name,
      requestedAt: new Date(row.requested_at),
      remindAt: date(row.remind_at),
      escalateAt: date(row.escalate_at),
      expiresAt: new Date(row.expires_at),
      remindedAt: date(row.reminded_at),
      escalatedAt: date(row.escalated_at),
      decision: (row.decision ?? undefined) as ApprovalDecision | undefined,
      decidedBy: row.decided_by ?? undefined,
      decidedByName: row.decided_by_name ?? undefined,
      decidedAt: date(row.decided_at),
      reason: row.reason ?? undefined,
      oldPhotoHash: row.old_photo_hash ?? undefined,
      newPhotoHash: row.new_photo_hash,
      oldPreview: row.old_preview ? new Uint8Array(row.old_preview) : undefined,
      newPreview: new Uint8Array(row.new_preview),
      nextAttemptAt: date(row.next_attempt_at),
      attempts: row.attempts,
      revision: row.revision,
      syncedVersion: row.synced_version,
      syncedRevision: row.synced_revision,
      notifiedState: row.notified_state as RequestState,
      approvers,
    };
  }

  async decide(input: {
    requestId: string;
    verb: DecisionVerb;
    actorId: string;
    reason?: string;
    at: Date;
    audit: (result: DecisionResult) => AuditEntry | null;
  }): Promise<DecisionResult> {
    let entry: AuditEntry | null = null;
    const result = await this.db.transaction(async (tx): Promise<DecisionResult> => {
      const decided = await this.decideInside(tx, input);
      entry = input.audit(decided);
      if (entry) await appendAudit(tx, entry);
      return decided;
    });
    if (entry) this.onAudit(entry);
    return result;
  }

  private async decideInside(
    tx: SqlExecutor,
    input: { requestId: string; verb: DecisionVerb; actorId: string; reason?: string; at: Date },
  ): Promise<DecisionResult> {
    const { requestId, verb, actorId, at } = input;
    const approval = await this.getIn(tx, requestId);
    const request = await this.requests.getIn(tx, requestId);
    if (!approval || !request) return { outcome: 'refused', reason: 'not_found' };
    const decider =
      verb === 'cancel'
        ? approval.requesterId === actorId
          ? { displayName: approval.requesterName }
          : undefined
        : approval.approvers.find((a) => a.userId === actorId);
    if (!decider) return { outcome: 'refused', reason: 'not_allowed' };
    if (
      await tx.get(`SELECT outcome FROM approval_actions WHERE request_id = ? AND verb = ? AND actor_id = ?`, [
        requestId,
        verb,
        actorId,
      ])
    )
      return { outcome: 'replayed', request, approval };
    const target = TARGET[verb];
    const moved = await this.requests.transitionIn(tx, requestId, 'pending_approval', target.state, at);
    const addAction = (outcome: 'won' | 'lost') =>
      tx.run(`INSERT INTO approval_actions (request_id, verb, actor_id, at, outcome) VALUES (?, ?, ?, ?, ?)`, [
        requestId,
        verb,
        actorId,
        at.getTime(),
        outcome,
      ]);
    if (!moved) {
      await addAction('lost');
      return { outcome: 'lost', request, approval };
    }
    await this.recordDecision(tx, requestId, target.decision, at, actorId, decider.displayName, input.reason ?? null);
    await addAction('won');
    return { outcome: 'won', request: moved, approval: (await this.getIn(tx, requestId)) as Approval };
  }

  private async recordDecision(
    tx: SqlExecutor,
    requestId: string,
    decision: ApprovalDecision,
    at: Date,
    by: string | null = null,
    byName: string | null = null,
    reason: string | null = null,
  ): Promise<void> {
    await tx.run(
      `UPDATE approvals SET decision = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, reason = ?,
         remind_at = NULL, escalate_at = NULL, revision = revision + 1
       WHERE request_id = ?`,
      [decision, by, byName, at.getTime(), reason, requestId],
    );
  }

  async expire(requestId: string, at: Date, audit: AuditEntry): Promise<PhotoRequest | null> {
    const moved = await this.db.transaction(async (tx) => {
      const request = await this.requests.transitionIn(tx, requestId, 'pending_approval', 'expired', at);
      if (!request) return null;
      await this.recordDecision(tx, requestId, 'expired', at);
      await appendAudit(tx, audit);
      return request;
    });
    if (moved) this.onAudit(audit);
    return moved;
  }

  supersedePending(userId: string, at: Date): Promise<string[]> {
    return this.db.transaction((tx) => this.supersede(tx, userId, '', at));
  }

  private async supersede(tx: SqlExecutor, userId: string, keep: string, at: Date): Promise<string[]> {
    const pending = ids(
      await tx.all<{ id: string }>(
        `SELECT r.id FROM photo_requests r JOIN approvals a ON a.request_id = r.id
         WHERE a.requester_id = ? AND r.state = 'pending_approval' AND r.id <> ?`,
        [userId, keep],
      ),
    );
    const done: string[] = [];
    for (const id of pending) {
      if (!(await this.requests.transitionIn(tx, id, 'pending_approval', 'superseded', at))) continue;
      await this.recordDecision(tx, id, 'superseded', at);
      done.push(id);
    }
    return done;
  }

  async claimReminder(requestId: string, at: Date): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE approvals SET remind_at = NULL, reminded_at = ?, revision = revision + 1
       WHERE request_id = ? AND remind_at IS NOT NULL AND remind_at <= ?`,
      [at.getTime(), requestId, at.getTime()],
    );
    return r.changes === 1;
  }

  claimEscalation(requestId: string, at: Date, approvers: Approver[], early = false): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Early: before the timer, because nobody could be reached and waiting would only leave the request undecided.
      const claimed = await tx.run(
        `UPDATE approvals SET escalate_at = NULL, escalated_at = ?, revision = revision + 1
         WHERE request_id = ? AND escalate_at IS NOT NULL ${early ? '' : 'AND escalate_at <= ?'}`,
        early ? [at.getTime(), requestId] : [at.getTime(), requestId, at.getTime()],
      );
      if (claimed.changes !== 1) return false;
      for (const p of approvers) await this.insertApprover(tx, requestId, p);
      return true;
    });
  }

  async markNotified(requestId: string, userId: string, at: Date): Promise<void> {
    await this.db.run(
      `UPDATE approval_approvers SET notified_at = COALESCE(notified_at, ?) WHERE request_id = ? AND user_id = ?`,
      [at.getTime(), requestId, userId],
    );
  }

  async scheduleRetry(requestId: string, at: Date): Promise<void> {
    await this.db.run(`UPDATE approvals SET next_attempt_at = ?, attempts = attempts + 1 WHERE request_id = ?`, [
      at.getTime(),
      requestId,
    ]);
  }

  async addCopy(c: CardCopy): Promise<void> {
    await this.db.run(
      `INSERT INTO approval_cards (request_id, user_id, teams_user_id, locale, conversation_id, activity_id, reference, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, conversation_id, activity_id) DO NOTHING`,
      [
        c.requestId,
        c.userId,
        c.teamsUserId ?? null,
        c.locale,
        c.conversationId,
        c.activityId,
        c.reference,
        c.sentAt.getTime(),
      ],
    );
  }

  async copies(requestId: string): Promise<CardCopy[]> {
    const rows = await this.db.all<CopyRow>(
      `SELECT * FROM approval_cards WHERE request_id = ? ORDER BY sent_at, ${this.db.dialect.insertOrder}`,
      [requestId],
    );
    return rows.map((r) => ({
      requestId: r.request_id,
      userId: r.user_id,
      ...(r.teams_user_id ? { teamsUserId: r.teams_user_id } : {}),
      locale: r.locale as Locale,
      conversationId: r.conversation_id,
      activityId: r.activity_id,
      reference: r.reference,
      sentAt: new Date(r.sent_at),
    }));
  }

  async due(now: Date): Promise<{ expire: string[]; escalate: string[]; remind: string[]; apply: string[] }> {
    const t = now.getTime();
    const pending = async (column: string) =>
      ids(
        await this.db.all<{ id: string }>(
          `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
           WHERE r.state = 'pending_approval' AND a.${column} <= ? ORDER BY a.${column}`,
          [t],
        ),
      );
    return {
      expire: await pending('expires_at'),
      escalate: await pending('escalate_at'),
      remind: await pending('remind_at'),
      apply: ids(
        await this.db.all<{ id: string }>(
          `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
           WHERE r.state = 'approved' AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= ?) ORDER BY a.decided_at`,
          [t],
        ),
      ),
    };
  }

  async applying(): Promise<string[]> {
    return ids(
      await this.db.all<{ id: string }>(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id WHERE r.state = 'applying' ORDER BY r.updated_at`,
      ),
    );
  }

  async unnotified(): Promise<string[]> {
    return ids(
      await this.db.all<{ id: string }>(
        `SELECT DISTINCT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
           JOIN approval_approvers p ON p.request_id = a.request_id
         WHERE r.state = 'pending_approval' AND p.notified_at IS NULL`,
      ),
    );
  }

  async unsynced(): Promise<string[]> {
    return ids(
      await this.db.all<{ id: string }>(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE a.synced_version < r.version OR a.synced_revision < a.revision OR a.notified_state <> r.state`,
      ),
    );
  }

  async markSynced(
    requestId: string,
    synced: { version?: number; revision?: number; notifiedState?: RequestState },
  ): Promise<void> {
    const d = this.db.dialect;
    if (synced.version !== undefined)
      await this.db.run(
        `UPDATE approvals SET synced_version = ${d.greatest('synced_version', '?')} WHERE request_id = ?`,
        [synced.version, requestId],
      );
    if (synced.revision !== undefined)
      await this.db.run(
        `UPDATE approvals SET synced_revision = ${d.greatest('synced_revision', '?')} WHERE request_id = ?`,
        [synced.revision, requestId],
      );
    if (synced.notifiedState !== undefined)
      await this.db.run(`UPDATE approvals SET notified_state = ? WHERE request_id = ?`, [
        synced.notifiedState,
        requestId,
      ]);
  }

  async list(filter: { approverId?: string; state?: RequestState; limit?: number }): Promise<ApprovalSummary[]> {
    const where: string[] = [];
    const args: SqlValue[] = [];
    if (filter.approverId) {
      where.push(`EXISTS (SELECT 1 FROM approval_approvers p WHERE p.request_id = a.request_id AND p.user_id = ?)`);
      args.push(filter.approverId);
    }
    if (filter.state) {
      where.push('r.state = ?');
      args.push(filter.state);
    }
    const sql = `SELECT a.request_id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.requested_at DESC, a.${this.db.dialect.insertOrder} DESC LIMIT ?`;
    const rows = await this.db.all<{ request_id: string }>(sql, [...args, filter.limit ?? 100]);
    const out: ApprovalSummary[] = [];
    for (const { request_id: id } of rows) {
      const request = await this.requests.get(id);
      const approval = await this.get(id);
      if (request && approval) out.push({ request, approval });
    }
    return out;
  }

  private async insertApprover(tx: SqlExecutor, requestId: string, p: Approver): Promise<void> {
    await tx.run(
      `INSERT INTO approval_approvers (request_id, user_id, display_name, preferred_language, role, added_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, user_id) DO NOTHING`,
      [requestId, p.userId, p.displayName, p.preferredLanguage ?? null, p.role, p.addedAt.getTime()],
    );
  }
}
