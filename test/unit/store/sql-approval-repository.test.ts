/**
 * Approvals in SQLite: the migration that rebuilds photo_requests keeps every row, and
 * decisions are compare-and-set transitions keyed by (request, verb, actor) that commit with
 * their audit entry: whatever sequence of clicks arrives, at most one decision wins.
 */
import Database from 'better-sqlite3';
import { fc, test } from '@fast-check/jest';
import type {
  Approver,
  DecisionResult,
  DecisionVerb,
  NewApproval,
} from '../../../bot/src/core/approval/approval-ports';
import type { AuditEntry } from '../../../bot/src/core/audit/audit-ports';
import { migrate } from '../../../bot/src/store/database';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { MIGRATIONS } from '../../../bot/src/store/migrations';
import { SqlApprovalRepository } from '../../../bot/src/store/sql-approval-repository';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import { SqlRequestRepository } from '../../../bot/src/store/sql-request-repository';
import { HOUR, T0, photo, previewed } from '../../support/store-records';
import { ENGINES, openTestStore, openTwoInstances } from '../../support/stores';

const later = (ms: number) => new Date(T0.getTime() + ms);

function store(db: SqlDb) {
  const requests = new SqlRequestRepository(db);
  const audit = new SqlAuditLog(db);
  return { db, requests, audit, approvals: new SqlApprovalRepository(db, requests) };
}

const approver = (userId: string, role: Approver['role'] = 'manager'): Approver => ({
  userId,
  displayName: `Name of ${userId}`,
  role,
  addedAt: T0,
});

function newApproval(requestId: string, requesterId: string, approvers: Approver[]): NewApproval {
  return {
    requestId,
    tenantId: 'tenant-1',
    requesterId,
    requesterName: 'Alex Wilber',
    requestedAt: T0,
    remindAt: later(HOUR),
    escalateAt: later(2 * HOUR),
    expiresAt: later(3 * HOUR),
    oldPhotoHash: 'a'.repeat(64),
    newPhotoHash: 'b'.repeat(64),
    newPreview: new Uint8Array([1, 2, 3]),
    approvers,
  };
}

const entry = (action: string, requestId: string): AuditEntry => ({
  at: T0,
  actorId: 'x',
  action,
  requestId,
  outcome: 'ok',
});

/** A request of `userId`, sent for approval to `approvers`. */
async function pending(s: ReturnType<typeof store>, userId = 'alex', approvers = [approver('megan')]) {
  const r = previewed(userId);
  await s.requests.create(r, photo(r.id));
  expect(
    await s.approvals.open(newApproval(r.id, userId, approvers), later(1), entry('approval.request', r.id)),
  ).not.toBeNull();
  return r;
}

