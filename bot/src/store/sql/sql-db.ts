/**
 * The one asynchronous SQL surface every store is written against, with two engines behind it:
 * SQLite (better-sqlite3, one machine) and PostgreSQL (pg, several instances). Statements use `?`
 * placeholders and the SQL both engines share; the few places where they differ ask the dialect.
 */

/** A value a statement takes. */
export type SqlValue = string | number | bigint | Buffer | null;

/** What runs statements: the database itself, or one transaction of it. */
export interface SqlExecutor {
  /** Every row. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without rows; how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** What differs between the engines, as SQL fragments. */
export interface SqlDialect {
  name: 'sqlite' | 'postgres';
  /** The column that orders rows by insertion (SQLite's rowid; a PostgreSQL identity column). */
  insertOrder: string;
  /** The larger of two expressions (SQLite's two-argument MAX, PostgreSQL's GREATEST). */
  greatest(a: string, b: string): string;
  /**
   * Appended to a SELECT that picks rows to claim: PostgreSQL locks them and skips rows another
   * transaction holds; SQLite has one writer at a time and needs nothing.
   */
  skipLocked(table: string): string;
  /** Appended to a SELECT of a row the transaction goes on to change: PostgreSQL locks it until the end. */
  forUpdate: string;
}

/** How a transaction isolates itself (SQLite has one writer at a time and ignores it). */
export interface TransactionOptions {
  /**
   * `read_committed` for transactions made only of compare-and-set updates, inserts with a unique key and
   * `skipLocked` claims: each statement is atomic and waits for the rows it changes, and busy queues do not fail
   * each other's transactions as SERIALIZABLE would. Default `serializable`.
   */
  isolation?: 'serializable' | 'read_committed';
}

/** A database: statements, transactions, and the engine's dialect. */
export interface SqlDb extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** Where it is, for messages (no password). */
  readonly description: string;
  /**
   * Runs `work` in one transaction that sees no other writer's changes between its statements (SQLite: an
   * IMMEDIATE transaction, one at a time; PostgreSQL: SERIALIZABLE, run again after a serialization failure,
   * so `work` must do nothing but statements on `tx`). Commits when it resolves, rolls back when it throws.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the database cannot be used: unreachable, refused, read-only, or a newer schema. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'refused' | 'read_only' | 'newer_schema' | 'bad_url' | 'lost',
  ) {
    super(message);
  }
}

/** Whether an error is a unique-key violation, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** `n` placeholders separated by commas, for an IN list. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
