/**
 * Approvals in SQLite. Each state change is one IMMEDIATE transaction that moves the photo
 * request with a compare-and-set (through SqliteRequestRepository.transition, so versions
 * and photo clean-up stay the same), records the decision and writes its audit entry.
 */
import type { Db } from './database';
import type { AuditEntry, AuditLog } from '../core/audit/audit-ports';
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
import type { SqliteRequestRepository } from './sqlite-request-repository';

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

/** ApprovalRepository on better-sqlite3, sharing the connection (and so the transactions) of the request repository and audit log. */
export class SqliteApprovalRepository implements ApprovalRepository {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly requests: SqliteRequestRepository,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO approvals (request_id, requester_id, requester_name, requested_at, remind_at, escalate_at, expires_at,
           old_photo_hash, new_photo_hash, old_preview, new_preview)
         VALUES (@request_id, @requester_id, @requester_name, @requested_at, @remind_at, @escalate_at, @expires_at,
           @old_photo_hash, @new_photo_hash, @old_preview, @new_preview)`,
      ),
      insertApprover: db.prepare(
        `INSERT OR IGNORE INTO approval_approvers (request_id, user_id, display_name, preferred_language, role, added_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      setExpiry: db.prepare(`UPDATE photo_requests SET expires_at = ?, flow = 'approval' WHERE id = ?`),
      get: db.prepare(`SELECT * FROM approvals WHERE request_id = ?`),
      approvers: db.prepare(`SELECT * FROM approval_approvers WHERE request_id = ? ORDER BY added_at, rowid`),
      pendingOf: db.prepare(
        `SELECT r.id FROM photo_requests r JOIN approvals a ON a.request_id = r.id
         WHERE a.requester_id = ? AND r.state = 'pending_approval' AND r.id <> ?`,
      ),
      decide: db.prepare(
        `UPDATE approvals SET decision = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, reason = ?,
           remind_at = NULL, escalate_at = NULL, revision = revision + 1
         WHERE request_id = ?`,
      ),
      action: db.prepare(`SELECT outcome FROM approval_actions WHERE request_id = ? AND verb = ? AND actor_id = ?`),
      addAction: db.prepare(
        `INSERT INTO approval_actions (request_id, verb, actor_id, at, outcome) VALUES (?, ?, ?, ?, ?)`,
      ),
      claimReminder: db.prepare(
        `UPDATE approvals SET remind_at = NULL, reminded_at = ?, revision = revision + 1
         WHERE request_id = ? AND remind_at IS NOT NULL AND remind_at <= ?`,
      ),
      claimEscalation: db.prepare(
        `UPDATE approvals SET escalate_at = NULL, escalated_at = ?, revision = revision + 1
         WHERE request_id = ? AND escalate_at IS NOT NULL AND escalate_at <= ?`,
      ),
      // Before the timer: nobody could be reached, so waiting would only leave the request undecided.
      claimEscalationEarly: db.prepare(
        `UPDATE approvals SET escalate_at = NULL, escalated_at = ?, revision = revision + 1
         WHERE request_id = ? AND escalate_at IS NOT NULL`,
      ),
      markNotified: db.prepare(
        `UPDATE approval_approvers SET notified_at = COALESCE(notified_at, ?) WHERE request_id = ? AND user_id = ?`,
      ),
      scheduleRetry: db.prepare(
        `UPDATE approvals SET next_attempt_at = ?, attempts = attempts + 1 WHERE request_id = ?`,
      ),
      addCopy: db.prepare(
        `INSERT OR IGNORE INTO approval_cards (request_id, user_id, teams_user_id, locale, conversation_id, activity_id, reference, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      copies: db.prepare(`SELECT * FROM approval_cards WHERE request_id = ? ORDER BY sent_at, rowid`),
      dueExpire: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE r.state = 'pending_approval' AND a.expires_at <= ? ORDER BY a.expires_at`,
      ),
      dueEscalate: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE r.state = 'pending_approval' AND a.escalate_at <= ? ORDER BY a.escalate_at`,
      ),
      dueRemind: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE r.state = 'pending_approval' AND a.remind_at <= ? ORDER BY a.remind_at`,
      ),
      dueApply: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE r.state = 'approved' AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= ?) ORDER BY a.decided_at`,
      ),
      applying: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id WHERE r.state = 'applying' ORDER BY r.updated_at`,
      ),
      unnotified: db.prepare(
        `SELECT DISTINCT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
           JOIN approval_approvers p ON p.request_id = a.request_id
         WHERE r.state = 'pending_approval' AND p.notified_at IS NULL`,
      ),
      unsynced: db.prepare(
        `SELECT r.id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
         WHERE a.synced_version < r.version OR a.synced_revision < a.revision OR a.notified_state <> r.state`,
      ),
      syncVersion: db.prepare(`UPDATE approvals SET synced_version = MAX(synced_version, ?) WHERE request_id = ?`),
      syncRevision: db.prepare(`UPDATE approvals SET synced_revision = MAX(synced_revision, ?) WHERE request_id = ?`),
      syncNotified: db.prepare(`UPDATE approvals SET notified_state = ? WHERE request_id = ?`),
    };
  }

  open(a: NewApproval, at: Date, audit: AuditEntry): { request: PhotoRequest; superseded: string[] } | null {
    const run = this.db.transaction(() => {
      const request = this.requests.transition(a.requestId, 'previewed', 'pending_approval', at);
      if (!request) return null;
      this.s.setExpiry.run(a.expiresAt.getTime(), a.requestId);
      this.s.insert.run({
        request_id: a.requestId,
        requester_id: a.requesterId,
        requester_name: a.requesterName,
        requested_at: a.requestedAt.getTime(),
        remind_at: a.remindAt?.getTime() ?? null,
        escalate_at: a.escalateAt?.getTime() ?? null,
        expires_at: a.expiresAt.getTime(),
        old_photo_hash: a.oldPhotoHash ?? null,
        new_photo_hash: a.newPhotoHash,
        old_preview: a.oldPreview ? Buffer.from(a.oldPreview) : null,
        new_preview: Buffer.from(a.newPreview),
      });
      for (const p of a.approvers) this.insertApprover(a.requestId, p);
      const superseded = this.supersede(a.requesterId, a.requestId, at);
      this.audit.append(audit);
      return { request: { ...request, expiresAt: a.expiresAt, flow: 'approval' as const }, superseded };
    });
    return run.immediate();
  }

  get(requestId: string): Approval | null {
    const row = this.s.get.get(requestId) as ApprovalRow | undefined;
    if (!row) return null;
    const approvers = (this.s.approvers.all(requestId) as ApproverRow[]).map((p): Approver => ({
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

  decide(input: {
    requestId: string;
    verb: DecisionVerb;
    actorId: string;
    reason?: string;
    at: Date;
    audit: (result: DecisionResult) => AuditEntry | null;
  }): DecisionResult {
    const run = this.db.transaction((): DecisionResult => {
      const result = this.decideInside(input);
      const entry = input.audit(result);
      if (entry) this.audit.append(entry);
      return result;
    });
    return run.immediate();
  }

  private decideInside(input: {
    requestId: string;
    verb: DecisionVerb;
    actorId: string;
    reason?: string;
    at: Date;
  }): DecisionResult {
    const { requestId, verb, actorId, at } = input;
    const approval = this.get(requestId);
    const request = this.requests.get(requestId);
    if (!approval || !request) return { outcome: 'refused', reason: 'not_found' };
    const decider =
      verb === 'cancel'
        ? approval.requesterId === actorId
          ? { displayName: approval.requesterName }
          : undefined
        : approval.approvers.find((a) => a.userId === actorId);
    if (!decider) return { outcome: 'refused', reason: 'not_allowed' };
    if (this.s.action.get(requestId, verb, actorId)) return { outcome: 'replayed', request, approval };
    const target = TARGET[verb];
    const moved = this.requests.transition(requestId, 'pending_approval', target.state, at);
    if (!moved) {
      this.s.addAction.run(requestId, verb, actorId, at.getTime(), 'lost');
      return { outcome: 'lost', request, approval };
    }
    this.s.decide.run(target.decision, actorId, decider.displayName, at.getTime(), input.reason ?? null, requestId);
    this.s.addAction.run(requestId, verb, actorId, at.getTime(), 'won');
    return { outcome: 'won', request: moved, approval: this.get(requestId) as Approval };
  }

  expire(requestId: string, at: Date, audit: AuditEntry): PhotoRequest | null {
    const run = this.db.transaction(() => {
      const moved = this.requests.transition(requestId, 'pending_approval', 'expired', at);
      if (!moved) return null;
      this.s.decide.run('expired', null, null, at.getTime(), null, requestId);
      this.audit.append(audit);
      return moved;
    });
    return run.immediate();
  }

  supersedePending(userId: string, at: Date): string[] {
    return this.db.transaction(() => this.supersede(userId, '', at)).immediate();
  }

  private supersede(userId: string, keep: string, at: Date): string[] {
    const ids = (this.s.pendingOf.all(userId, keep) as { id: string }[]).map((r) => r.id);
    const done: string[] = [];
    for (const id of ids) {
      if (!this.requests.transition(id, 'pending_approval', 'superseded', at)) continue;
      this.s.decide.run('superseded', null, null, at.getTime(), null, id);
      done.push(id);
    }
    return done;
  }

  claimReminder(requestId: string, at: Date): boolean {
    return this.s.claimReminder.run(at.getTime(), requestId, at.getTime()).changes === 1;
  }

  claimEscalation(requestId: string, at: Date, approvers: Approver[], early = false): boolean {
    const run = this.db.transaction((): boolean => {
      const claimed = early
        ? this.s.claimEscalationEarly.run(at.getTime(), requestId)
        : this.s.claimEscalation.run(at.getTime(), requestId, at.getTime());
      if (claimed.changes !== 1) return false;
      for (const p of approvers) this.insertApprover(requestId, p);
      return true;
    });
    return run.immediate();
  }

  markNotified(requestId: string, userId: string, at: Date): void {
    this.s.markNotified.run(at.getTime(), requestId, userId);
  }

  scheduleRetry(requestId: string, at: Date): void {
    this.s.scheduleRetry.run(at.getTime(), requestId);
  }

  addCopy(c: CardCopy): void {
    this.s.addCopy.run(
      c.requestId,
      c.userId,
      c.teamsUserId ?? null,
      c.locale,
      c.conversationId,
      c.activityId,
      c.reference,
      c.sentAt.getTime(),
    );
  }

  copies(requestId: string): CardCopy[] {
    return (this.s.copies.all(requestId) as CopyRow[]).map((r) => ({
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

  due(now: Date): { expire: string[]; escalate: string[]; remind: string[]; apply: string[] } {
    const ids = (stmt: { all(...args: unknown[]): unknown[] }) =>
      (stmt.all(now.getTime()) as { id: string }[]).map((r) => r.id);
    return {
      expire: ids(this.s.dueExpire),
      escalate: ids(this.s.dueEscalate),
      remind: ids(this.s.dueRemind),
      apply: ids(this.s.dueApply),
    };
  }

  applying(): string[] {
    return (this.s.applying.all() as { id: string }[]).map((r) => r.id);
  }

  unnotified(): string[] {
    return (this.s.unnotified.all() as { id: string }[]).map((r) => r.id);
  }

  unsynced(): string[] {
    return (this.s.unsynced.all() as { id: string }[]).map((r) => r.id);
  }

  markSynced(requestId: string, synced: { version?: number; revision?: number; notifiedState?: RequestState }): void {
    if (synced.version !== undefined) this.s.syncVersion.run(synced.version, requestId);
    if (synced.revision !== undefined) this.s.syncRevision.run(synced.revision, requestId);
    if (synced.notifiedState !== undefined) this.s.syncNotified.run(synced.notifiedState, requestId);
  }

  list(filter: { approverId?: string; state?: RequestState; limit?: number }): ApprovalSummary[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.approverId) {
      where.push(`EXISTS (SELECT 1 FROM approval_approvers p WHERE p.request_id = a.request_id AND p.user_id = ?)`);
      args.push(filter.approverId);
    }
    if (filter.state) {
      where.push('r.state = ?');
      args.push(filter.state);
    }
    const sql = `SELECT a.request_id FROM approvals a JOIN photo_requests r ON r.id = a.request_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.requested_at DESC, a.rowid DESC LIMIT ?`;
    const ids = (this.db.prepare(sql).all(...args, filter.limit ?? 100) as { request_id: string }[]).map(
      (r) => r.request_id,
    );
    return ids.flatMap((id) => {
      const request = this.requests.get(id);
      const approval = this.get(id);
      return request && approval ? [{ request, approval }] : [];
    });
  }

  private insertApprover(requestId: string, p: Approver): void {
    this.s.insertApprover.run(
      requestId,
      p.userId,
      p.displayName,
      p.preferredLanguage ?? null,
      p.role,
      p.addedAt.getTime(),
    );
  }
}
