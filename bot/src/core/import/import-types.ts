/**
 * Bulk import (docs/import.md): a folder or a zip of photos, matched to people, checked, then applied as a
 * durable job. The types every part of the import shares.
 */
import type { PhotoWarning } from '../photo/pipeline-ports';

/** How file names are matched to people; `auto` tries upn, mail, employeeId, then name. */
export const MATCH_MODES = ['auto', 'upn', 'mail', 'employeeId', 'name'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** What matched a file to its person. */
export type MatchedBy = 'mapping' | 'upn' | 'mail' | 'employeeId' | 'name';

/** What the admin chose for one import. */
export interface ImportOptions {
  match: MatchMode;
  /** Only people with no photo in Microsoft 365 get one. */
  onlyMissing: boolean;
  /** Overwrite photos changed in Microsoft 365 since an earlier import wrote them. */
  overwriteChanged: boolean;
  /** Send each photo to the person's approvers instead of writing it. */
  approval: boolean;
}

/**
 * What one row of the import will do (decided by the check, before anything is written):
 * - `new`: nobody imported a photo for this person before (`hasPhoto` says whether one is replaced);
 * - `changed`: an earlier import wrote a different file for this person;
 * - `unchanged`: the same file was imported before and Microsoft 365 still shows it: nothing to write;
 * - `changed_elsewhere`: Microsoft 365 shows another photo than the import wrote (written only when the admin
 *   asked to overwrite those);
 * - `skipped`: nothing to do by the admin's choice (only missing photos, and this person has one);
 * - `no_match`, `ambiguous`, `duplicate` (several files for one person: none is written), `refused`
 *   (disabled, guest, the tenant's photo policy, a photo guideline), `invalid` (not a photo we can use, or an
 *   entry the archive may not hold).
 */
export type ImportPlan =
  | 'new'
  | 'changed'
  | 'unchanged'
  | 'changed_elsewhere'
  | 'skipped'
  | 'no_match'
  | 'ambiguous'
  | 'duplicate'
  | 'refused'
  | 'invalid';

export const IMPORT_PLANS: readonly ImportPlan[] = [
  'new',
  'changed',
  'unchanged',
  'changed_elsewhere',
  'skipped',
  'no_match',
  'ambiguous',
  'duplicate',
  'refused',
  'invalid',
];

/** Plans that write a photo when the import is applied (changed_elsewhere only with overwriteChanged). */
export function writesPhoto(plan: ImportPlan, options: Pick<ImportOptions, 'overwriteChanged'>): boolean {
  return plan === 'new' || plan === 'changed' || (plan === 'changed_elsewhere' && options.overwriteChanged);
}

/**
 * Where a row is once the import runs: `waiting` to be written, `writing` (the write left and its answer is
 * not recorded yet), then `applied`, `sent_for_approval`, `failed`, `cancelled`, or `not_written` (its plan
 * writes nothing); an undo moves applied rows to `undone` or `kept` (the person's photo changed since).
 */
export type ImportOutcome =
  'not_written' | 'waiting' | 'writing' | 'applied' | 'sent_for_approval' | 'failed' | 'cancelled' | 'undone' | 'kept';

/**
 * The job: `checking` (files read, matched, prepared), `checked` (the table is ready; nothing written), `applying`,
 * `done`, `cancelled`, `failed` (the check could not finish: the archive was unreadable, or a restart lost the
 * upload), `undoing`, `undone`.
 */
export type ImportState = 'checking' | 'checked' | 'applying' | 'done' | 'cancelled' | 'failed' | 'undoing' | 'undone';

/** One import. */
export interface ImportJob {
  id: string;
  /** The admin's user id, and what they called the source (the zip's or folder's name). */
  createdBy: string;
  sourceName: string;
  options: ImportOptions;
  state: ImportState;
  /** Why a job failed (an error code), when it did. */
  error?: string;
  /** Files the check read so far, and the total when known. */
  checkedFiles: number;
  totalFiles: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** The locale the admin works in: the report's reasons are worded in it. */
  locale: string;
  /** Where the machine that checks keeps the upload (or the folder it reads); never shown to callers. */
  sourcePath?: string;
}

/** A person a file matched. */
export interface ImportPerson {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

/** One file of the import, and what happens to it. */
export interface ImportItem {
  jobId: string;
  /** Order in the archive (1-based). */
  seq: number;
  /** The path inside the zip or folder. */
  file: string;
  bytes: number;
  /** sha256 of the file's bytes (hex); absent for entries never read. */
  contentHash?: string;
  person?: ImportPerson;
  matchedBy?: MatchedBy;
  plan: ImportPlan;
  /** Why (a reason code, see docs/import.md), with its params. */
  reason?: string;
  reasonParams?: Record<string, string | number>;
  /** The pipeline's warnings (face checks included). */
  warnings: PhotoWarning[];
  outcome: ImportOutcome;
  /** The photo request that wrote it (or went to approval). */
  requestId?: string;
  /** Writes tried (a throttled one counts too). */
  attempts: number;
  /** Not before this (a 429's Retry-After). */
  notBefore?: Date;
  /** An error code when the write failed. */
  error?: string;
}

/** The counts the tab and the CLI show while a job runs. */
export interface ImportCounts {
  files: number;
  plans: Record<ImportPlan, number>;
  outcomes: Record<ImportOutcome, number>;
}

/** What an earlier import left for one person: what it wrote, and what Microsoft 365 showed after. */
export interface ImportFingerprint {
  userId: string;
  jobId: string;
  requestId: string;
  /** sha256 of the source file the import applied. */
  contentHash: string;
  /** Perceptual hash (64 bits as 16 hex digits) of the photo Microsoft 365 returned after the write; null until read. */
  shownHash: string | null;
  /** The ETag Microsoft 365 gave that photo, when it gave one. */
  shownEtag: string | null;
  appliedAt: Date;
}

/** The progress a running job shows. */
export interface ImportProgress {
  job: ImportJob;
  counts: ImportCounts;
  /** Rows still to write (waiting + writing). */
  toWrite: number;
  /** Photos written per minute over the last minute. */
  perMinute: number;
  /** 429s Microsoft 365 answered during this job. */
  throttled: number;
}
