/**
 * `headshot store migrate --from sqlite:<file> --to postgres://...`: copies a single-machine SQLite store into
 * PostgreSQL before several instances start on it (docs/deploy-azure.md). Idempotent: run it again and only
 * rows the destination lacks are added. Progress per table on stderr; --json prints the counts on stdout.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { PostgresDb } from '../store/sql/postgres-db';
import { SqliteDb } from '../store/sql/sqlite-db';
import { copyStore } from '../store/store-migration';
import type { CommandIo } from './prologue';

const STORE_USAGE = 'headshot store migrate --from sqlite:<file> --to postgres://user@host:port/database [--json]\n';

/** Runs `headshot store …`; resolves to the exit code (2: usage or a store that cannot be opened). */
export async function storeCommand(args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'migrate') {
    io.stderr(STORE_USAGE);
    return 2;
  }
  let values: { from?: string; to?: string; json?: boolean };
  try {
    values = parseArgs({
      args: rest,
      options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
    }).values;
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${STORE_USAGE}`);
    return 2;
  }
  const file = values.from?.startsWith('sqlite:') ? values.from.slice('sqlite:'.length) : undefined;
  if (!file || !values.to) {
    io.stderr(`--from sqlite:<file> and --to postgres://... are both needed.\n${STORE_USAGE}`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    io.stderr(`No SQLite store at ${file}.\n`);
    return 2;
  }
  let from: SqliteDb | undefined;
  let to: PostgresDb | undefined;
  try {
    from = SqliteDb.open(file);
    to = await PostgresDb.open({ url: values.to });
    const counts = await copyStore(from, to, (p) =>
      io.stderr(`${p.table.padEnd(22)} ${String(p.read).padStart(8)} / ${p.total} read, ${p.added} new\n`),
    );
    if (values.json) io.stdout(`${JSON.stringify({ from: from.description, to: to.description, tables: counts })}\n`);
    else
      io.stdout(
        `Copied ${from.description} into ${to.description}: ${counts.reduce((n, c) => n + c.added, 0)} new rows, ` +
          `${counts.reduce((n, c) => n + c.total - c.added, 0)} already there.\n`,
      );
    return 0;
  } catch (err) {
    io.stderr(`${(err as Error).message}\n`);
    return 2;
  } finally {
    await from?.close();
    await to?.close();
  }
}
