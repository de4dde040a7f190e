/** FunnelStore on SQL: what each recipient of a campaign did after the reminder, read from the requests it caused. */
import type { FunnelPhoto, FunnelRow, FunnelStore } from '../../core/broadcast/funnel';
import { placeholders, type SqlDb } from '../sql/sql-db';

/** A request's state as a rank: the furthest one a recipient reached wins. */
const RANK = `CASE p.state WHEN 'applied' THEN 5 WHEN 'applying' THEN 4 WHEN 'approved' THEN 4
  WHEN 'pending_approval' THEN 3 WHEN 'rejected' THEN 2 WHEN 'failed' THEN 1 ELSE 0 END`;
const PHOTO: Record<number, FunnelPhoto> = {
  0: 'none',
  1: 'failed',
  2: 'rejected',
  3: 'waiting_approval',
  4: 'approved',
  5: 'applied',
};
/** Coverage categories that say nothing about whether a photo shows. */
const UNCHECKED = new Set(['not_applicable', 'unknown']);
/**
 * Requests a person made once the campaign was due (business time, as requests are stamped; the recipients' own
 * send times are the sender's wall clock, for pacing); an undo is not a new photo. Only people it reached count.
 */
const AFTER = `r.state = 'sent' AND p.user_id = r.user_id AND p.created_at >= c.send_at AND p.flow <> 'undo'`;

interface Row {
  user_id: string;
  department: string | null;
  state: string;
  opened_at: number | null;
  rank: number | null;
  approvals: number | null;
  applied_at: number | null;
}

/** FunnelStore on either engine. */
export class SqlFunnelStore implements FunnelStore {
  constructor(private readonly db: SqlDb) {}

  async funnelRows(
    campaignId: string,
    page?: { afterUserId: string; limit: number },
  ): Promise<{ rows: FunnelRow[]; visibleAsOf: Date | null }> {
    const rows = await this.db.all<Row>(
      `SELECT r.user_id, r.department, r.state, r.opened_at,
         (SELECT MAX(${RANK}) FROM photo_requests p WHERE ${AFTER}) AS rank,
         (SELECT COUNT(*) FROM photo_requests p WHERE ${AFTER} AND p.flow = 'approval'
            AND p.state NOT IN ('previewed', 'cancelled', 'expired', 'superseded')) AS approvals,
         (SELECT MIN(p.updated_at) FROM photo_requests p WHERE ${AFTER} AND p.state = 'applied') AS applied_at
       FROM broadcast_recipients r JOIN broadcast_campaigns c ON c.id = r.campaign_id WHERE r.campaign_id = ? ${page ? 'AND r.user_id > ?' : ''} ORDER BY r.user_id
       ${page ? 'LIMIT ?' : ''}`,
      page ? [campaignId, page.afterUserId, page.limit] : [campaignId],
    );
    // "Visible": the newest finished coverage scan, if it started after the photo was applied, saw a photo.
    const scan = await this.db.get<{ id: string; started_at: number }>(
      `SELECT id, started_at FROM coverage_scans WHERE state = 'done' ORDER BY started_at DESC LIMIT 1`,
    );
    const seen = new Map<string, boolean | null>();
    // Strictly after: a scan that started in the same millisecond may have read the old photo.
    const applied = scan ? rows.filter((r) => r.applied_at !== null && r.applied_at < scan.started_at) : [];
    for (let i = 0; scan && i < applied.length; i += 500) {
      const ids = applied.slice(i, i + 500).map((r) => r.user_id);
      for (const u of await this.db.all<{ user_id: string; category: string }>(
        `SELECT user_id, category FROM coverage_users WHERE scan_id = ? AND user_id IN (${placeholders(ids.length)})`,
        [scan.id, ...ids],
      ))
        // A person the scan leaves out (guests, unlicensed) or could not read is not checked, not missing.
        seen.set(u.user_id, UNCHECKED.has(u.category) ? null : u.category === 'has_photo');
    }
    return {
      rows: rows.map((r) => ({
        userId: r.user_id,
        department: r.department,
        delivered: r.state === 'sent',
        opened: r.opened_at !== null,
        photo: PHOTO[Number(r.rank ?? 0)] ?? 'none',
        neededApproval: Number(r.approvals ?? 0) > 0,
        visible: r.applied_at === null ? false : (seen.get(r.user_id) ?? null),
      })),
      visibleAsOf: scan ? new Date(Number(scan.started_at)) : null,
    };
  }

  async markOpened(userId: string, at: Date): Promise<void> {
    // Most calls find nothing to mark: an indexed read first, so that they take no write lock.
    const open = await this.db.get(
      `SELECT 1 AS open FROM broadcast_recipients WHERE user_id = ? AND state = 'sent' AND opened_at IS NULL LIMIT 1`,
      [userId],
    );
    if (!open) return;
    await this.db.run(
      `UPDATE broadcast_recipients SET opened_at = ?
         WHERE user_id = ? AND state = 'sent' AND opened_at IS NULL
           AND campaign_id IN (SELECT id FROM broadcast_campaigns WHERE send_at <= ?)`,
      [at.getTime(), userId, at.getTime()],
    );
  }
}
