/**
 * Opens the store the configuration names: PostgreSQL when a DATABASE_URL is given (several instances),
 * else SQLite in DATA_DIR (one machine). Either way the schema is brought up to date first.
 */
import path from 'node:path';
import { PostgresDb } from './sql/postgres-db';
import { SqliteDb } from './sql/sqlite-db';
import { StoreUnavailableError, type SqlDb } from './sql/sql-db';

/** Where the store is. */
export interface StoreLocation {
  /** postgres://...; absent: SQLite. */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL's password for each new connection (an Entra token), when not in the URL. */
  password?: () => Promise<string>;
}

/** The SQLite file of a data folder. */
const sqliteFile = (dataDir: string): string => path.join(dataDir, 'headshot.sqlite');

/** Opens and migrates the store; throws StoreUnavailableError with a message a person can act on. */
export async function openStore(where: StoreLocation): Promise<SqlDb> {
  if (where.databaseUrl) return PostgresDb.open({ url: where.databaseUrl, password: where.password });
  try {
    return SqliteDb.open(sqliteFile(where.dataDir));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'SQLITE_READONLY' || e.code === 'EACCES' || e.code === 'SQLITE_CANTOPEN')
      throw new StoreUnavailableError(
        `Cannot write the SQLite store in ${where.dataDir} (${e.code}); give the service a writable DATA_DIR.`,
        'read_only',
      );
    if (/newer than this build/.test(e.message ?? ''))
      throw new StoreUnavailableError(`${e.message} Run the newer build, or restore a backup.`, 'newer_schema');
    throw err;
  }
}
