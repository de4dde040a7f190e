/**
 * Bulk imports (import_jobs, import_items, import_fingerprints; core/import/) on either SQL engine. A job is
 * claimed with a lease; only the oldest job applying or undoing runs anywhere (one import writes at a time), and
 * every row change is a compare-and-set on its outcome, so a row is written once whoever holds the job.
 */
import type { ImportStore } from '../core/import/import-ports';
import {
  IMPORT_PLANS,
  type ImportCounts,
  type ImportFingerprint,
  type ImportItem,
  type ImportJob,
  type ImportOutcome,
  type ImportPlan,
  type ImportState,
} from '../core/import/import-types';
import type { SqlDb, SqlValue } from './sql/sql-db';

const READ_COMMITTED = { isolation: 'read_committed' } as const;
const OUTCOMES: readonly ImportOutcome[] = [
  'not_written',
  'waiting',
  'writing',
  'applied',
  'sent_for_approval',
  'failed',
  'cancelled',
  'undone',
  'kept',
];

interface JobRow {
  id: string;
  created_by: string;
  source_name: string;
  source_path: string | null;
  options: string;
  state: string;
  error: string | null;
  checked_files: number | string;
  total_files: number | string | null;
  locale: string;
  created_at: number | string;
  updated_at: number | string;
}

interface ItemRow {
  job_id: string;
  seq: number | string;
  file: string;
  bytes: number | string;
  content_hash: string | null;
  user_id: string | null;
  upn: string | null;
  display_name: string | null;
  matched_by: string | null;
  plan: string;
  reason: string | null;
  reason_params: string | null;
  warnings: string;
  outcome: string;
  request_id: string | null;
  attempts: number | string;
  not_before: number | string | null;
  error: string | null;
}

interface PrintRow {
  user_id: string;
  job_id: string;
  request_id: string;
  content_hash: string;
  shown_hash: string | null;
  shown_etag: string | null;
  applied_at: number | string;
}

const num = (v: number | string): number => Number(v);

function toJob(r: JobRow): ImportJob {
  return {
    id: r.id,
    createdBy: r.created_by,
    sourceName: r.source_name,
    ...(r.source_path ? { sourcePath: r.source_path } : {}),
    options: JSON.parse(r.options) as ImportJob['options'],
    state: r.state as ImportState,
    ...(r.error ? { error: r.error } : {}),
    checkedFiles: num(r.checked_files),
    totalFiles: r.total_files === null ? null : num(r.total_files),
    locale: r.locale,
    createdAt: new Date(num(r.created_at)),
    updatedAt: new Date(num(r.updated_at)),
  };
}

