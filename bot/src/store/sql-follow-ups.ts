/**
 * Follow-ups (photo_follow_ups, core/status/follow-through.ts) on either SQL engine. A claim takes due rows nobody
 * holds (PostgreSQL: FOR UPDATE SKIP LOCKED) or whose lease ran out; a save is a compare-and-set on the owner and the
 * state, so two instances never check one change at once and a superseded follow-up is never written back.
 */
import type {
  FollowUp,
  FollowUpStore,
  FollowUpSubject,
  NewFollowUp,
  ChangeKind,
  FollowUpMessage,
  FollowUpState,
  Visibility,
  FollowedSystem,
} from '../core/status/follow-through-types';
import { initialSystems } from '../core/status/follow-through';
import type { Locale } from '../core/locale';
import { isUniqueViolation, type SqlDb, type TransactionOptions } from './sql/sql-db';

const READ_COMMITTED: TransactionOptions = { isolation: 'read_committed' };

interface Row {
  id: string;
  user_id: string;
  kind: string;
  locale: string;
  changed_at: number | string;
  expected_hash: string;
  state: string;
  checks: number;
  due_at: number | string | null;
  subject: string | null;
  systems: string;
  messages: string;
  last_checked_at: number | string | null;
  ended_at: number | string | null;
}

const date = (v: number | string | null): Date | null => (v === null ? null : new Date(Number(v)));

type StoredVisibility = { state: Visibility['state']; at?: number; reason?: string };

function toSystems(json: string): FollowUp['systems'] {
  const stored = JSON.parse(json) as Record<FollowedSystem, StoredVisibility>;
  const out = initialSystems();
  for (const system of Object.keys(out) as FollowedSystem[]) {
    const v = stored[system];
    if (!v) continue;
    out[system] = (v.state === 'visible' ? { state: 'visible', at: new Date(Number(v.at)) } : v) as Visibility;
  }
  return out;
}

function fromSystems(systems: FollowUp['systems']): string {
  const out: Record<string, StoredVisibility> = {};
  for (const [system, v] of Object.entries(systems))
    out[system] = v.state === 'visible' ? { state: 'visible', at: v.at.getTime() } : v;
  return JSON.stringify(out);
}

function toFollowUp(r: Row): FollowUp {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind as ChangeKind,
    locale: r.locale as Locale,
    changedAt: new Date(Number(r.changed_at)),
    expectedHash: r.expected_hash,
    state: r.state as FollowUpState,
    checks: Number(r.checks),
    dueAt: date(r.due_at),
    subject: r.subject ? (JSON.parse(r.subject) as FollowUpSubject) : null,
    systems: toSystems(r.systems),
    messages: JSON.parse(r.messages) as FollowUpMessage[],
    lastCheckedAt: date(r.last_checked_at),
    endedAt: date(r.ended_at),
  };
}

/** FollowUpStore on SQL. */
export class SqlFollowUps implements FollowUpStore {
  constructor(private readonly db: SqlDb) {}

  async start(change: NewFollowUp, dueAt: Date): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.run(
          `UPDATE photo_follow_ups SET state = 'superseded', due_at = NULL, ended_at = ?, lease_owner = NULL,
             lease_until = NULL
           WHERE user_id = ? AND state = 'watching' AND id <> ?`,
          [change.changedAt.getTime(), change.userId, change.id],
        );
        const inserted = await tx.run(
          `INSERT INTO photo_follow_ups (id, user_id, kind, locale, changed_at, expected_hash, state, checks, due_at,
             systems, messages)
           VALUES (?, ?, ?, ?, ?, ?, 'watching', 0, ?, ?, '[]') ON CONFLICT (id) DO NOTHING`,
          [
            change.id,
            change.userId,
            change.kind,
            change.locale,
            change.changedAt.getTime(),
            change.expectedHash,
            dueAt.getTime(),
            fromSystems(initialSystems()),
          ],
        );
        return inserted.changes === 1;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  claimDue(owner: string, limit: number, leaseUntil: Date, now: Date): Promise<FollowUp[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<Row>(
        `UPDATE photo_follow_ups SET lease_owner = ?, lease_until = ?
         WHERE id IN (
           SELECT id FROM photo_follow_ups
           WHERE state = 'watching' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY due_at LIMIT ? ${this.db.dialect.skipLocked('photo_follow_ups')})
         RETURNING *`,
        [owner, leaseUntil.getTime(), now.getTime(), now.getTime(), limit],
      );
      return rows.map(toFollowUp).sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0));
    }, READ_COMMITTED);
  }

  async save(owner: string, f: FollowUp): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE photo_follow_ups SET state = ?, checks = ?, due_at = ?, subject = ?, systems = ?, messages = ?,
         last_checked_at = ?, ended_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ? AND state = 'watching'`,
      [
        f.state,
        f.checks,
        f.dueAt?.getTime() ?? null,
        f.subject ? JSON.stringify(f.subject) : null,
        fromSystems(f.systems),
        JSON.stringify(f.messages),
        f.lastCheckedAt?.getTime() ?? null,
        f.endedAt?.getTime() ?? null,
        f.id,
        owner,
      ],
    );
    return changed.changes === 1;
  }

  async since(since: Date, limit: number): Promise<FollowUp[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM photo_follow_ups WHERE changed_at >= ? ORDER BY changed_at, id LIMIT ?`,
      [since.getTime(), limit],
    );
    return rows.map(toFollowUp);
  }

  async get(id: string): Promise<FollowUp | null> {
    const r = await this.db.get<Row>(`SELECT * FROM photo_follow_ups WHERE id = ?`, [id]);
    return r ? toFollowUp(r) : null;
  }

  async forgetEndedBefore(before: Date): Promise<number> {
    const done = await this.db.run(`DELETE FROM photo_follow_ups WHERE changed_at < ? AND state <> 'watching'`, [
      before.getTime(),
    ]);
    return done.changes;
  }
}
