/**
 * Follow-ups: "remind those who haven't acted". A campaign can ask for follow-up campaigns a few days after it
 * (3 and 7, say); each is created at once, scheduled, and reaches at its time only the people the first campaign
 * reached who have not sent a photo since (funnel.ts: delivered or opened, not further). Stopping the first
 * campaign stops its follow-ups that have not started. A limit on reminders per person over 30 days
 * (`BROADCAST_MAX_REMINDERS`) holds for every campaign, follow-ups or not. See docs/broadcast.md.
 */
import { AppError } from '../errors';
import type { BroadcastStores } from './broadcast-store';
import type { AudienceMember, AudienceSource, Campaign, CampaignAudience } from './broadcast-types';
import { furthestStep } from './funnel';

/** The most follow-ups one campaign may ask for, and how far after it they may be. */
const MAX_FOLLOW_UPS = 3;
const MAX_FOLLOW_UP_DAYS = 60;
const DAY_MS = 86_400_000;
/** The window of the reminders-per-person limit. */
export const REMINDER_LIMIT_WINDOW_MS = 30 * DAY_MS;
const PAGE = 500;

/** Throws broadcast.invalid unless `days` is a usable follow-up schedule; returns it sorted. */
export function followUpSchedule(days: readonly number[] | undefined): number[] {
  if (!days || days.length === 0) return [];
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (
    sorted.length !== days.length ||
    sorted.length > MAX_FOLLOW_UPS ||
    sorted.some((d) => !Number.isInteger(d) || d < 1 || d > MAX_FOLLOW_UP_DAYS)
  )
    throw new AppError(
      'broadcast.invalid',
      `Expected at most ${MAX_FOLLOW_UPS} different follow-ups of 1 to ${MAX_FOLLOW_UP_DAYS} days; received ${days
        .join(', ')
        .slice(0, 60)}.`,
      { status: 400 },
    );
  return sorted;
}

/** The follow-up campaigns of `c` for `days` (ids derived from its id, so that creating them again adds none). */
export function followUpsOf(c: Campaign, days: readonly number[]): Campaign[] {
  return days.map((d) => ({
    id: `${c.id.slice(0, 56)}-f${d}`,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    message: c.message,
    audience: {
      kind: 'followup',
      campaignId: c.id,
      includeGuests: c.audience.includeGuests,
      includeDisabled: c.audience.includeDisabled,
    },
    sendAt: new Date(c.sendAt.getTime() + d * DAY_MS),
    state: 'scheduled',
    enqueued: 0,
    throttled: 0,
  }));
}

/** Whether `candidate` is a follow-up of campaign `id`. */
export function isFollowUpOf(candidate: Campaign, id: string): boolean {
  return candidate.audience.kind === 'followup' && candidate.audience.campaignId === id;
}

/**
 * Audiences with follow-ups: a `followup` audience streams, from the store, the first campaign's recipients who got
 * it and have not sent a photo since; every other audience comes from `inner` (the directory, a coverage scan).
 */
export class FollowUpAudience implements AudienceSource {
  constructor(
    private readonly inner: AudienceSource,
    private readonly store: Pick<BroadcastStores, 'jobs' | 'funnel'>,
  ) {}

  async *pages(audience: CampaignAudience): AsyncIterable<AudienceMember[]> {
    if (audience.kind !== 'followup') {
      yield* this.inner.pages(audience);
      return;
    }
    const of = audience.campaignId ?? '';
    for (let after = ''; ;) {
      const outcomes = await this.store.jobs.outcomes(of, after, PAGE);
      if (outcomes.length === 0) return;
      const { rows } = await this.store.funnel.funnelRows(of, { afterUserId: after, limit: PAGE });
      const byUser = new Map(rows.map((r) => [r.userId, r]));
      yield outcomes.flatMap((o): AudienceMember[] => {
        const row = byUser.get(o.userId);
        const step = row ? furthestStep(row) : 'recipients';
        if (o.state !== 'sent' || (step !== 'delivered' && step !== 'opened')) return [];
        // The first campaign already applied its guest and disabled-account rules to these people.
        return [
          {
            userId: o.userId,
            upn: o.upn,
            displayName: o.displayName,
            preferredLanguage: o.locale,
            userType: 'Member',
            accountEnabled: true,
            department: row?.department ?? undefined,
          },
        ];
      });
      after = (outcomes[outcomes.length - 1] as { userId: string }).userId;
    }
  }
}

/** `members` less those who already got `limit` reminders since `sinceMs` (0: no limit). */
export async function withinReminderLimit<T extends { userId: string }>(
  jobs: BroadcastStores['jobs'],
  members: T[],
  limit: number,
  sinceMs: number,
): Promise<T[]> {
  if (limit <= 0 || members.length === 0) return members;
  const sent = await jobs.sentCounts(
    members.map((m) => m.userId),
    sinceMs,
  );
  return members.filter((m) => (sent.get(m.userId) ?? 0) < limit);
}
