/** The time-to-visible report: medians and 95th percentiles per system, the 30-day window, and the late list. */
import type { FollowUp } from '../../../../bot/src/core/status/follow-through-types';
import { timeToVisible } from '../../../../bot/src/core/status/time-to-visible';

const NOW = new Date('2026-12-31T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

let seq = 0;
/** A follow-up of a change `ageMinutes` old, with each system visible after the given minutes (or another state). */
function followUp(
  ageMinutes: number,
  systems: Partial<Record<'entra' | 'exchange' | 'sharepoint', number | FollowUp['systems']['entra']>>,
  state: FollowUp['state'] = 'visible',
): FollowUp {
  const changedAt = minutesAgo(ageMinutes);
  const visibility = (v: number | FollowUp['systems']['entra'] | undefined): FollowUp['systems']['entra'] =>
    v === undefined
      ? { state: 'waiting' }
      : typeof v === 'number'
        ? { state: 'visible', at: new Date(changedAt.getTime() + v * 60_000) }
        : v;
  return {
    id: `c${++seq}`,
    userId: `u${seq}`,
    kind: 'self_service',
    locale: 'en',
    changedAt,
    expectedHash: '0000000000000000',
    state,
    checks: 1,
    dueAt: null,
    subject: { upn: `u${seq}@example.com`, guest: false, hybrid: false, mailbox: 'online' },
    systems: {
      entra: visibility(systems.entra),
      exchange: visibility(systems.exchange),
      sharepoint: visibility(systems.sharepoint),
    },
    messages: [],
    lastCheckedAt: null,
    endedAt: null,
  };
}

test('median and 95th percentile of the minutes each system took, over the changes it showed', () => {
  // Exchange: 20 changes, 19 at the first check and one after an hour.
  const rows = Array.from({ length: 20 }, (_, i) =>
    followUp(600, { entra: 1, exchange: i === 0 ? 60 : 1, sharepoint: 5 * (i + 1) }),
  );
  const report = timeToVisible(rows, NOW);
  const by = Object.fromEntries(report.systems.map((s) => [s.system, s]));
  expect(report.changes).toBe(20);
  expect(by.entra).toMatchObject({ visible: 20, medianMinutes: 1, p95Minutes: 1 });
  // 95th percentile interpolated between the 19th and 20th of 20 sorted values: 1 + 0.05 × 59 = 3.95, to a tenth 4.
  expect(by.exchange).toMatchObject({ visible: 20, medianMinutes: 1, p95Minutes: 4 });
  // 5, 10, ... 100: median 52.5, 95th 95.25 → 95.3.
  expect(by.sharepoint).toMatchObject({ visible: 20, medianMinutes: 52.5, p95Minutes: 95.3 });
});

test('only the last 30 days count; states other than visible are counted, and a system nobody showed has no figure', () => {
  const report = timeToVisible(
    [
      followUp(31 * 24 * 60, { entra: 1, exchange: 1, sharepoint: 1 }),
      followUp(100, { entra: 1, exchange: { state: 'not_applicable', reason: 'no_mailbox' } }, 'watching'),
      followUp(5000, { entra: { state: 'unknown', reason: 'hybrid_ad_source' }, exchange: 1 }, 'not_visible'),
      followUp(50, {}, 'superseded'),
    ],
    NOW,
  );
  expect(report.changes).toBe(3);
  const by = Object.fromEntries(report.systems.map((s) => [s.system, s]));
  expect(by.exchange).toMatchObject({ visible: 1, notApplicable: 1, waiting: 0 });
  expect(by.entra).toMatchObject({ visible: 1, unknown: 1 });
  // SharePoint: one still checked, one whose checks ended; the superseded change says nothing.
  expect(by.sharepoint).toEqual({
    system: 'sharepoint',
    visible: 0,
    medianMinutes: null,
    p95Minutes: null,
    waiting: 1,
    notVisible: 1,
    notApplicable: 0,
    unknown: 0,
  });
  expect(report.from).toEqual(new Date(NOW.getTime() - 30 * 86_400_000));
});

test('late: changes older than 24 hours still waiting somewhere, oldest first, with each waiting system and its reason', () => {
  const young = followUp(23 * 60, {}, 'watching');
  const old = followUp(
    48 * 60,
    { entra: 1, exchange: 1, sharepoint: { state: 'waiting', reason: 'sharepoint_own_upload' } },
    'not_visible',
  );
  const older = followUp(70 * 60, { entra: 1 }, 'watching');
  const done = followUp(70 * 60, { entra: 1, exchange: 1, sharepoint: 1 });
  const report = timeToVisible([young, old, older, done], NOW);
  expect(report.late.map((c) => c.id)).toEqual([older.id, old.id]);
  expect(report.late[0]?.waiting).toEqual([{ system: 'exchange' }, { system: 'sharepoint' }]);
  expect(report.late[1]).toMatchObject({
    upn: old.subject?.upn,
    state: 'not_visible',
    waiting: [{ system: 'sharepoint', reason: 'sharepoint_own_upload' }],
  });
});
