/**
 * The PostgreSQL engine of SqlDb (node-postgres), for several service instances on one database.
 *
 * - Statements are the shared SQL with `?` placeholders, numbered here (`$1`, `$2`, ...).
 * - Transactions run SERIALIZABLE: each behaves as if it ran alone, like SQLite's one writer at a
 *   time, so a read-then-write inside one stays correct across instances. A serialization failure or
 *   deadlock rolls back and runs the transaction again (a few times, with jitter); so does a
 *   connection lost before COMMIT was sent (the server rolled it back). A connection lost during COMMIT
 *   is reported, never retried: it may have committed.
 * - Migrations run under an advisory lock, so instances starting together apply each one once; a
 *   database whose schema is newer than this build, or that only reads, is refused at start.
 */
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import {
  StoreUnavailableError,
  type SqlDb,
  type SqlDialect,
  type SqlExecutor,
  type SqlValue,
  type TransactionOptions,
} from './sql-db';

const POSTGRES: SqlDialect = {
  name: 'postgres',
  insertOrder: 'seq',
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  skipLocked: (table) => `FOR UPDATE OF ${table} SKIP LOCKED`,
  forUpdate: 'FOR UPDATE',
};

/** Key of the advisory lock held while migrating (any constant both builds agree on). */
const MIGRATION_LOCK = 0x4845_4144; // "HEAD"
/** Transactions run again after a serialization failure at most this many times. */
const MAX_ATTEMPTS = 12;
/** SQLSTATEs after which a transaction is run again: serialization failure, deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
/** Error codes of a connection that went away (node's and PostgreSQL's). */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

// BIGINT (ms timestamps, counts) and NUMERIC (SUM) as numbers: every value the stores keep fits in 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** `?` to `$n`, outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else out += ch;
  }
  return out;
}

const isConnectionError = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string } | null;
  return (
    !!e &&
    ((!!e.code && CONNECTION_CODES.has(e.code)) ||
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message ?? ''))
  );
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The URL without its password, for messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unreadable URL)';
  }
}

/** Statements on one client or on the pool. */
class Runner implements SqlExecutor {
  constructor(private readonly q: pg.Pool | pg.PoolClient) {}

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const r = await this.q.query(numberPlaceholders(sql), params ? [...params] : []);
    return r.rows as T[];
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    const r = await this.q.query(numberPlaceholders(sql), params ? [...params] : []);
    return { changes: r.rowCount ?? 0 };
  }
}

/** Options of a connection; a password, when needed, comes from `password` (Entra tokens) or the URL. */
export interface PostgresOptions {
  url: string;
  /** Called for each new connection: an access token for Entra authentication on Azure. */
  password?: () => Promise<string>;
  /** Connections per instance. */
  max?: number;
  /** Refuse to start when the database is read-only (default true). */
  requireWritable?: boolean;
}

/** SqlDb on a PostgreSQL database. */
export class PostgresDb implements SqlDb {
  readonly dialect = POSTGRES;
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly runner: Runner;

  private constructor(options: PostgresOptions) {
    this.description = describeUrl(options.url);
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      types,
      ...(options.password ? { password: options.password } : {}),
    });
    // An idle connection that dies (server restart, failover) must not take the process with it.
    this.pool.on('error', () => undefined);
    this.runner = new Runner(this.pool);
  }

  /** Connects, checks the server will take writes, and brings the schema up to date. */
  static async open(options: PostgresOptions): Promise<PostgresDb> {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new StoreUnavailableError(
        'DATABASE_URL is not a URL (expected postgres://user@host:port/database).',
        'bad_url',
      );
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
      throw new StoreUnavailableError(
        `DATABASE_URL must start with postgres:// (got ${parsed.protocol}//); leave it unset for SQLite under DATA_DIR.`,
        'bad_url',
      );
    const db = new PostgresDb(options);
    try {
      await db.migrate(options.requireWritable ?? true);
      return db;
    } catch (err) {
      await db.close();
      throw db.explain(err);
    }
  }

  /** A store error a person can act on, for an error of the driver. */
  private explain(err: unknown): Error {
    if (err instanceof StoreUnavailableError) return err;
    const e = err as { code?: string; message?: string };
    if (isConnectionError(err) || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      return new StoreUnavailableError(
        `Cannot reach ${this.description} (${e.code ?? e.message ?? 'no answer'}).`,
        'unreachable',
      );
    if (e.code === '28P01' || e.code === '28000' || e.code === '3D000' || e.code === '42501')
      return new StoreUnavailableError(`${this.description} refused the connection: ${e.message}`, 'refused');
    return err as Error;
  }

  private async migrate(requireWritable: boolean): Promise<void> {
    const client = await this.pool.connect();
    const ignore = (): void => undefined;
    client.on('error', ignore);
    try {
      if (requireWritable) {
        const ro = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
        if (ro.rows[0]?.transaction_read_only === 'on')
          throw new StoreUnavailableError(
            `${this.description} is read-only (a replica, or default_transaction_read_only is on); Headshot needs the primary.`,
            'read_only',
          );
      }
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query(
          `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
        );
        const r = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
        let version = r.rows[0]?.v ?? 0;
        if (version > POSTGRES_MIGRATIONS.length)
          throw new StoreUnavailableError(
            `The database schema (version ${version}) is newer than this build knows (${POSTGRES_MIGRATIONS.length}): run the newer build, or restore a backup.`,
            'newer_schema',
          );
        while (version < POSTGRES_MIGRATIONS.length) {
          await client.query('BEGIN');
          try {
            await client.query(POSTGRES_MIGRATIONS[version] as string);
            await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
              version + 1,
              Date.now(),
            ]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
          version += 1;
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.off('error', ignore);
      client.release();
    }
  }

  /** The schema version recorded in the database. */
  async schemaVersion(): Promise<number> {
    const r = await this.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    return r?.v ?? 0;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.retryLost(() => this.runner.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.retryLost(() => this.runner.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    // A single statement is its own transaction; when its connection is lost, whether it ran is unknown.
    return this.runner.run(sql, params).catch((err: unknown) => {
      throw this.lost(err);
    });
  }

  /** Reads run again once on a fresh connection when theirs was lost. */
  private async retryLost<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      return read().catch((again: unknown) => {
        throw this.lost(again);
      });
    }
  }

  private lost(err: unknown): unknown {
    return isConnectionError(err)
      ? new StoreUnavailableError(`Lost the connection to ${this.description}.`, 'lost')
      : err;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const begin =
      options.isolation === 'read_committed'
        ? 'BEGIN ISOLATION LEVEL READ COMMITTED'
        : 'BEGIN ISOLATION LEVEL SERIALIZABLE';
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw this.explain(err);
      }
      let committing = false;
      let broken = false;
      // A connection that dies while checked out emits 'error' besides failing its query: without a listener
      // that event would end the process. The failed query is what this transaction acts on.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      try {
        await client.query(begin);
        const result = await work(new Runner(client));
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = isConnectionError(err);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        const code = (err as { code?: string }).code;
        const again = (code !== undefined && RETRY_CODES.has(code)) || (broken && !committing);
        if (!again || attempt >= MAX_ATTEMPTS) throw committing ? this.lost(err) : err;
        await sleep(Math.random() * Math.min(100, 2 ** attempt));
      } finally {
        client.off('error', ignore);
        client.release(broken);
      }
    }
  }

  async ping(): Promise<void> {
    await this.runner.get('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
