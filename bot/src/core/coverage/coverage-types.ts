/**
 * Tenant photo coverage for admins: every user sorted into one category, counted, kept in
 * the store (so category audiences stream from it), exported as CSV. The JSON shape of
 * `CoverageView` is what the tab's dashboard will serve (a later issue).
 */
import type { Locale } from '../locale';

/** Where a user stands. */
export type CoverageCategory =
  | 'has_photo'
  | 'no_photo'
  | 'placeholder_or_stale'
  | 'hybrid_stuck'
  | 'not_applicable'
  /** Graph kept failing for this user: counted, never in an audience. */
  | 'unknown';

/** Every category, in the order cards and CSVs show them. */
export const COVERAGE_CATEGORIES: readonly CoverageCategory[] = [
  'has_photo',
  'no_photo',
  'placeholder_or_stale',
  'hybrid_stuck',
  'not_applicable',
  'unknown',
];

/** Categories an admin may remind (everything but `has_photo` and `not_applicable`). */
export const REMINDABLE_CATEGORIES: readonly CoverageCategory[] = ['no_photo', 'placeholder_or_stale', 'hybrid_stuck'];

/** Why a user is in their category (the first matching rule). */
export type CoverageReason =
  | 'photo'
  | 'no_photo'
  | 'small_photo'
  | 'sharepoint_placeholder'
  | 'hybrid_no_photo'
  | 'hybrid_ad_thumbnail_only'
  | 'guest'
  | 'disabled'
  | 'unlicensed'
  | 'unknown';

/** A directory user as the coverage scan reads them (Graph `$select`). */
export interface CoverageUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  preferredLanguage?: string;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  onPremisesSyncEnabled: boolean;
  licensed: boolean;
  /** Graph `department`, when the directory has one (reports per department). */
  department?: string;
}

/** One user's result. */
export interface CoverageEntry {
  user: CoverageUser;
  category: CoverageCategory;
  reason: CoverageReason;
  /** Side of the photo Graph serves, when there is one. */
  photoSide?: number;
}

/** A scan's lifecycle: running (with a lease, taken over after a crash), done, failed. */
export type CoverageScanState = 'running' | 'done' | 'failed';

/** Counts per category. */
export type CoverageCounts = Record<CoverageCategory, number>;

/** A scan as stored. */
export interface CoverageScanRecord {
  id: string;
  state: CoverageScanState;
  startedAt: Date;
  finishedAt?: Date;
  requestedBy?: string;
  /** Users classified so far. */
  scanned: number;
  error?: string;
}

/** What the card, the CLI and (later) the tab show: documented JSON, stable field names. */
export interface CoverageView {
  scanId: string;
  state: CoverageScanState;
  startedAt: string;
  finishedAt: string | null;
  /** Users classified so far (all of them once done). */
  scanned: number;
  counts: CoverageCounts;
  /** Share of applicable users (everyone but `not_applicable`) with a photo, 0..1; null when none apply. */
  coverage: number | null;
}

/** The card's audience for coverage progress: where to update it in place. */
export interface CoverageCardTarget {
  reference: string;
  activityId: string;
  locale: Locale;
}

/** Empty counts. */
export function zeroCounts(): CoverageCounts {
  return { has_photo: 0, no_photo: 0, placeholder_or_stale: 0, hybrid_stuck: 0, not_applicable: 0, unknown: 0 };
}
