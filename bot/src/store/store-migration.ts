/**
 * Copies a single-machine store (SQLite) into PostgreSQL, for moving to several instances
 * (`headshot store migrate`). Every row keeps its key, and rows the destination already has are left as they
 * are, so the copy can be run again (after an interruption, or to take rows written since) without
 * duplicating anything. The insertion order SQLite keeps in rowid becomes PostgreSQL's `seq`.
 */
import type { SqlDb, SqlValue } from './sql/sql-db';

/** The tables, parents before children; `order` is the source's insertion order when PostgreSQL keeps one. */
const TABLES: ReadonlyArray<{ name: string; key: string; order?: 'rowid' | 'seq' }> = [
  { name: 'conversations', key: 'user_id' },
  { name: 'photo_requests', key: 'id', order: 'rowid' },
  { name: 'pending_photos', key: 'request_id' },
  { name: 'previous_photos', key: 'request_id' },
  { name: 'audit_log', key: 'seq', order: 'seq' },
  { name: 'settings', key: 'key' },
  { name: 'approval_policy', key: 'id' },
  { name: 'approvals', key: 'request_id', order: 'rowid' },
  { name: 'approval_approvers', key: 'request_id, user_id', order: 'rowid' },
  { name: 'approval_cards', key: 'request_id, conversation_id, activity_id', order: 'rowid' },
  { name: 'approval_actions', key: 'request_id, verb, actor_id' },
  { name: 'coverage_scans', key: 'id', order: 'rowid' },
  { name: 'coverage_users', key: 'scan_id, user_id' },
  { name: 'broadcast_campaigns', key: 'id', order: 'rowid' },
  { name: 'broadcast_recipients', key: 'campaign_id, user_id' },
  { name: 'broadcast_pacer', key: 'id' },
  { name: 'tenant_settings', key: 'id' },
  { name: 'request_cards', key: 'request_id, activity_id', order: 'rowid' },
  { name: 'reminder_optouts', key: 'user_id' },
  { name: 'conversation_updates', key: 'conversation_id' },
  { name: 'photo_sightings', key: 'user_id' },
  { name: 'photo_follow_ups', key: 'id' },
  { name: 'import_jobs', key: 'id' },
  { name: 'import_items', key: 'job_id, seq' },
  { name: 'import_fingerprints', key: 'user_id' },
];

const BATCH = 500;

/** How far a copy is: per table, rows read and rows new in the destination. */
export interface MigrationProgress {
  table: string;
  read: number;
  total: number;
  added: number;
}

/** Copies every table of `from` (SQLite) into `to` (PostgreSQL, migrated); resolves to each table's counts. */
export async function copyStore(
  from: SqlDb,
  to: SqlDb,
  onProgress: (p: MigrationProgress) => void = () => undefined,
): Promise<MigrationProgress[]> {
  if (from.dialect.name !== 'sqlite' || to.dialect.name !== 'postgres')
    throw new Error('headshot store migrate copies a SQLite store into PostgreSQL');
  const done: MigrationProgress[] = [];
  for (const table of TABLES) {
    const columns = (await from.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table.name}')`)).map(
      (c) => c.name,
    );
    const withSeq = table.order === 'rowid' ? [...columns, 'seq'] : columns;
    const select =
      table.order === 'rowid'
        ? `SELECT ${columns.join(', ')}, rowid AS seq FROM ${table.name} ORDER BY rowid`
        : `SELECT ${columns.join(', ')} FROM ${table.name} ORDER BY ${table.order === 'seq' ? 'seq' : table.key}`;
    const total = ((await from.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.name}`)) as { n: number }).n;
    const progress: MigrationProgress = { table: table.name, read: 0, total, added: 0 };
    // Identity columns take the source's values (OVERRIDING SYSTEM VALUE); their sequences move past them below.
    const overriding = table.order ? 'OVERRIDING SYSTEM VALUE' : '';
    for (let offset = 0; offset < total; offset += BATCH) {
      const rows = await from.all<Record<string, SqlValue>>(`${select} LIMIT ? OFFSET ?`, [BATCH, offset]);
      const added = await to.transaction(async (tx) => {
        let n = 0;
        for (const row of rows) {
          const r = await tx.run(
            `INSERT INTO ${table.name} (${withSeq.join(', ')}) ${overriding}
             VALUES (${withSeq.map(() => '?').join(', ')}) ON CONFLICT (${table.key}) DO NOTHING`,
            withSeq.map((c) => row[c] ?? null),
          );
          n += r.changes;
        }
        return n;
      });
      progress.read += rows.length;
      progress.added += added;
      onProgress({ ...progress });
    }
    if (total === 0) onProgress({ ...progress });
    if (table.order)
      await to.run(
        `SELECT setval(pg_get_serial_sequence('${table.name}', 'seq'), GREATEST((SELECT MAX(seq) FROM ${table.name}), 1))`,
      );
    done.push(progress);
  }
  return done;
}