describe('migration 2 rebuilds photo_requests without losing anything', () => {
  test('rows, pending and previous photos survive; new states are allowed; indexes and cascades are back', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    const insert = db.prepare(
      `INSERT INTO photo_requests VALUES (?, 'u', 't', 'fi', ?, 'teams-file', '[]', '{}', 1, 2, 3, ?, 4)`,
    );
    insert.run('r1', 'previewed', null);
    insert.run('r2', 'applied', null);
    insert.run('r3', 'failed', 'm365.forbidden');
    db.prepare(`INSERT INTO pending_photos VALUES ('r1', x'0102', x'03')`).run();
    db.prepare(`INSERT INTO pending_photos VALUES ('r2', x'0405', x'06')`).run();
    db.prepare(`INSERT INTO previous_photos VALUES ('r2', 'u', x'0708', 9)`).run();
    const before = db.prepare(`SELECT * FROM photo_requests ORDER BY id`).all();

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const after = db
      .prepare(
        `SELECT id, user_id, tenant_id, locale, state, source, warnings, source_info, created_at, updated_at, expires_at, error_code, version FROM photo_requests ORDER BY id`,
      )
      .all();
    expect(after).toEqual(before);
    expect(db.prepare(`SELECT DISTINCT flow FROM photo_requests`).all()).toEqual([{ flow: 'self' }]);
    expect(db.prepare(`SELECT request_id, hex(master) m FROM pending_photos ORDER BY request_id`).all()).toEqual([
      { request_id: 'r1', m: '0102' },
      { request_id: 'r2', m: '0405' },
    ]);
    expect(db.prepare(`SELECT request_id, hex(photo) p, saved_at FROM previous_photos`).all()).toEqual([
      { request_id: 'r2', p: '0708', saved_at: 9 },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const indexes = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'photo_requests_user_state',
        'photo_requests_state',
        'photo_requests_undo_once',
        'previous_photos_user',
      ]),
    );
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%aside%' OR name LIKE '%_new'`).all()).toEqual(
      [],
    );
    // The new CHECK: new states in, nonsense out.
    db.prepare(`UPDATE photo_requests SET state = 'pending_approval' WHERE id = 'r1'`).run();
    expect(() => db.prepare(`UPDATE photo_requests SET state = 'nonsense' WHERE id = 'r1'`).run()).toThrow(/CHECK/);
    // Children still follow their parent.
    db.prepare(`DELETE FROM photo_requests WHERE id = 'r2'`).run();
    expect(db.prepare(`SELECT count(*) c FROM previous_photos`).get()).toEqual({ c: 0 });
    db.close();
  });
});

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  beforeEach(async () => {
    db = await openTestStore(engine);
  });
  afterEach(() => db.close());

  describe('opening an approval', () => {
    test('previewed -> pending_approval once; an older pending request of the same person is superseded', async () => {
      const s = store(db);
      const first = await pending(s);
      const second = previewed('alex');
      await s.requests.create(second, photo('2'));
      const opened = await s.approvals.open(
        newApproval(second.id, 'alex', [approver('megan')]),
        later(2),
        entry('approval.request', second.id),
      );
      expect(opened?.superseded).toEqual([first.id]);
      expect((await s.requests.get(first.id))?.state).toBe('superseded');
      expect((await s.approvals.get(first.id))?.decision).toBe('superseded');
      expect(await s.requests.get(second.id)).toMatchObject({
        state: 'pending_approval',
        flow: 'approval',
        expiresAt: later(3 * HOUR),
      });
      expect(
        await s.approvals.open(
          newApproval(second.id, 'alex', [approver('megan')]),
          later(3),
          entry('approval.request', second.id),
        ),
      ).toBeNull();
      expect((await s.audit.list({ requestId: second.id })).map((e) => e.action)).toEqual(['approval.request']);
    });
  });

  const ACTORS = ['megan', 'patti', 'alex', 'mallory'] as const;
  const VERBS: DecisionVerb[] = ['approve', 'reject', 'cancel'];

  describe('decisions', () => {
    test.prop([
      fc.array(fc.tuple(fc.constantFrom(...ACTORS), fc.constantFrom(...VERBS)), { minLength: 1, maxLength: 25 }),
      fc.boolean(),
    ])(
      'whatever arrives, in whatever order: at most one decision wins, repeats change nothing, strangers are refused, each attempt is audited once',
      async (clicks, expireFirst) => {
        const s = store(db);
        try {
          const r = await pending(s, 'alex', [approver('megan'), approver('patti', 'skip_level')]);
          if (expireFirst)
            expect(await s.approvals.expire(r.id, later(5), entry('approval.expire', r.id))).not.toBeNull();
          const results: Array<{ actor: string; verb: DecisionVerb; result: DecisionResult }> = [];
          const seen = new Set<string>();
          let audited = 0;
          for (const [i, [actor, verb]] of clicks.entries()) {
            const result = await s.approvals.decide({
              requestId: r.id,
              verb,
              actorId: actor,
              reason: verb === 'reject' ? 'why' : undefined,
              at: later(10 + i),
              audit: (res) =>
                res.outcome === 'replayed'
                  ? null
                  : {
                      at: later(10 + i),
                      actorId: actor,
                      action: `approval.${verb}`,
                      requestId: r.id,
                      outcome: res.outcome === 'won' ? 'ok' : 'refused',
                    },
            });
            const allowed = verb === 'cancel' ? actor === 'alex' : actor === 'megan' || actor === 'patti';
            if (!allowed) expect(result).toEqual({ outcome: 'refused', reason: 'not_allowed' });
            else if (seen.has(`${actor}/${verb}`)) expect(result.outcome).toBe('replayed');
            if (allowed) seen.add(`${actor}/${verb}`);
            if (result.outcome !== 'replayed') audited++;
            results.push({ actor, verb, result });
          }
          const won = results.filter((x) => x.result.outcome === 'won');
          expect(won.length).toBeLessThanOrEqual(1);
          if (expireFirst) expect(won).toEqual([]);
          const stored = await s.requests.get(r.id);
          const approval = await s.approvals.get(r.id);
          if (won.length === 1) {
            const [{ actor, verb }] = won;
            expect(stored?.state).toBe({ approve: 'approved', reject: 'rejected', cancel: 'cancelled' }[verb]);
            expect(approval).toMatchObject({ decidedBy: actor, decidedAt: expect.any(Date), decision: stored?.state });
            if (verb === 'reject') expect(approval?.reason).toBe('why');
            // Everyone after the winner learns who decided.
            for (const later of results.slice(results.indexOf(won[0]) + 1)) {
              if (later.result.outcome === 'lost') expect(later.result.approval.decidedBy).toBe(actor);
            }
          } else {
            expect(stored?.state).toBe(expireFirst ? 'expired' : 'pending_approval');
          }
          const decisions = (await s.audit.list({ requestId: r.id, limit: 1000 })).filter((e) =>
            /^approval\.(approve|reject|cancel)$/.test(e.action),
          );
          expect(decisions).toHaveLength(audited);
          expect(decisions.filter((e) => e.outcome === 'ok')).toHaveLength(won.length);
        } finally {
          // the store is closed after the property's last run
        }
      },
    );

    test('two service instances on one database: one decision wins, the other sees who and when', async () => {
      const two = await openTwoInstances(engine);
      try {
        const a = store(two.a);
        const b = store(two.b);
        const r = await pending(a, 'alex', [approver('megan'), approver('patti', 'skip_level')]);
        const first = await a.approvals.decide({
          requestId: r.id,
          verb: 'approve',
          actorId: 'megan',
          at: later(5),
          audit: () => null,
        });
        const second = await b.approvals.decide({
          requestId: r.id,
          verb: 'reject',
          actorId: 'patti',
          reason: 'no',
          at: later(6),
          audit: () => null,
        });
        expect(first.outcome).toBe('won');
        expect(second).toMatchObject({ outcome: 'lost', approval: { decidedBy: 'megan', decidedAt: later(5) } });
        expect((await b.requests.get(r.id))?.state).toBe('approved');
      } finally {
        await two.done();
      }
    });

    test('a decision and its audit entry commit together: a failing audit leaves no decision behind', async () => {
      const s = store(db);
      const r = await pending(s);
      await expect(
        s.approvals.decide({
          requestId: r.id,
          verb: 'approve',
          actorId: 'megan',
          at: later(5),
          audit: () => {
            throw new Error('disk full');
          },
        }),
      ).rejects.toThrow('disk full');
      expect((await s.requests.get(r.id))?.state).toBe('pending_approval');
      expect((await s.approvals.get(r.id))?.decidedBy).toBeUndefined();
      // And the key was not kept either: the real click still decides.
      const ok = await s.approvals.decide({
        requestId: r.id,
        verb: 'approve',
        actorId: 'megan',
        at: later(6),
        audit: () => null,
      });
      expect(ok.outcome).toBe('won');
    });
  });

  describe('due work', () => {
    test('reminders, escalations and expiries come due on time, once each', async () => {
      const s = store(db);
      const r = await pending(s);
      expect(await s.approvals.due(later(HOUR - 1))).toEqual({ expire: [], escalate: [], remind: [], apply: [] });
      expect((await s.approvals.due(later(HOUR))).remind).toEqual([r.id]);
      expect(await s.approvals.claimReminder(r.id, later(HOUR))).toBe(true);
      expect(await s.approvals.claimReminder(r.id, later(HOUR))).toBe(false);
      expect((await s.approvals.get(r.id))?.remindedAt).toEqual(later(HOUR));
      expect(await s.approvals.due(later(2 * HOUR))).toMatchObject({ remind: [], escalate: [r.id] });
      expect(await s.approvals.claimEscalation(r.id, later(2 * HOUR), [approver('patti', 'skip_level')])).toBe(true);
      expect(await s.approvals.claimEscalation(r.id, later(2 * HOUR), [approver('mallory', 'skip_level')])).toBe(false);
      expect((await s.approvals.get(r.id))?.approvers.map((a) => a.userId)).toEqual(['megan', 'patti']);
      expect((await s.approvals.due(later(3 * HOUR))).expire).toEqual([r.id]);
      expect((await s.approvals.expire(r.id, later(3 * HOUR), entry('approval.expire', r.id)))?.state).toBe('expired');
      expect(await s.approvals.expire(r.id, later(3 * HOUR), entry('approval.expire', r.id))).toBeNull();
      expect(await s.approvals.due(later(10 * HOUR))).toEqual({ expire: [], escalate: [], remind: [], apply: [] });
      expect(await s.requests.getPhoto(r.id)).toBeNull(); // an ended request drops its photo
    });

    test('approved requests are ready to write until a retry time says wait', async () => {
      const s = store(db);
      const r = await pending(s);
      await s.approvals.decide({ requestId: r.id, verb: 'approve', actorId: 'megan', at: later(5), audit: () => null });
      expect((await s.approvals.due(later(6))).apply).toEqual([r.id]);
      await s.approvals.scheduleRetry(r.id, later(60_000));
      expect((await s.approvals.due(later(59_999))).apply).toEqual([]);
      expect((await s.approvals.due(later(60_000))).apply).toEqual([r.id]);
      expect((await s.approvals.get(r.id))?.attempts).toBe(1);
    });

    test('sync state: versions only move forward; copies are kept per conversation and activity', async () => {
      const s = store(db);
      const r = await pending(s);
      expect(await s.approvals.unsynced()).toEqual([r.id]);
      const version = (await s.requests.get(r.id))!.version;
      await s.approvals.markSynced(r.id, { version, revision: 1, notifiedState: 'pending_approval' });
      expect(await s.approvals.unsynced()).toEqual([]);
      await s.approvals.markSynced(r.id, { version: version - 1 });
      expect((await s.approvals.get(r.id))?.syncedVersion).toBe(version);
      const copy = {
        requestId: r.id,
        userId: 'megan',
        locale: 'fi' as const,
        conversationId: 'c1',
        activityId: 'a1',
        reference: '{}',
        sentAt: T0,
      };
      await s.approvals.addCopy(copy);
      await s.approvals.addCopy(copy);
      await s.approvals.addCopy({ ...copy, activityId: 'a2', teamsUserId: '29:megan' });
      expect((await s.approvals.copies(r.id)).map((c) => [c.activityId, c.teamsUserId])).toEqual([
        ['a1', undefined],
        ['a2', '29:megan'],
      ]);
    });
  });

  describe('undo requests', () => {
    test('one live undo per applied request', async () => {
      const s = store(db);
      const r = previewed('alex');
      await s.requests.create(r, photo('r'));
      await s.requests.transition(r.id, 'previewed', 'applying', later(1));
      await s.requests.transition(r.id, 'applying', 'applied', later(2));
      const undo = (id: string) => ({ ...previewed('alex', later(3)), id, source: 'undo' as const, undoOf: r.id });
      expect(await s.requests.createUndo(undo('u1'), photo('old'))).toBe(true);
      expect(await s.requests.get('u1')).toMatchObject({ state: 'applying', flow: 'undo', undoOf: r.id });
      expect(await s.requests.createUndo(undo('u2'), photo('old'))).toBe(false);
      await s.requests.transition('u1', 'applying', 'failed', later(4), 'm365.unavailable');
      expect(await s.requests.createUndo(undo('u3'), photo('old'))).toBe(true); // a failed undo may be tried again
    });
  });
});
