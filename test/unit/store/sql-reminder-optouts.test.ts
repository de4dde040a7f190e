/** SqlReminderOptOuts: who asked for no more photo reminders, on both engines. */
import { withoutOptedOut } from '../../../bot/src/core/broadcast/reminder-optouts';
import { SqlReminderOptOuts } from '../../../bot/src/store/broadcast/sql-reminder-optouts';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let optOuts: SqlReminderOptOuts;
  beforeEach(async () => {
    db = await openTestStore(engine);
    optOuts = new SqlReminderOptOuts(db);
  });
  afterEach(async () => {
    await db.close();
  });

  test('opting out is recorded once, opting in forgets it, and each says whether it changed anything', async () => {
    expect(await optOuts.optOut('u1', new Date(1_000))).toBe(true);
    expect(await optOuts.optOut('u1', new Date(2_000))).toBe(false);
    expect([...(await optOuts.optedOut(['u1', 'u2']))]).toEqual(['u1']);
    expect(await optOuts.optIn('u1')).toBe(true);
    expect(await optOuts.optIn('u1')).toBe(false);
    expect(await optOuts.optedOut(['u1'])).toEqual(new Set());
  });

  test('a long audience is checked in chunks, and only the people who opted out are left out, in order', async () => {
    const members = Array.from({ length: 1_234 }, (_, i) => ({ userId: `u${i}` }));
    for (const i of [0, 499, 500, 1_233]) await optOuts.optOut(`u${i}`, new Date(0));
    const kept = await withoutOptedOut(optOuts, members);
    expect(kept).toHaveLength(1_230);
    expect(kept.slice(0, 2).map((m) => m.userId)).toEqual(['u1', 'u2']);
    expect(kept.some((m) => ['u0', 'u499', 'u500', 'u1233'].includes(m.userId))).toBe(false);
    expect(await withoutOptedOut(undefined, members)).toHaveLength(1_234);
  });
});
