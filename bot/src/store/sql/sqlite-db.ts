/**
 * The SQLite engine of SqlDb: better-sqlite3 is synchronous and has one connection, so every
 * statement and transaction of this process takes turns on it (a transaction that awaits between
 * its statements must not let another caller's statement into it). Other processes on the same
 * file wait for SQLite's write lock (busy_timeout), as before. The turns are shared by every connection of the
 * process: a second connection's BEGIN IMMEDIATE would otherwise block the event loop while the first
 * connection's transaction waits for it to finish its statements.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../database';
import type { SqlDb, SqlDialect, SqlExecutor, SqlValue, TransactionOptions } from './sql-db';

const SQLITE: SqlDialect = {
  name: 'sqlite',
  insertOrder: 'rowid',
  greatest: (a, b) => `MAX(${a}, ${b})`,
  skipLocked: () => '',
  forUpdate: '',
};

/** better-sqlite3 binds Buffers and numbers; bigint stays bigint. */
const bind = (params: readonly SqlValue[] | undefined): SqlValue[] => (params ? [...params] : []);

/** Statements straight on the connection; only called while holding the turn. */
class Direct implements SqlExecutor {
  constructor(private readonly db: Database.Database) {}

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.db.prepare(sql).all(...bind(params)) as T[];
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.db.prepare(sql).get(...bind(params)) as T | undefined;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return { changes: this.db.prepare(sql).run(...bind(params)).changes };
  }
}

/** The end of the queue of turns on SQLite in this process. */
let tail: Promise<unknown> = Promise.resolve();

/** Runs `work` when every earlier turn has ended. */
function turn<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work);
  tail = run.catch(() => undefined);
  return run;
}

/** SqlDb on one SQLite file (or ':memory:'). */
export class SqliteDb implements SqlDb {
  readonly dialect = SQLITE;
  private readonly direct: Direct;

  constructor(
    readonly raw: Database.Database,
    readonly description: string,
  ) {
    this.direct = new Direct(raw);
  }

  /** Opens (creating and migrating) the SQLite database at `file`. */
  static open(file: string): SqliteDb {
    return new SqliteDb(openDatabase(file), file === ':memory:' ? 'SQLite in memory' : `SQLite ${file}`);
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return turn(() => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return turn(() => this.direct.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return turn(() => this.direct.run(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    return turn(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.direct);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async ping(): Promise<void> {
    await this.get('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    await turn(async () => {
      if (this.raw.open) this.raw.close();
    });
  }
}
