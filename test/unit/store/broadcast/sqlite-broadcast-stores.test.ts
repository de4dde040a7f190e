/** The broadcast stores on in-memory SQLite: the shared pace, and exclusive, leased recipient jobs. */
import { openDatabase } from '../../../../bot/src/store/database';
import { sqliteBroadcastStores } from '../../../../bot/src/store/broadcast/sqlite-broadcast-stores';

describe('the store', () => {
  const db = openDatabase(':memory:');
  const store = sqliteBroadcastStores(db);
  afterAll(() => db.close());

  test('the pacer hands out one slot per interval, shared, and a pause moves every later slot', () => {
    const a = store.pace.acquireSlot(20, 1_000);
    const b = store.pace.acquireSlot(20, 1_000);
    const c = store.pace.acquireSlot(20, 1_005);
    expect([a, b, c]).toEqual([1_000, 1_020, 1_040]);
    store.pace.pause(5_000);
    expect(store.pace.acquireSlot(20, 1_050)).toBe(5_000);
    expect(store.pace.acquireSlot(20, 1_050)).toBe(5_020);
  });

  test('claims are exclusive, unique per recipient, and a dead owner leaves claimed jobs queued but sending ones unknown', () => {
    const now = new Date();
    store.campaigns.createCampaign({
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
    expect(store.campaigns.claimEnqueue('campaign-1', 'A', 10_000, 0, now)).toBe(true);
    expect(store.campaigns.claimEnqueue('campaign-1', 'B', 10_000, 0, now)).toBe(false);
    const people = ['u1', 'u2', 'u3', 'u4'].map((userId) => ({
      userId,
      upn: userId,
      displayName: userId,
      locale: 'en' as const,
    }));
    expect(store.campaigns.addRecipients('campaign-1', 'A', people, 10_000, 0)).toBe(true);
    expect(store.campaigns.addRecipients('campaign-1', 'A', people, 10_000, 0)).toBe(true);
    expect(store.jobs.counts('campaign-1').total).toBe(4);
    const a = store.jobs.claim('A', 2, 100, 0);
    const b = store.jobs.claim('B', 10, 10_000, 0);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(new Set([...a, ...b].map((j) => j.userId)).size).toBe(4);
    expect(store.jobs.startSending(a[0]!, 'B', 1)).toBe(false); // not B's
    expect(store.jobs.startSending(a[0]!, 'A', 1)).toBe(true);
    // A dies; after its lease: its sending job is unknown, its claimed one is queued again for C.
    const c = store.jobs.claim('C', 10, 1_000, 200);
    expect(c.map((j) => j.userId)).toEqual([a[1]!.userId]);
    expect(store.jobs.outcomes('campaign-1', '', 10).find((o) => o.userId === a[0]!.userId)).toMatchObject({
      state: 'failed',
      reason: 'unknown_outcome',
    });
    expect(store.jobs.counts('campaign-1')).toMatchObject({ total: 4, failed: 1, unknown: 1, waiting: 3 });
  });
});