function toItem(r: ItemRow): ImportItem {
  return {
    jobId: r.job_id,
    seq: num(r.seq),
    file: r.file,
    bytes: num(r.bytes),
    ...(r.content_hash ? { contentHash: r.content_hash } : {}),
    ...(r.user_id
      ? { person: { id: r.user_id, userPrincipalName: r.upn ?? '', displayName: r.display_name ?? r.upn ?? '' } }
      : {}),
    ...(r.matched_by ? { matchedBy: r.matched_by as ImportItem['matchedBy'] } : {}),
    plan: r.plan as ImportPlan,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.reason_params ? { reasonParams: JSON.parse(r.reason_params) as ImportItem['reasonParams'] } : {}),
    warnings: JSON.parse(r.warnings) as ImportItem['warnings'],
    outcome: r.outcome as ImportOutcome,
    ...(r.request_id ? { requestId: r.request_id } : {}),
    attempts: num(r.attempts),
    ...(r.not_before !== null ? { notBefore: new Date(num(r.not_before)) } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

function toPrint(r: PrintRow): ImportFingerprint {
  return {
    userId: r.user_id,
    jobId: r.job_id,
    requestId: r.request_id,
    contentHash: r.content_hash,
    shownHash: r.shown_hash,
    shownEtag: r.shown_etag,
    appliedAt: new Date(num(r.applied_at)),
  };
}

const ITEM_COLUMNS = `job_id, seq, file, bytes, content_hash, user_id, upn, display_name, matched_by, plan, reason,
  reason_params, warnings, outcome, request_id, attempts, not_before, error`;

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** ImportStore on SQL. */
export class SqlImportStore implements ImportStore {
  constructor(private readonly db: SqlDb) {}

  async createJob(job: ImportJob, owner: string, leaseUntil: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO import_jobs (id, created_by, source_name, source_path, options, state, error, checked_files,
         total_files, locale, created_at, updated_at, lease_owner, lease_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        job.id,
        job.createdBy,
        job.sourceName,
        job.sourcePath ?? null,
        JSON.stringify(job.options),
        job.state,
        job.error ?? null,
        job.checkedFiles,
        job.totalFiles,
        job.locale,
        job.createdAt.getTime(),
        job.updatedAt.getTime(),
        owner,
        leaseUntil.getTime(),
      ],
    );
  }

  async getJob(id: string): Promise<ImportJob | null> {
    const row = await this.db.get<JobRow>(`SELECT * FROM import_jobs WHERE id = ?`, [id]);
    return row ? toJob(row) : null;
  }

  async listJobs(limit: number): Promise<ImportJob[]> {
    const rows = await this.db.all<JobRow>(`SELECT * FROM import_jobs ORDER BY created_at DESC, id DESC LIMIT ?`, [
      limit,
    ]);
    return rows.map(toJob);
  }

  async moveJob(
    id: string,
    from: readonly ImportState[],
    to: ImportState,
    now: Date,
    error?: string,
  ): Promise<ImportJob | null> {
    const rows = await this.db.all<JobRow>(
      `UPDATE import_jobs SET state = ?, updated_at = ?, error = COALESCE(?, error)
       WHERE id = ? AND state IN (${marks(from.length)}) RETURNING *`,
      [to, now.getTime(), error ?? null, id, ...from],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async setProgress(id: string, checkedFiles: number, totalFiles: number | null, now: Date): Promise<void> {
    await this.db.run(`UPDATE import_jobs SET checked_files = ?, total_files = ?, updated_at = ? WHERE id = ?`, [
      checkedFiles,
      totalFiles,
      now.getTime(),
      id,
    ]);
  }

  async addItems(rows: Array<{ item: ImportItem; master?: Uint8Array; preview?: Uint8Array }>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const { item: i, master, preview } of rows) {
        const values: SqlValue[] = [
          i.jobId,
          i.seq,
          i.file,
          i.bytes,
          i.contentHash ?? null,
          i.person?.id ?? null,
          i.person?.userPrincipalName ?? null,
          i.person?.displayName ?? null,
          i.matchedBy ?? null,
          i.plan,
          i.reason ?? null,
          i.reasonParams ? JSON.stringify(i.reasonParams) : null,
          JSON.stringify(i.warnings),
          i.outcome,
          i.requestId ?? null,
          i.attempts,
          i.notBefore?.getTime() ?? null,
          i.error ?? null,
          master ? Buffer.from(master) : null,
          preview ? Buffer.from(preview) : null,
        ];
        await tx.run(
          `INSERT INTO import_items (${ITEM_COLUMNS}, master, preview) VALUES (${marks(values.length)})
           ON CONFLICT (job_id, seq) DO NOTHING`,
          values,
        );
      }
    }, READ_COMMITTED);
  }

  async replan(
    jobId: string,
    rows: Array<{ seq: number; plan: ImportPlan; reason: string; reasonParams?: ImportItem['reasonParams'] }>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const r of rows)
        await tx.run(`UPDATE import_items SET plan = ?, reason = ?, reason_params = ? WHERE job_id = ? AND seq = ?`, [
          r.plan,
          r.reason,
          r.reasonParams ? JSON.stringify(r.reasonParams) : null,
          jobId,
          r.seq,
        ]);
    }, READ_COMMITTED);
  }

  async items(jobId: string, afterSeq: number, limit: number): Promise<ImportItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM import_items WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [jobId, afterSeq, limit],
    );
    return rows.map(toItem);
  }

  async photo(jobId: string, seq: number): Promise<{ master: Uint8Array; preview: Uint8Array } | null> {
    const row = await this.db.get<{ master: Buffer | null; preview: Buffer | null }>(
      `SELECT master, preview FROM import_items WHERE job_id = ? AND seq = ?`,
      [jobId, seq],
    );
    if (!row?.master || !row.preview) return null;
    return { master: new Uint8Array(row.master), preview: new Uint8Array(row.preview) };
  }

  async queue(jobId: string, plans: readonly ImportPlan[]): Promise<number> {
    if (plans.length === 0) return 0;
    const changed = await this.db.run(
      `UPDATE import_items SET outcome = 'waiting'
       WHERE job_id = ? AND outcome = 'not_written' AND plan IN (${marks(plans.length)})`,
      [jobId, ...plans],
    );
    return changed.changes;
  }

  async moveItem(
    jobId: string,
    seq: number,
    from: readonly ImportOutcome[],
    to: ImportOutcome,
    change: Partial<Pick<ImportItem, 'requestId' | 'attempts' | 'notBefore' | 'error'>>,
  ): Promise<boolean> {
    const sets = ['outcome = ?'];
    const values: SqlValue[] = [to];
    if ('requestId' in change) {
      sets.push('request_id = ?');
      values.push(change.requestId ?? null);
    }
    if ('attempts' in change) {
      sets.push('attempts = ?');
      values.push(change.attempts ?? 0);
    }
    if ('notBefore' in change) {
      sets.push('not_before = ?');
      values.push(change.notBefore?.getTime() ?? null);
    }
    if ('error' in change) {
      sets.push('error = ?');
      values.push(change.error ?? null);
    }
    const done = await this.db.run(
      `UPDATE import_items SET ${sets.join(', ')} WHERE job_id = ? AND seq = ? AND outcome IN (${marks(from.length)})`,
      [...values, jobId, seq, ...from],
    );
    return done.changes === 1;
  }

  async due(jobId: string, outcomes: readonly ImportOutcome[], now: Date, limit: number): Promise<ImportItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM import_items
       WHERE job_id = ? AND outcome IN (${marks(outcomes.length)}) AND (not_before IS NULL OR not_before <= ?)
       ORDER BY seq LIMIT ?`,
      [jobId, ...outcomes, now.getTime(), limit],
    );
    return rows.map(toItem);
  }

  async nextDue(jobId: string): Promise<Date | null> {
    const row = await this.db.get<{ due: number | string | null }>(
      `SELECT MIN(not_before) AS due FROM import_items WHERE job_id = ? AND outcome = 'waiting'`,
      [jobId],
    );
    return row?.due === null || row?.due === undefined ? null : new Date(num(row.due));
  }

  async counts(jobId: string): Promise<ImportCounts> {
    const rows = await this.db.all<{ plan: string; outcome: string; n: number | string }>(
      `SELECT plan, outcome, COUNT(*) AS n FROM import_items WHERE job_id = ? GROUP BY plan, outcome`,
      [jobId],
    );
    const plans = Object.fromEntries(IMPORT_PLANS.map((p) => [p, 0])) as Record<ImportPlan, number>;
    const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ImportOutcome, number>;
    let files = 0;
    for (const r of rows) {
      const n = num(r.n);
      files += n;
      if (r.plan in plans) plans[r.plan as ImportPlan] += n;
      if (r.outcome in outcomes) outcomes[r.outcome as ImportOutcome] += n;
    }
    return { files, plans, outcomes };
  }

  claimJob(owner: string, states: readonly ImportState[], leaseUntil: Date, now: Date): Promise<ImportJob | null> {
    return this.db.transaction(async (tx) => {
      // A check can run beside others; applying and undoing take turns, oldest first, across every instance.
      const writing = await tx.get<JobRow & { lease_owner: string | null; lease_until: number | string | null }>(
        `SELECT * FROM import_jobs WHERE state IN ('applying', 'undoing') ORDER BY created_at, id LIMIT 1
         ${this.db.dialect.forUpdate}`,
      );
      const candidates = await tx.all<JobRow & { lease_owner: string | null; lease_until: number | string | null }>(
        `SELECT * FROM import_jobs WHERE state = 'checking' AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY created_at, id LIMIT 1 ${this.db.dialect.skipLocked('import_jobs')}`,
        [now.getTime()],
      );
      const pick = [...(states.includes('checking') ? candidates : [])];
      if (
        writing &&
        states.includes(writing.state as ImportState) &&
        (writing.lease_until === null || num(writing.lease_until) <= now.getTime() || writing.lease_owner === owner)
      )
        pick.unshift(writing);
      const chosen = pick[0];
      if (!chosen) return null;
      const rows = await tx.all<JobRow>(
        `UPDATE import_jobs SET lease_owner = ?, lease_until = ? WHERE id = ? RETURNING *`,
        [owner, leaseUntil.getTime(), chosen.id],
      );
      return rows[0] ? toJob(rows[0]) : null;
    }, READ_COMMITTED);
  }

  async renewJob(id: string, owner: string, leaseUntil: Date): Promise<boolean> {
    const done = await this.db.run(`UPDATE import_jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?`, [
      leaseUntil.getTime(),
      id,
      owner,
    ]);
    return done.changes === 1;
  }

  async releaseJob(id: string, owner: string): Promise<void> {
    await this.db.run(
      `UPDATE import_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`,
      [id, owner],
    );
  }

  async clearPhotos(jobId: string): Promise<void> {
    await this.db.run(`UPDATE import_items SET master = NULL, preview = NULL WHERE job_id = ? AND master IS NOT NULL`, [
      jobId,
    ]);
  }

  async fingerprint(userId: string): Promise<ImportFingerprint | null> {
    const row = await this.db.get<PrintRow>(`SELECT * FROM import_fingerprints WHERE user_id = ?`, [userId]);
    return row ? toPrint(row) : null;
  }

  async saveFingerprint(f: ImportFingerprint): Promise<void> {
    await this.db.run(
      `INSERT INTO import_fingerprints (user_id, job_id, request_id, content_hash, shown_hash, shown_etag, applied_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET job_id = excluded.job_id, request_id = excluded.request_id,
         content_hash = excluded.content_hash, shown_hash = excluded.shown_hash, shown_etag = excluded.shown_etag,
         applied_at = excluded.applied_at`,
      [f.userId, f.jobId, f.requestId, f.contentHash, f.shownHash, f.shownEtag, f.appliedAt.getTime()],
    );
  }

  async dropFingerprint(userId: string, jobId: string): Promise<void> {
    await this.db.run(`DELETE FROM import_fingerprints WHERE user_id = ? AND job_id = ?`, [userId, jobId]);
  }
}
