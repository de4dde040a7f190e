/**
 * Tenant photo coverage: who has a photo, scanned with the same batched reader the status
 * report uses ($batch of 20, at most 4 at a time, inner 429s retried). The admin coverage
 * view builds on this.
 */
import type { PhotoMeta } from '../photo/profile-photo-ports';
import type { BatchStats, PhotoEvidenceReader, Observed } from './evidence-ports';

/** Counts over the scanned users: exactly what the tenant answered. */
export interface CoverageSummary {
  users: number;
  withPhoto: number;
  withoutPhoto: number;
  /** Users whose photo could not be read (kept failing, or not found). */
  unknown: number;
}

/** A scan's per-user results, its counts and what it cost. */
export interface CoverageScan {
  summary: CoverageSummary;
  photos: Map<string, Observed<PhotoMeta | null>>;
  stats: BatchStats;
}

/** Reads every user's photo metadata and counts. */
export async function scanCoverage(reader: PhotoEvidenceReader, userIds: readonly string[]): Promise<CoverageScan> {
  const { photos, stats } = await reader.scan(userIds);
  const summary: CoverageSummary = { users: userIds.length, withPhoto: 0, withoutPhoto: 0, unknown: 0 };
  for (const id of userIds) {
    const p = photos.get(id);
    if (!p || !p.ok) summary.unknown++;
    else if (p.value === null) summary.withoutPhoto++;
    else summary.withPhoto++;
  }
  return { summary, photos, stats };
}
