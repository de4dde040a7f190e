/** Pure parts of broadcasts: backoff, the shared pacer and claims on in-memory SQLite, coverage rules, and the cards. */
import { backoffMs } from '../../../bot/src/core/broadcast/backoff';
import { classify } from '../../../bot/src/core/coverage/classify';
import type { CoverageUser } from '../../../bot/src/core/coverage/coverage-types';
import { csvCell } from '../../../bot/src/core/admin/csv';
import { openDatabase } from '../../../bot/src/store/database';
import { sqliteBroadcastStores } from '../../../bot/src/store/broadcast/sqlite-broadcast-stores';
import { coverageCard } from '../../../bot/src/teams/cards/coverage-card';
import { progressCard } from '../../../bot/src/teams/cards/broadcast-progress-card';
import { composeCard } from '../../../bot/src/teams/cards/broadcast-compose-card';
import { reminderCard } from '../../../bot/src/teams/cards/reminder-card';
import { CARD_VERBS, type JsonObject } from '../../../bot/src/teams/cards/types';
import { LOCALES } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions } from '../../support/teams-chat';

test('backoff doubles with full jitter between half and all of the ceiling, capped; Retry-After wins', () => {
  const o = (r: number) => ({ baseMs: 1000, maxMs: 60_000, random: () => r });
  expect(backoffMs(1, undefined, o(0))).toBe(500);
  expect(backoffMs(1, undefined, o(1))).toBe(1000);
  expect(backoffMs(3, undefined, o(1))).toBe(4000);
  expect(backoffMs(20, undefined, o(1))).toBe(60_000);
  expect(backoffMs(2, 7, o(0.5))).toBe(7000);
});

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

test('coverage rules: the first that matches wins', () => {
  const u = (x: Partial<CoverageUser> = {}): CoverageUser => ({
    id: 'u',
    userPrincipalName: 'u@x',
    displayName: 'U',
    userType: 'Member',
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    licensed: true,
    ...x,
  });
  const photo = (side: number) => ({ ok: true as const, value: { width: side, height: side } });
  const none = { ok: true as const, value: null };
  expect(classify(u({ userType: 'Guest' }), photo(648), null, 240)).toMatchObject({
    category: 'not_applicable',
    reason: 'guest',
  });
  expect(classify(u(), { ok: false, error: { code: 'm365.unexpected', retryable: false } }, null, 240).category).toBe(
    'unknown',
  );
  expect(classify(u({ onPremisesSyncEnabled: true }), photo(96), null, 240).reason).toBe('hybrid_ad_thumbnail_only');
  expect(classify(u({ onPremisesSyncEnabled: true }), photo(648), null, 240).category).toBe('has_photo');
  expect(classify(u(), none, null, 240).category).toBe('no_photo');
  expect(classify(u(), photo(120), null, 240).reason).toBe('small_photo');
  expect(classify(u(), photo(648), true, 240).reason).toBe('sharepoint_placeholder');
});

test('CSV cells are quoted when needed and never run as formulas', () => {
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvCell(null)).toBe('');
});

test.each([...LOCALES])('every admin card is valid Adaptive Cards 1.5 in %s, with known verbs', (locale) => {
  const counts = { has_photo: 5, no_photo: 3, placeholder_or_stale: 1, hybrid_stuck: 1, not_applicable: 2, unknown: 1 };
  const view = {
    scanId: 's1',
    startedAt: '2025-03-01T09:00:00.000Z',
    finishedAt: null,
    scanned: 13,
    counts,
    coverage: 0.45,
  };
  const progress = {
    id: 'campaign-1',
    createdBy: 'p',
    createdAt: '2025-03-01T09:00:00.000Z',
    sendAt: '2025-03-01T09:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    message: { kind: 'reminder' as const },
    audience: { kind: 'group' as const, groupId: 'g1', includeGuests: true, includeDisabled: false },
    total: 100,
    sent: 40,
    failed: 2,
    unknown: 1,
    waiting: 58,
    cancelled: 0,
    ratePerSecond: 47.5,
    secondsLeft: 2,
    throttled: 1,
  };
  const cards = [
    coverageCard(locale, null),
    coverageCard(locale, { ...view, state: 'running' }),
    coverageCard(locale, { ...view, state: 'done', finishedAt: '2025-03-01T09:05:00.000Z' }),
    coverageCard(locale, { ...view, state: 'failed' }),
    composeCard(locale, {
      draftId: 'draft-123456',
      audience: 'group',
      groupId: 'g1',
      message: 'custom',
      customText: 'Hi',
    }),
    reminderCard(locale, { kind: 'reminder' }),
    reminderCard(locale, { kind: 'custom', text: 'Please add a photo' }),
    ...(['scheduled', 'sending', 'done', 'cancelled'] as const).map((state) =>
      progressCard(locale, { ...progress, state }),
    ),
  ];
  for (const card of cards) {
    expectValidCard(card);
    for (const a of cardActions(card))
      if (a.type === 'Action.Submit') expect(CARD_VERBS).toContain((a.data as JsonObject).verb);
  }
});
