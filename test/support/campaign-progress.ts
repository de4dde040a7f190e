/** A campaign's progress as the progress card shows it, for card tests. */
import type { CampaignProgress } from '../../bot/src/core/broadcast/broadcast-types';

/** A group campaign 40 of 100 sent, still sending; `overrides` change any part. */
export function campaignProgress(overrides: Partial<CampaignProgress> = {}): CampaignProgress {
  return {
    id: 'campaign-1',
    createdBy: 'p',
    createdAt: '2025-03-01T09:00:00.000Z',
    sendAt: '2025-03-01T09:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    message: { kind: 'reminder' },
    audience: { kind: 'group', groupId: 'g1', includeGuests: true, includeDisabled: false },
    state: 'sending',
    total: 100,
    sent: 40,
    failed: 2,
    unknown: 1,
    waiting: 58,
    outsideWorkingHours: 0,
    cancelled: 0,
    ratePerSecond: 47.5,
    secondsLeft: 2,
    throttled: 1,
    funnel: null,
    ...overrides,
  };
}
