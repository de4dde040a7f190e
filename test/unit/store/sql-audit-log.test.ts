/** SqlAuditLog: filters, newest-first order, limits and round-tripped detail. */
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import type { AuditEntry } from '../../../bot/src/core/audit/audit-ports';
import { T0 } from '../../support/store-records';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let log: SqlAuditLog;
  beforeEach(async () => {
    db = await openTestStore(engine);
    log = new SqlAuditLog(db);
  });
  afterEach(() => db.close());

  const at = (s: number) => new Date(T0.getTime() + s * 1000);
  const entry = (n: number, actorId: string, subjectId: string | undefined, when = at(n)): AuditEntry => ({
    at: when,
    actorId,
    action: `action.${n}`,
    subjectId,
    requestId: n % 2 === 0 ? `req-${n}` : undefined,
    outcome: n % 3 === 0 ? 'refused' : 'ok',
    detail: n % 2 === 0 ? { n, flag: true, none: null, text: 'ä→ü' } : undefined,
  });

  test('entries come back as appended, newest first', async () => {
    const all = [entry(1, 'alex', 'alex'), entry(2, 'megan', 'alex'), entry(3, 'alex', undefined)];
    for (const e of all) await log.append(e);
    expect(await log.list({})).toEqual([...all].reverse());
  });

  test('order is the order of appending, not of the timestamps', async () => {
    await log.append(entry(1, 'alex', 'alex', at(100)));
    await log.append(entry(2, 'alex', 'alex', at(5)));
    expect((await log.list({ actorId: 'alex' })).map((e) => e.action)).toEqual(['action.2', 'action.1']);
  });

  test('filters by subject, by actor, and by both', async () => {
    await log.append(entry(1, 'alex', 'alex'));
    await log.append(entry(2, 'megan', 'alex'));
    await log.append(entry(3, 'megan', 'megan'));
    await log.append(entry(4, 'patti', 'megan'));
    expect((await log.list({ subjectId: 'alex' })).map((e) => e.action)).toEqual(['action.2', 'action.1']);
    expect((await log.list({ actorId: 'megan' })).map((e) => e.action)).toEqual(['action.3', 'action.2']);
    expect((await log.list({ actorId: 'megan', subjectId: 'megan' })).map((e) => e.action)).toEqual(['action.3']);
    expect(await log.list({ actorId: 'nobody' })).toEqual([]);
  });

  test('limit keeps the newest entries; without one, at most 100', async () => {
    for (let n = 1; n <= 105; n++) await log.append(entry(n, 'alex', 'alex'));
    expect((await log.list({ subjectId: 'alex', limit: 3 })).map((e) => e.action)).toEqual([
      'action.105',
      'action.104',
      'action.103',
    ]);
    const all = await log.list({ subjectId: 'alex' });
    expect(all).toHaveLength(100);
    expect(all[0].action).toBe('action.105');
    expect(all[99].action).toBe('action.6');
  });
});
