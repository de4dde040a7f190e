/** SqlFollowUps: durable follow-ups of photo changes, claimed by one instance at a time, on both engines. */
import type { FollowUp, NewFollowUp } from '../../../bot/src/core/status/follow-through-types';
import { SqlFollowUps } from '../../../bot/src/store/sql-follow-ups';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';

const T0 = new Date('2026-12-01T09:00:00Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

const change = (id: string, userId = 'u1', minutes = 0): NewFollowUp => ({
  id,
  userId,
  kind: 'self_service',
  locale: 'fi',
  changedAt: at(minutes),
  expectedHash: '0123456789abcdef',
});

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let store: SqlFollowUps;
  beforeEach(async () => {
    db = await openTestStore(engine);
    store = new SqlFollowUps(db);
  });
  afterEach(async () => {
    await db.close();
  });

  test('a change is followed once; its first check is due when asked, and it reads back as it was written', async () => {
    expect(await store.start(change('r1'), at(1))).toBe(true);
    expect(await store.start(change('r1'), at(1))).toBe(false);
    const f = await store.get('r1');
    expect(f).toMatchObject({
      id: 'r1',
      userId: 'u1',
      kind: 'self_service',
      locale: 'fi',
      changedAt: T0,
      state: 'watching',
      checks: 0,
      dueAt: at(1),
      subject: null,
      messages: [],
      systems: { entra: { state: 'waiting' }, exchange: { state: 'waiting' }, sharepoint: { state: 'waiting' } },
    });
    expect(await store.get('nope')).toBeNull();
  });

  test('only due follow-ups are claimed, by one owner, until the lease runs out', async () => {
    await store.start(change('r1', 'u1'), at(1));
    await store.start(change('r2', 'u2'), at(5));
    expect(await store.claimDue('a', 10, at(10), at(0))).toEqual([]);
    expect((await store.claimDue('a', 10, at(10), at(2))).map((f) => f.id)).toEqual(['r1']);
    // Held by a: b gets nothing until the lease runs out, then takes it over.
    expect(await store.claimDue('b', 10, at(20), at(3))).toEqual([]);
    expect((await store.claimDue('b', 10, at(20), at(10))).map((f) => f.id)).toEqual(['r1', 'r2']);
    // a lost it: its save writes nothing.
    const held = (await store.get('r1')) as FollowUp;
    expect(await store.save('a', { ...held, checks: 1 })).toBe(false);
    expect(await store.save('b', { ...held, checks: 1, dueAt: at(60) })).toBe(true);
    expect(await store.get('r1')).toMatchObject({ checks: 1, dueAt: at(60) });
    // Saved means let go: claimable again when due (r2's lease with b ran out too), oldest due first.
    expect((await store.claimDue('a', 10, at(100), at(59))).map((f) => f.id)).toEqual(['r2']);
    expect((await store.claimDue('b', 10, at(100), at(61))).map((f) => f.id)).toEqual(['r1']);
  });

  test('a save keeps what the check found, the visible times and the messages', async () => {
    await store.start(change('r1'), at(1));
    const [f] = await store.claimDue('a', 1, at(5), at(1));
    const checked: FollowUp = {
      ...(f as FollowUp),
      state: 'visible',
      checks: 1,
      dueAt: null,
      subject: { upn: 'a@example.com', guest: false, hybrid: true, mailbox: 'online' },
      systems: {
        entra: { state: 'unknown', reason: 'hybrid_ad_source' },
        exchange: { state: 'visible', at: at(1) },
        sharepoint: { state: 'waiting', reason: 'sharepoint_legacy_sync' },
      },
      messages: ['partial', 'muted'],
      lastCheckedAt: at(1),
      endedAt: at(1),
    };
    expect(await store.save('a', checked)).toBe(true);
    expect(await store.get('r1')).toEqual(checked);
    // An ended follow-up is never written again.
    expect(await store.save('a', { ...checked, checks: 9 })).toBe(false);
  });

  test("a new change supersedes the person's follow-up still watching, and a check of it is not saved", async () => {
    await store.start(change('r1', 'u1', 0), at(1));
    await store.start(change('other', 'u2', 0), at(1));
    const [claimed] = await store.claimDue('a', 1, at(9), at(1));
    await store.start(change('r2', 'u1', 3), at(4));
    expect(await store.get('r1')).toMatchObject({ state: 'superseded', dueAt: null, endedAt: at(3) });
    expect(await store.get('other')).toMatchObject({ state: 'watching' });
    expect(await store.save('a', { ...(claimed as FollowUp), checks: 1 })).toBe(false);
    expect((await store.since(at(0), 10)).map((f) => f.id)).toEqual(['other', 'r1', 'r2']);
    expect((await store.since(at(1), 10)).map((f) => f.id)).toEqual(['r2']);
  });

  test('retention forgets ended follow-ups of old changes, never one still watching', async () => {
    await store.start(change('old-ended', 'u1', 0), at(1));
    await store.start(change('old-watching', 'u2', 0), at(1));
    await store.start(change('new-ended', 'u3', 10), at(11));
    const claimed = await store.claimDue('a', 10, at(30), at(20));
    for (const f of claimed.filter((c) => c.id !== 'old-watching'))
      await store.save('a', { ...f, state: 'visible', dueAt: null, endedAt: at(20) });
    expect(await store.forgetEndedBefore(at(5))).toBe(1);
    expect(await store.get('old-ended')).toBeNull();
    expect(await store.get('old-watching')).not.toBeNull();
    expect(await store.get('new-ended')).not.toBeNull();
  });

  test('two owners claiming at once never take the same follow-up', async () => {
    for (let i = 0; i < 40; i++) await store.start(change(`r${i}`, `u${i}`), at(1));
    const [a, b] = await Promise.all([store.claimDue('a', 25, at(10), at(2)), store.claimDue('b', 25, at(10), at(2))]);
    const ids = [...a, ...b].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
  });
});
