/** SqliteAuditLog: filters, newest-first order, limits and round-tripped detail. */
import { openDatabase, type Db } from '../../../bot/src/store/database';
import { SqliteAuditLog } from '../../../bot/src/store/sqlite-audit-log';
import type { AuditEntry } from '../../../bot/src/core/audit/audit-ports';
import { T0 } from '../../support/store-records';

let db: Db;
let log: SqliteAuditLog;
beforeEach(() => {
  db = openDatabase(':memory:');
  log = new SqliteAuditLog(db);
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

test('entries come back as appended, newest first', () => {
  const all = [entry(1, 'alex', 'alex'), entry(2, 'megan', 'alex'), entry(3, 'alex', undefined)];
  for (const e of all) log.append(e);
  expect(log.list({})).toEqual([...all].reverse());
});

test('order is the order of appending, not of the timestamps', () => {
  log.append(entry(1, 'alex', 'alex', at(100)));
  log.append(entry(2, 'alex', 'alex', at(5)));
  expect(log.list({ actorId: 'alex' }).map((e) => e.action)).toEqual(['action.2', 'action.1']);
});

test('filters by subject, by actor, and by both', () => {
  log.append(entry(1, 'alex', 'alex'));
  log.append(entry(2, 'megan', 'alex'));
  log.append(entry(3, 'megan', 'megan'));
  log.append(entry(4, 'patti', 'megan'));
  expect(log.list({ subjectId: 'alex' }).map((e) => e.action)).toEqual(['action.2', 'action.1']);
  expect(log.list({ actorId: 'megan' }).map((e) => e.action)).toEqual(['action.3', 'action.2']);
  expect(log.list({ actorId: 'megan', subjectId: 'megan' }).map((e) => e.action)).toEqual(['action.3']);
  expect(log.list({ actorId: 'nobody' })).toEqual([]);
});

test('limit keeps the newest entries; without one, at most 100', () => {
  for (let n = 1; n <= 105; n++) log.append(entry(n, 'alex', 'alex'));
  expect(log.list({ subjectId: 'alex', limit: 3 }).map((e) => e.action)).toEqual([
    'action.105',
    'action.104',
    'action.103',
  ]);
  const all = log.list({ subjectId: 'alex' });
  expect(all).toHaveLength(100);
  expect(all[0].action).toBe('action.105');
  expect(all[99].action).toBe('action.6');
});
