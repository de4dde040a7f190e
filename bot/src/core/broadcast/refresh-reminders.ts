/**
 * Refresh reminders: "time for a new photo?" for people whose photo is older than a set age (tenant setting, off by
 * default, 24 months). Photo age comes from core/coverage/photo-age.ts: when Headshot applied the picture, or when a
 * coverage scan first saw it ("at least since"). After each finished scan, with the setting on, Headshot starts one
 * refresh campaign from that scan (id `refresh-<scan id>`, so several instances start it once). A person gets one
 * refresh reminder per picture, never again until their photo changes; opt-outs and the limit per person hold as
 * for every campaign. See docs/broadcast.md.
 */
import { AppError } from '../errors';
import type { Clock } from '../clock';
import type { CoverageStore } from '../coverage/coverage-service';
import type { PhotoSightingStore } from '../coverage/photo-age';
import type { CoverageUser } from '../coverage/coverage-types';
import { audienceMemberOf, type AudienceMember, type AudienceSource, type CampaignAudience } from './broadcast-types';
import type { RecipientJobStore } from './recipient-job-store';
import { REFRESH_MAX_MONTHS, REFRESH_MIN_MONTHS, type RefreshSetting } from '../settings/tenant-settings';

const PAGE = 500;

/** The moment `months` calendar months before `now` (UTC): photos first seen at or before it are old. */
export function refreshCutoff(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  // 31 March less one month is the last day of February, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Throws broadcast.invalid unless `months` is an age an admin may set. */
export function checkRefreshMonths(months: unknown): number {
  if (
    typeof months !== 'number' ||
    !Number.isInteger(months) ||
    months < REFRESH_MIN_MONTHS ||
    months > REFRESH_MAX_MONTHS
  )
    throw new AppError(
      'broadcast.invalid',
      `Expected a photo age of ${REFRESH_MIN_MONTHS} to ${REFRESH_MAX_MONTHS} whole months; received ${String(months).slice(0, 20)}.`,
      { status: 400 },
    );
  return months;
}

/**
 * Audiences with refresh reminders: a `refresh` audience streams, from the newest finished coverage scan, the
 * people with a photo whose picture is older than the audience's age and who got no refresh reminder since it
 * appeared; every other audience comes from `inner`.
 */
export class RefreshAudience implements AudienceSource {
  constructor(
    private readonly inner: AudienceSource,
    private readonly d: {
      coverage: Pick<CoverageStore, 'latestDone' | 'page'>;
      sightings: Pick<PhotoSightingStore, 'get'>;
      jobs: Pick<RecipientJobStore, 'lastRefreshReminders'>;
      clock: Clock;
    },
  ) {}

  async *pages(audience: CampaignAudience): AsyncIterable<AudienceMember[]> {
    if (audience.kind !== 'refresh') {
      yield* this.inner.pages(audience);
      return;
    }
    const scan = await this.d.coverage.latestDone();
    if (!scan) throw new AppError('broadcast.no_coverage', 'no finished coverage scan');
    const cutoff = refreshCutoff(this.d.clock.now(), checkRefreshMonths(audience.olderThanMonths)).getTime();
    for (let after = ''; ;) {
      const rows = await this.d.coverage.page(scan.id, after, PAGE, ['has_photo']);
      if (rows.length === 0) return;
      after = (rows[rows.length - 1] as { user: CoverageUser }).user.id;
      const ids = rows.map((r) => r.user.id);
      const sightings = await this.d.sightings.get(ids);
      const old = rows.filter((r) => (sightings.get(r.user.id)?.firstSeenAt.getTime() ?? Infinity) <= cutoff);
      if (old.length === 0) continue;
      const reminded = await this.d.jobs.lastRefreshReminders(old.map((r) => r.user.id));
      yield old
        .filter((r) => {
          const last = reminded.get(r.user.id);
          return last === undefined || last < (sightings.get(r.user.id)?.firstSeenAt ?? last);
        })
        .map((r) => audienceMemberOf(r.user));
    }
  }
}

/**
 * Starts the refresh campaign of the newest finished coverage scan when the setting is on. The service's timer
 * calls `check` every tick; each scan and age is looked at once per process (a campaign that exists already is
 * never made again, and an audience of nobody makes none).
 */
export class RefreshReminders {
  private checked = '';

  constructor(
    private readonly d: {
      setting: () => Promise<RefreshSetting>;
      coverage: Pick<CoverageStore, 'latestDone'>;
      create: (scanId: string, months: number) => Promise<unknown>;
    },
  ) {}

  async check(): Promise<void> {
    const setting = await this.d.setting();
    if (!setting.enabled) return;
    const scan = await this.d.coverage.latestDone();
    const key = `${scan?.id}/${setting.afterMonths}`;
    if (!scan || key === this.checked) return;
    await this.d.create(scan.id, setting.afterMonths);
    this.checked = key;
  }
}
