/** The audit log: who did what to whom. */

/** One audit entry: who did what to whom. */
export interface AuditEntry {
  at: Date;
  actorId: string;
  action: string;
  subjectId?: string;
  requestId?: string;
  outcome: 'ok' | 'refused' | 'failed';
  detail?: Record<string, string | number | boolean | null>;
}

/** Append-only audit log. */
export interface AuditLog {
  /** Appends one entry. */
  append(entry: AuditEntry): Promise<void>;
  /** Entries about a subject or by an actor, newest first. */
  list(filter: { subjectId?: string; actorId?: string; requestId?: string; limit?: number }): Promise<AuditEntry[]>;
}
