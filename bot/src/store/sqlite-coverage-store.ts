/** CoverageStore on better-sqlite3: scans with a lease, and one row per user of each scan. */
import type { CoverageStore } from '../core/coverage/coverage-service';
import {
  zeroCounts,
  type CoverageCardTarget,
  type CoverageCategory,
  type CoverageCounts,
  type CoverageEntry,
  type CoverageReason,
  type CoverageScanRecord,
  type CoverageScanState,
} from '../core/coverage/coverage-types';
import type { Locale } from '../core/locale';
import type { Db } from './database';

interface ScanRow {
  id: string;
  started_at: number;
  finished_at: number | null;
  state: CoverageScanState;
  requested_by: string | null;
  scanned: number;
  error: string | null;
}

interface UserRow {
  scan_id: string;
  user_id: string;
  upn: string;
  display_name: string;
  preferred_language: string | null;
  user_type: 'Member' | 'Guest';
  account_enabled: number;
  category: CoverageCategory;
  reason: CoverageReason;
  photo_side: number | null;
}

const toScan = (r: ScanRow): CoverageScanRecord => ({
  id: r.id,
  state: r.state,
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at === null ? undefined : new Date(r.finished_at),
  requestedBy: r.requested_by ?? undefined,
  scanned: r.scanned,
  error: r.error ?? undefined,
});

/** Scans and their rows in SQLite. */
export class SqliteCoverageStore implements CoverageStore {
  constructor(private readonly db: Db) {}

  begin(scan: CoverageScanRecord, owner: string, leaseUntil: Date): { scan: CoverageScanRecord; started: boolean } {
    return this.db
      .transaction(() => {
        const live = this.db
          .prepare(
            `SELECT * FROM coverage_scans WHERE state = 'running' AND lease_until > ? ORDER BY started_at DESC LIMIT 1`,
          )
          .get(Date.now()) as ScanRow | undefined;
        if (live) return { scan: toScan(live), started: false };
        this.db
          .prepare(
            `INSERT INTO coverage_scans (id, started_at, state, requested_by, scanned, owner, lease_until) VALUES (?, ?, 'running', ?, 0, ?, ?)`,
          )
          .run(scan.id, scan.startedAt.getTime(), scan.requestedBy ?? null, owner, leaseUntil.getTime());
        return { scan, started: true };
      })
      .immediate();
  }

  takeOver(scanId: string, owner: string, leaseUntil: Date): boolean {
    return this.db
      .transaction(() => {
        const r = this.db
          .prepare(
            `UPDATE coverage_scans SET owner = ?, lease_until = ?, scanned = 0 WHERE id = ? AND state = 'running' AND lease_until <= ?`,
          )
          .run(owner, leaseUntil.getTime(), scanId, Date.now());
        if (r.changes === 0) return false;
        this.db.prepare(`DELETE FROM coverage_users WHERE scan_id = ?`).run(scanId);
        return true;
      })
      .immediate();
  }

  abandoned(): CoverageScanRecord[] {
    return (
      this.db
        .prepare(`SELECT * FROM coverage_scans WHERE state = 'running' AND lease_until <= ?`)
        .all(Date.now()) as ScanRow[]
    ).map(toScan);
  }

  addPage(scanId: string, owner: string, entries: readonly CoverageEntry[], leaseUntil: Date): boolean {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO coverage_users (scan_id, user_id, upn, display_name, preferred_language, user_type, account_enabled, category, reason, photo_side)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db
      .transaction(() => {
        const r = this.db
          .prepare(
            `UPDATE coverage_scans SET scanned = scanned + ?, lease_until = ? WHERE id = ? AND owner = ? AND state = 'running'`,
          )
          .run(entries.length, leaseUntil.getTime(), scanId, owner);
        if (r.changes === 0) return false;
        for (const e of entries)
          insert.run(
            scanId,
            e.user.id,
            e.user.userPrincipalName,
            e.user.displayName,
            e.user.preferredLanguage ?? null,
            e.user.userType,
            e.user.accountEnabled ? 1 : 0,
            e.category,
            e.reason,
            e.photoSide ?? null,
          );
        return true;
      })
      .immediate();
  }

