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

  test('the pace keeps its window in the store: grants, a 429 pause and the limit it teaches outlive the caller', async () => {
    const rules = { limit: 4, windowMs: 1000, guardMs: 10, probeMs: 30_000 };
    expect(await store.pace.tryAcquire(rules, 1_000)).toEqual({ grantedAt: 1_000 });
    // Half the even spacing (1000 / 4 / 2) before the next.
    expect(await store.pace.tryAcquire(rules, 1_001)).toEqual({ waitUntil: 1_125 });
    for (const t of [1_125, 1_250, 1_375]) expect(await store.pace.tryAcquire(rules, t)).toEqual({ grantedAt: t });
    // Four in the window: the next when the first leaves it (1000 + 1000 + the 10 ms guard).
    expect(await store.pace.tryAcquire(rules, 1_500)).toEqual({ waitUntil: 2_010 });
    // A 429 to the third grant with two accepted before it: Teams allows 2 a second; nobody sends before 3,000.
    await store.pace.throttled(rules, 1_250, 3_000, 1_260);
    expect(await store.pace.learnedLimit()).toBe(2);
    expect(await store.pace.tryAcquire(rules, 2_500)).toEqual({ waitUntil: 3_000 });
    expect(await store.pace.tryAcquire(rules, 3_000)).toEqual({ grantedAt: 3_000 });
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

  test('a refresh reminder counts from its campaign time once queued, held for working hours or sent; not once failed', async () => {
    const sendAt = new Date('2027-06-01T08:00:00Z');
    await store.campaigns.createCampaign({
      id: 'refresh-scan-1',
      createdBy: 'headshot',
      createdAt: sendAt,
      message: { kind: 'refresh' },
      audience: { kind: 'refresh', olderThanMonths: 24, includeGuests: false, includeDisabled: false },
      sendAt,
      state: 'scheduled',
      enqueued: 0,
      throttled: 0,
    });
    expect(await store.campaigns.claimEnqueue('refresh-scan-1', 'A', 10_000, 0, sendAt)).toBe(true);
    const people = ['r1', 'r2', 'r3'].map((userId) => ({
      userId,
      upn: userId,
      displayName: userId,
      locale: 'en' as const,
    }));
    expect(await store.campaigns.addRecipients('refresh-scan-1', 'A', people, 10_000, 0)).toBe(true);
    await store.campaigns.finishEnqueue('refresh-scan-1', 'A', 0);
    const claimed = await store.jobs.claim('A', 10, 10_000, 0);
    const job = (id: string) => claimed.find((j) => j.userId === id)!;
    // r1 waits for working hours, r2 is sent, r3 fails: only r1 and r2 have their refresh reminder.
    expect(await store.jobs.holdForWorkingHours(job('r1'), 'A', 50_000, 1)).toBe(true);
    expect(await store.jobs.startSending(job('r2'), 'A', 1)).toBe(true);
    expect(await store.jobs.recordSent(job('r2'), 'A', 'act-2', 'conv-2', 2)).toBe(true);
    expect(await store.jobs.startSending(job('r3'), 'A', 1)).toBe(true);
    expect(await store.jobs.recordFailed(job('r3'), 'A', 'blocked', 2)).toBe(true);
    const last = await store.jobs.lastRefreshReminders(['r1', 'r2', 'r3', 'nobody']);
    expect([...last.entries()].sort()).toEqual([
      ['r1', sendAt],
      ['r2', sendAt],
    ]);
    expect(await store.jobs.counts('refresh-scan-1')).toMatchObject({ waiting: 1, outsideWorkingHours: 1, sent: 1 });
  });

  test('two instances at once: the shared pace holds the window for both, and every job is claimed by one', async () => {
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

      // Two instances asking at the same moments, every millisecond for 3 s: together they stay under the limit in
      // every one-second window, and use it.
      const rules = { limit: 20, windowMs: 1000, guardMs: 10, probeMs: 30_000 };
      const grants: number[] = [];
      for (let t = 1_000_000; t < 1_003_000; t += 5) {
        const answers = await Promise.all([a.pace.tryAcquire(rules, t), b.pace.tryAcquire(rules, t)]);
        for (const x of answers) if ('grantedAt' in x) grants.push(x.grantedAt);
      }
      expect(Math.max(...grants.map((t) => grants.filter((u) => u > t - 1000 && u <= t).length))).toBe(20);
      expect(grants.length).toBeGreaterThanOrEqual(58);

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

      // The admin's chat: one progress card update every 2 s, whichever instance asks.
      const claims = await Promise.all([
        a.cards.claimConversationUpdate('19:admin-chat', 10_000, 2_000),
        b.cards.claimConversationUpdate('19:admin-chat', 10_000, 2_000),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await b.cards.claimConversationUpdate('19:admin-chat', 11_999, 2_000)).toBe(false);
      expect(await b.cards.claimConversationUpdate('19:other-chat', 11_999, 2_000)).toBe(true);
      expect(await b.cards.claimConversationUpdate('19:admin-chat', 12_000, 2_000)).toBe(true);
    } finally {
      await two.done();
    }
  });
});
