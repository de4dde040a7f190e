/** The broadcast stores on both engines: the shared pace, and exclusive, leased recipient jobs. */
import type { SqlDb } from '../../../../bot/src/store/sql/sql-db';
import type { BroadcastStores } from '../../../../bot/src/core/broadcast/broadcast-store';
import { sqlBroadcastStores } from '../../../../bot/src/store/broadcast/sql-broadcast-stores';
import { ENGINES, openTestStore, openTwoInstances } from '../../../support/stores';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let store: BroadcastStores;
  beforeAll(async () => {
    db = await openTestStore(engine);
    store = sqlBroadcastStores(db);
  });
  afterAll(() => db.close());

  test('the pacer hands out one slot per interval, shared, and a pause moves every later slot', async () => {
    const a = await store.pace.acquireSlot(20, 1_000);
    const b = await store.pace.acquireSlot(20, 1_000);
    const c = await store.pace.acquireSlot(20, 1_005);
    expect([a, b, c]).toEqual([1_000, 1_020, 1_040]);
    await store.pace.pause(5_000);
    expect(await store.pace.acquireSlot(20, 1_050)).toBe(5_000);
    expect(await store.pace.acquireSlot(20, 1_050)).toBe(5_020);
  });

  test('claims are exclusive, unique per recipient, and a dead owner leaves claimed jobs queued but sending ones unknown', async () => {
    const now = new Date();
    await store.campaigns.createCampaign({
      id: 'campaign-1',
      createdBy: 'admin',
      createdAt: now,
      message: { kind: 'reminder' },
      audience: { kind: 'everyone', includeGuests: false, includeDisabled: false },
      sendAt: now,
      state: 'scheduled',
      enqueued: 0,
      throttled: 0,
    });
    expect(await store.campaigns.claimEnqueue('campaign-1', 'A', 10_000, 0, now)).toBe(true);
    expect(await store.campaigns.claimEnqueue('campaign-1', 'B', 10_000, 0, now)).toBe(false);
    const people = ['u1', 'u2', 'u3', 'u4'].map((userId) => ({
      userId,
      upn: userId,
      displayName: userId,
      locale: 'en' as const,
    }));
    expect(await store.campaigns.addRecipients('campaign-1', 'A', people, 10_000, 0)).toBe(true);
    expect(await store.campaigns.addRecipients('campaign-1', 'A', people, 10_000, 0)).toBe(true);
    expect((await store.jobs.counts('campaign-1')).total).toBe(4);
    const a = await store.jobs.claim('A', 2, 100, 0);
    const b = await store.jobs.claim('B', 10, 10_000, 0);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(new Set([...a, ...b].map((j) => j.userId)).size).toBe(4);
    expect(await store.jobs.startSending(a[0]!, 'B', 1)).toBe(false); // not B's
    expect(await store.jobs.startSending(a[0]!, 'A', 1)).toBe(true);
    // A dies; after its lease: its sending job is unknown, its claimed one is queued again for C.
    const c = await store.jobs.claim('C', 10, 1_000, 200);
    expect(c.map((j) => j.userId)).toEqual([a[1]!.userId]);
    expect((await store.jobs.outcomes('campaign-1', '', 10)).find((o) => o.userId === a[0]!.userId)).toMatchObject({
      state: 'failed',
      reason: 'unknown_outcome',
    });
    expect(await store.jobs.counts('campaign-1')).toMatchObject({ total: 4, failed: 1, unknown: 1, waiting: 3 });
  });

  test('two instances at once: every slot of the shared pace is handed out once, and every job is claimed by one', async () => {
    const two = await openTwoInstances(engine);
    try {
      const [a, b] = [sqlBroadcastStores(two.a), sqlBroadcastStores(two.b)];
      const now = new Date();
      await a.campaigns.createCampaign({
        id: 'shared',
        createdBy: 'admin',
        createdAt: now,
        message: { kind: 'reminder' },
        audience: { kind: 'everyone', includeGuests: false, includeDisabled: false },
        sendAt: now,
        state: 'scheduled',
        enqueued: 0,
        throttled: 0,
      });
      expect(await a.campaigns.claimEnqueue('shared', 'A', 10_000, 0, now)).toBe(true);
      const people = Array.from({ length: 300 }, (_, i) => ({
        userId: `u${String(i).padStart(3, '0')}`,
        upn: `u${i}`,
        displayName: `U ${i}`,
        locale: 'en' as const,
      }));
      expect(await a.campaigns.addRecipients('shared', 'A', people, 10_000, 0)).toBe(true);
      expect(await a.campaigns.finishEnqueue('shared', 'A', 0)).toBe(true);

      // 60 slots asked for at the same moment by two instances: 60 different slots, 10 ms apart.
      const slots = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).pace.acquireSlot(10, 1_000_000)),
      );
      expect([...slots].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => 1_000_000 + i * 10));

      // Both instances claim in small batches, at the same time, until nothing is left.
      const claimed: string[] = [];
      const drain = async (s: BroadcastStores, owner: string) => {
        for (;;) {
          const batch = await s.jobs.claim(owner, 7, 60_000, 1);
          if (batch.length === 0) return;
          claimed.push(...batch.map((j) => j.userId));
        }
      };
      await Promise.all([drain(a, 'A'), drain(b, 'B'), drain(a, 'A2'), drain(b, 'B2')]);
      expect(claimed).toHaveLength(300);
      expect(new Set(claimed).size).toBe(300);
    } finally {
      await two.done();
    }
  });
});