  finish(scanId: string, owner: string, state: 'done' | 'failed', at: Date, error?: string): void {
    this.db
      .prepare(
        `UPDATE coverage_scans SET state = ?, finished_at = ?, error = ? WHERE id = ? AND owner = ? AND state = 'running'`,
      )
      .run(state, at.getTime(), error ?? null, scanId, owner);
  }

  get(scanId: string): CoverageScanRecord | null {
    const r = this.db.prepare(`SELECT * FROM coverage_scans WHERE id = ?`).get(scanId) as ScanRow | undefined;
    return r ? toScan(r) : null;
  }

  latest(): CoverageScanRecord | null {
    const r = this.db.prepare(`SELECT * FROM coverage_scans ORDER BY started_at DESC, rowid DESC LIMIT 1`).get() as
      ScanRow | undefined;
    return r ? toScan(r) : null;
  }

  latestDone(): CoverageScanRecord | null {
    const r = this.db
      .prepare(`SELECT * FROM coverage_scans WHERE state = 'done' ORDER BY finished_at DESC, rowid DESC LIMIT 1`)
      .get() as ScanRow | undefined;
    return r ? toScan(r) : null;
  }

  counts(scanId: string): CoverageCounts {
    const counts = zeroCounts();
    for (const r of this.db
      .prepare(`SELECT category, COUNT(*) AS n FROM coverage_users WHERE scan_id = ? GROUP BY category`)
      .all(scanId) as Array<{ category: CoverageCategory; n: number }>)
      counts[r.category] = r.n;
    return counts;
  }

  page(
    scanId: string,
    afterUserId: string,
    limit: number,
    categories?: readonly string[],
  ): Array<CoverageEntry & { scanId: string }> {
    const filter = categories?.length ? `AND category IN (${categories.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM coverage_users WHERE scan_id = ? AND user_id > ? ${filter} ORDER BY user_id LIMIT ?`)
      .all(scanId, afterUserId, ...(categories ?? []), limit) as UserRow[];
    return rows.map((r) => ({
      scanId: r.scan_id,
      user: {
        id: r.user_id,
        userPrincipalName: r.upn,
        displayName: r.display_name,
        preferredLanguage: r.preferred_language ?? undefined,
        userType: r.user_type,
        accountEnabled: r.account_enabled === 1,
        onPremisesSyncEnabled: r.reason.startsWith('hybrid'),
        licensed: r.reason !== 'unlicensed',
      },
      category: r.category,
      reason: r.reason,
      photoSide: r.photo_side ?? undefined,
    }));
  }

  setCard(scanId: string, target: CoverageCardTarget): void {
    this.db
      .prepare(`UPDATE coverage_scans SET card_ref = ?, card_activity_id = ?, card_locale = ? WHERE id = ?`)
      .run(target.reference, target.activityId, target.locale, scanId);
  }

  card(scanId: string): CoverageCardTarget | null {
    const r = this.db
      .prepare(`SELECT card_ref, card_activity_id, card_locale FROM coverage_scans WHERE id = ?`)
      .get(scanId) as
      { card_ref: string | null; card_activity_id: string | null; card_locale: string | null } | undefined;
    if (!r?.card_ref || !r.card_activity_id) return null;
    return { reference: r.card_ref, activityId: r.card_activity_id, locale: (r.card_locale ?? 'en') as Locale };
  }

  prune(keep: number): void {
    this.db
      .prepare(
        `DELETE FROM coverage_scans WHERE state != 'running' AND id NOT IN
           (SELECT id FROM coverage_scans WHERE state = 'done' ORDER BY finished_at DESC LIMIT ?)`,
      )
      .run(keep);
  }
}
