/**
 * The time-to-visible report: from Headshot's follow-ups, how long each system took to show a new photo (median and
 * 95th percentile over the last 30 days, with counts), and the changes still not visible after 24 hours with the
 * reason. Times are measured at the follow-up's checks (1, 5, 15, 60 minutes, then every 6 hours), so each is an
 * upper bound within one check interval. Teams is not measured: no API says what a Teams client cached.
 */
import { median, quantileSorted } from 'simple-statistics';
import {
  FOLLOWED_SYSTEMS,
  type ChangeKind,
  type FollowedSystem,
  type FollowUp,
  type FollowUpState,
  type FollowUpStore,
  type Visibility,
} from './follow-through-types';
import type { ReasonCode } from './status-types';

/** The report's window and its "late" line. */
export interface TimeToVisibleOptions {
  /** Changes made in the last this many days (30). */
  days: number;
  /** A change still not visible somewhere this many hours after it is listed (24). */
  lateAfterHours: number;
}

/** The default window: 30 days, late after 24 hours. */
export const TIME_TO_VISIBLE_DEFAULTS: TimeToVisibleOptions = { days: 30, lateAfterHours: 24 };

/** One system's figures. */
interface SystemTimes {
  system: FollowedSystem;
  /** Changes it showed, and the minutes it took (null without any). */
  visible: number;
  medianMinutes: number | null;
  p95Minutes: number | null;
  /** Changes it does not show yet, still checked. */
  waiting: number;
  /** Changes it had not shown when the checks ended. */
  notVisible: number;
  /** Changes of people for whom it keeps no photo, or cannot be read. */
  notApplicable: number;
  unknown: number;
}

/** A change still not visible everywhere after the late line. */
interface LateChange {
  id: string;
  userId: string;
  upn?: string;
  kind: ChangeKind;
  changedAt: Date;
  state: FollowUpState;
  /** Each system still waiting, with its main reason when known. */
  waiting: { system: FollowedSystem; reason?: ReasonCode }[];
}

/** The report. */
export interface TimeToVisibleReport {
  from: Date;
  to: Date;
  /** Changes followed in the window (superseded ones included: what showed before the next change counts). */
  changes: number;
  systems: SystemTimes[];
  late: LateChange[];
}

const minutesBetween = (a: Date, b: Date): number => (b.getTime() - a.getTime()) / 60_000;

/** Rounds to a tenth of a minute. */
const tenth = (n: number): number => Math.round(n * 10) / 10;

/** The report over `followUps` (any order) as of `now`. */
export function timeToVisible(
  followUps: readonly FollowUp[],
  now: Date,
  options: TimeToVisibleOptions = TIME_TO_VISIBLE_DEFAULTS,
): TimeToVisibleReport {
  const from = new Date(now.getTime() - options.days * 86_400_000);
  const inWindow = followUps.filter((f) => f.changedAt >= from && f.changedAt <= now);
  const systems = FOLLOWED_SYSTEMS.map((system): SystemTimes => {
    const minutes: number[] = [];
    const counts = { waiting: 0, notVisible: 0, notApplicable: 0, unknown: 0 };
    for (const f of inWindow) {
      const v: Visibility = f.systems[system];
      if (v.state === 'visible') minutes.push(minutesBetween(f.changedAt, v.at));
      else if (v.state === 'not_applicable') counts.notApplicable++;
      else if (v.state === 'unknown') counts.unknown++;
      else if (f.state === 'watching') counts.waiting++;
      else if (f.state === 'not_visible') counts.notVisible++;
      // A superseded change still waiting here says nothing: the next change is followed instead.
    }
    const sorted = minutes.sort((a, b) => a - b);
    return {
      system,
      visible: sorted.length,
      medianMinutes: sorted.length ? tenth(median(sorted)) : null,
      p95Minutes: sorted.length ? tenth(quantileSorted(sorted, 0.95)) : null,
      ...counts,
    };
  });
  const lateLine = now.getTime() - options.lateAfterHours * 3_600_000;
  const late = inWindow
    .filter((f) => (f.state === 'watching' || f.state === 'not_visible') && f.changedAt.getTime() <= lateLine)
    .map((f): LateChange | null => {
      const waiting = FOLLOWED_SYSTEMS.flatMap((system) => {
        const v = f.systems[system];
        return v.state === 'waiting' ? [{ system, ...(v.reason ? { reason: v.reason } : {}) }] : [];
      });
      if (waiting.length === 0) return null;
      return {
        id: f.id,
        userId: f.userId,
        ...(f.subject ? { upn: f.subject.upn } : {}),
        kind: f.kind,
        changedAt: f.changedAt,
        state: f.state,
        waiting,
      };
    })
    .filter((c): c is LateChange => c !== null)
    .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  return { from, to: now, changes: inWindow.length, systems, late };
}

/** Most follow-ups one report reads: far more than a month of changes in a large tenant. */
const REPORT_MAX_FOLLOW_UPS = 200_000;

/** The report from the store, as of `now`. */
export async function timeToVisibleOf(
  store: Pick<FollowUpStore, 'since'>,
  now: Date,
  options: TimeToVisibleOptions = TIME_TO_VISIBLE_DEFAULTS,
): Promise<TimeToVisibleReport> {
  const from = new Date(now.getTime() - options.days * 86_400_000);
  return timeToVisible(await store.since(from, REPORT_MAX_FOLLOW_UPS), now, options);
}
