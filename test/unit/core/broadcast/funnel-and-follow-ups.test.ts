/** The funnel's arithmetic and the follow-up schedule (core/broadcast/funnel.ts, follow-ups.ts). */
import { countFunnel, furthestStep, type FunnelRow } from '../../../../bot/src/core/broadcast/funnel';
import { followUpSchedule, followUpsOf } from '../../../../bot/src/core/broadcast/follow-ups';
import type { Campaign } from '../../../../bot/src/core/broadcast/broadcast-types';

const row = (over: Partial<FunnelRow>): FunnelRow => ({
  userId: 'u',
  department: null,
  delivered: true,
  opened: false,
  photo: 'none',
  neededApproval: false,
  visible: null,
  ...over,
});

test('each person counts in every step up to the furthest they reached, and stopped photos beside the steps', () => {
  const rows: FunnelRow[] = [
    row({ delivered: false, department: 'Sales' }),
    row({ department: 'Sales' }),
    row({ opened: true, department: 'Sales' }),
    // A photo sent without coming back first still counts as having come back.
    row({ photo: 'waiting_approval', neededApproval: true, department: 'Marketing' }),
    row({ photo: 'rejected', neededApproval: true }),
    row({ photo: 'applied', visible: null, department: 'Marketing' }),
    row({ photo: 'applied', visible: false }),
    row({ photo: 'applied', visible: true, department: 'Marketing' }),
  ];
  expect(rows.map(furthestStep)).toEqual([
    'recipients',
    'delivered',
    'opened',
    'photo_sent',
    'photo_sent',
    'approved',
    'approved',
    'visible',
  ]);
  const f = countFunnel(rows, new Date(0));
  expect(f.total).toEqual({
    recipients: 8,
    delivered: 7,
    opened: 6,
    photo_sent: 5,
    approved: 3,
    visible: 1,
    waitingApproval: 1,
    rejected: 1,
    failed: 0,
    neededApproval: 2,
    notChecked: 1,
  });
  // Departments by name, people without one last.
  expect(f.departments.map((d) => [d.department, d.counts.recipients, d.counts.visible])).toEqual([
    ['Marketing', 3, 1],
    ['Sales', 3, 0],
    [null, 2, 0],
  ]);
});

test('a follow-up schedule is at most three different whole days from 1 to 60, sorted', () => {
  expect(followUpSchedule(undefined)).toEqual([]);
  expect(followUpSchedule([7, 3])).toEqual([3, 7]);
  for (const bad of [[3, 3], [0], [61], [1.5], [1, 2, 3, 4]])
    expect(() => followUpSchedule(bad)).toThrow(expect.objectContaining({ code: 'broadcast.invalid', status: 400 }));
});

test('follow-ups are scheduled days after the campaign, for its people who have not acted, with ids from its id', () => {
  const c: Campaign = {
    id: 'abcdefgh12',
    createdBy: 'patti',
    createdAt: new Date('2026-12-01T09:00:00Z'),
    message: { kind: 'reminder' },
    audience: { kind: 'group', groupId: 'g1', includeGuests: true, includeDisabled: false },
    sendAt: new Date('2026-12-01T10:00:00Z'),
    state: 'scheduled',
    enqueued: 0,
    throttled: 0,
  };
  expect(followUpsOf(c, [3, 7]).map((f) => [f.id, f.sendAt.toISOString(), f.audience])).toEqual([
    [
      'abcdefgh12-f3',
      '2026-12-04T10:00:00.000Z',
      { kind: 'followup', campaignId: 'abcdefgh12', includeGuests: true, includeDisabled: false },
    ],
    [
      'abcdefgh12-f7',
      '2026-12-08T10:00:00.000Z',
      { kind: 'followup', campaignId: 'abcdefgh12', includeGuests: true, includeDisabled: false },
    ],
  ]);
});
