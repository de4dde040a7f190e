/** What the bulk import needs from outside: the files, the people, the store. */
import type {
  ImportCounts,
  ImportFingerprint,
  ImportItem,
  ImportJob,
  ImportOutcome,
  ImportState,
} from './import-types';
import type { MatchablePerson } from './import-matching';

/**
 * Why an entry of the archive is not read as a photo: an archive inside the archive, an encrypted entry, one
 * larger than a photo may be, or a symbolic link in a folder (never followed).
 */
type EntryProblem = 'nested_archive' | 'encrypted' | 'too_large' | 'symlink';

/** One file of a zip or folder; `read` streams it into memory (one at a time, at most the photo limit). */
export interface ImportEntry {
  path: string;
  bytes: number;
  problem?: EntryProblem;
  /** The largest a photo file may be, for `too_large`. */
  maxBytes: number;
  read(): Promise<Uint8Array>;
}

/** A row of mapping.csv: a file and the UPN or mail of its person. */
export interface MappingRow {
  file: string;
  address: string;
}

/**
 * A zip or a folder, already checked as a whole (entry names, links, count, sizes): opening throws AppError
 * `import.*` for an archive that must not be read at all.
 */
export interface ImportSource {
  /** The zip's or folder's own name. */
  name: string;
  /** Photo candidates (mapping.csv, hidden files and folders left out). */
  files: number;
  entries(): AsyncIterable<ImportEntry>;
  /** mapping.csv beside the photos, when there is one; throws AppError import.invalid_mapping when unreadable. */
  mapping(): Promise<MappingRow[] | null>;
  /** Frees what the source holds (a temporary copy of an upload is deleted by its owner, not here). */
  close(): Promise<void>;
}

/** Everyone an import can match, a page at a time from the directory. */
export interface ImportPeopleSource {
  people(): AsyncIterable<MatchablePerson[]>;
}

/** Jobs, their rows with the prepared photos, and what earlier imports wrote. */
export interface ImportStore {
  /** Stores a new job, held by `owner` until `leaseUntil` (the check it starts with). */
  createJob(job: ImportJob, owner: string, leaseUntil: Date): Promise<void>;
  getJob(id: string): Promise<ImportJob | null>;
  /** Newest first. */
  listJobs(limit: number): Promise<ImportJob[]>;
  /** Moves a job from one of `from` to `to` (compare-and-set); the job after, or null when it was in another state. */
  moveJob(
    id: string,
    from: readonly ImportState[],
    to: ImportState,
    now: Date,
    error?: string,
  ): Promise<ImportJob | null>;
  /** Records the check's progress (files read, total when known). */
  setProgress(id: string, checkedFiles: number, totalFiles: number | null, now: Date): Promise<void>;
  /** Adds rows (their photos with them) in one transaction; rows already there are left as they are. */
  addItems(items: Array<{ item: ImportItem; master?: Uint8Array; preview?: Uint8Array }>): Promise<void>;
  /** Replaces what the check decided for rows (duplicates found at the end). */
  replan(
    jobId: string,
    rows: Array<{ seq: number; plan: ImportItem['plan']; reason: string; reasonParams?: ImportItem['reasonParams'] }>,
  ): Promise<void>;
  /** Rows after `afterSeq`, in order. */
  items(jobId: string, afterSeq: number, limit: number): Promise<ImportItem[]>;
  /** The row's photo (the 648 master and the 96 preview), or null once cleared. */
  photo(jobId: string, seq: number): Promise<{ master: Uint8Array; preview: Uint8Array } | null>;
  /** Moves rows of plans `plans` from `not_written` to `waiting` (apply) in one statement; how many. */
  queue(jobId: string, plans: readonly ImportItem['plan'][]): Promise<number>;
  /** Moves a row from `from` to `to` with what is known (compare-and-set); false when it was elsewhere. */
  moveItem(
    jobId: string,
    seq: number,
    from: readonly ImportOutcome[],
    to: ImportOutcome,
    change: Partial<Pick<ImportItem, 'requestId' | 'attempts' | 'notBefore' | 'error'>>,
  ): Promise<boolean>;
  /** Rows in `outcomes`, in order, due by `now` (notBefore passed). */
  due(jobId: string, outcomes: readonly ImportOutcome[], now: Date, limit: number): Promise<ImportItem[]>;
  /** The earliest notBefore of the job's waiting rows, or null. */
  nextDue(jobId: string): Promise<Date | null>;
  counts(jobId: string): Promise<ImportCounts>;
  /** Takes the lease of the oldest job in `states` that nobody holds (or whose holder's lease ran out). */
  claimJob(owner: string, states: readonly ImportState[], leaseUntil: Date, now: Date): Promise<ImportJob | null>;
  /** Extends the owner's lease; false when it is no longer theirs. */
  renewJob(id: string, owner: string, leaseUntil: Date): Promise<boolean>;
  releaseJob(id: string, owner: string): Promise<void>;
  /** Forgets the prepared photos of a finished job (its rows stay for the report and undo). */
  clearPhotos(jobId: string): Promise<void>;
  fingerprint(userId: string): Promise<ImportFingerprint | null>;
  saveFingerprint(f: ImportFingerprint): Promise<void>;
  /** Forgets the person's fingerprint when it is still the one `jobId` left (undo). */
  dropFingerprint(userId: string, jobId: string): Promise<void>;
}
