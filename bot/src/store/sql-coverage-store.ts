/** CoverageStore on SQL: scans with a lease, and one row per user of each scan. */
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
import { placeholders, type SqlDb } from './sql/sql-db';

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
  department: string | null;
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

/** Scans and their rows, on either SQL engine. */
export class SqlCoverageStore implements CoverageStore {
  constructor(private readonly db: SqlDb) {}

  begin(
    scan: CoverageScanRecord,
    owner: string,
    leaseUntil: Date,
  ): Promise<{ scan: CoverageScanRecord; started: boolean }> {
    // One transaction: of two instances starting a scan at once, the second finds the first's.
    return this.db.transaction(async (tx) => {
      const live = await tx.get<ScanRow>(
        `SELECT * FROM coverage_scans WHERE state = 'running' AND lease_until > ? ORDER BY started_at DESC LIMIT 1`,
        [Date.now()],
      );
      if (live) return { scan: toScan(live), started: false };
      await tx.run(
        `INSERT INTO coverage_scans (id, started_at, state, requested_by, scanned, owner, lease_until) VALUES (?, ?, 'running', ?, 0, ?, ?)`,
        [scan.id, scan.startedAt.getTime(), scan.requestedBy ?? null, owner, leaseUntil.getTime()],
      );
      return { scan, started: true };
    });
  }

  takeOver(scanId: string, owner: string, leaseUntil: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE coverage_scans SET owner = ?, lease_until = ?, scanned = 0 WHERE id = ? AND state = 'running' AND lease_until <= ?`,
        [owner, leaseUntil.getTime(), scanId, Date.now()],
      );
      if (r.changes === 0) return false;
      await tx.run(`DELETE FROM coverage_users WHERE scan_id = ?`, [scanId]);
      return true;
    });
  }

  async abandoned(): Promise<CoverageScanRecord[]> {
    return (
      await this.db.all<ScanRow>(`SELECT * FROM coverage_scans WHERE state = 'running' AND lease_until <= ?`, [
        Date.now(),
      ])
    ).map(toScan);
  }

  addPage(scanId: string, owner: string, entries: readonly CoverageEntry[], leaseUntil: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE coverage_scans SET scanned = scanned + ?, lease_until = ? WHERE id = ? AND owner = ? AND state = 'running'`,
        [entries.length, leaseUntil.getTime(), scanId, owner],
      );
      if (r.changes === 0) return false;
      for (const e of entries)
        await tx.run(
          `INSERT INTO coverage_users (scan_id, user_id, upn, display_name, preferred_language, user_type, account_enabled, category, reason, photo_side, department)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (scan_id, user_id) DO UPDATE SET upn = excluded.upn, display_name = excluded.display_name,
             preferred_language = excluded.preferred_language, user_type = excluded.user_type,
             account_enabled = excluded.account_enabled, category = excluded.category, reason = excluded.reason,
             photo_side = excluded.photo_side, department = excluded.department`,
          [
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
            e.user.department ?? null,
          ],
        );
      return true;
    });
  }

  async finish(scanId: string, owner: string, state: 'done' | 'failed', at: Date, error?: string): Promise<void> {
    await this.db.run(
      `UPDATE coverage_scans SET state = ?, finished_at = ?, error = ? WHERE id = ? AND owner = ? AND state = 'running'`,
      [state, at.getTime(), error ?? null, scanId, owner],
    );
  }

  async get(scanId: string): Promise<CoverageScanRecord | null> {
    const r = await this.db.get<ScanRow>(`SELECT * FROM coverage_scans WHERE id = ?`, [scanId]);
    return r ? toScan(r) : null;
  }

  async latest(): Promise<CoverageScanRecord | null> {
    const r = await this.db.get<ScanRow>(
      `SELECT * FROM coverage_scans ORDER BY started_at DESC, ${this.db.dialect.insertOrder} DESC LIMIT 1`,
    );
    return r ? toScan(r) : null;
  }

  async latestDone(): Promise<CoverageScanRecord | null> {
    const r = await this.db.get<ScanRow>(
      `SELECT * FROM coverage_scans WHERE state = 'done' ORDER BY finished_at DESC, ${this.db.dialect.insertOrder} DESC LIMIT 1`,
    );
    return r ? toScan(r) : null;
  }

  async counts(scanId: string): Promise<CoverageCounts> {
    const counts = zeroCounts();
    for (const r of await this.db.all<{ category: CoverageCategory; n: number }>(
      `SELECT category, COUNT(*) AS n FROM coverage_users WHERE scan_id = ? GROUP BY category`,
      [scanId],
    ))
      counts[r.category] = r.n;
    return counts;
  }

  async page(
    scanId: string,
    afterUserId: string,
    limit: number,
    categories?: readonly string[],
  ): Promise<Array<CoverageEntry & { scanId: string }>> {
    const filter = categories?.length ? `AND category IN (${placeholders(categories.length)})` : '';
    const rows = await this.db.all<UserRow>(
      `SELECT * FROM coverage_users WHERE scan_id = ? AND user_id > ? ${filter} ORDER BY user_id LIMIT ?`,
      [scanId, afterUserId, ...(categories ?? []), limit],
    );
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
        department: r.department ?? undefined,
      },
      category: r.category,
      reason: r.reason,
      photoSide: r.photo_side ?? undefined,
    }));
  }

  async setCard(scanId: string, target: CoverageCardTarget): Promise<void> {
    await this.db.run(`UPDATE coverage_scans SET card_ref = ?, card_activity_id = ?, card_locale = ? WHERE id = ?`, [
      target.reference,
      target.activityId,
      target.locale,
      scanId,
    ]);
  }

  async card(scanId: string): Promise<CoverageCardTarget | null> {
    const r = await this.db.get<{
      card_ref: string | null;
      card_activity_id: string | null;
      card_locale: string | null;
    }>(`SELECT card_ref, card_activity_id, card_locale FROM coverage_scans WHERE id = ?`, [scanId]);
    if (!r?.card_ref || !r.card_activity_id) return null;
    return { reference: r.card_ref, activityId: r.card_activity_id, locale: (r.card_locale ?? 'en') as Locale };
  }

  async prune(keep: number): Promise<void> {
    await this.db.run(
      `DELETE FROM coverage_scans WHERE state != 'running' AND id NOT IN
         (SELECT id FROM coverage_scans WHERE state = 'done' ORDER BY finished_at DESC LIMIT ?)`,
      [keep],
    );
  }
}
