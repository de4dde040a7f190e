/**
 * The store contract suite runs every store test on both engines: SQLite in memory, and a fresh database on
 * the real PostgreSQL server the global setup started (test/support/postgres-server.js).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresDb } from '../../bot/src/store/sql/postgres-db';
import { SqliteDb } from '../../bot/src/store/sql/sqlite-db';
import type { SqlDb } from '../../bot/src/store/sql/sql-db';

export type Engine = 'sqlite' | 'postgres';

/** Both engines, for `describe.each(ENGINES)`. */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** The test server's URL (set by the global setup). */
function postgresServerUrl(): string {
  const url = process.env.HEADSHOT_TEST_POSTGRES_URL;
  if (!url) throw new Error('HEADSHOT_TEST_POSTGRES_URL is not set: the jest global setup starts PostgreSQL');
  return url;
}

/** A new, empty database on the test server; its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const name = `t_${crypto.randomBytes(8).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresServerUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated, empty store on `engine`. */
export async function openTestStore(engine: Engine): Promise<SqlDb> {
  if (engine === 'sqlite') return SqliteDb.open(':memory:');
  return PostgresDb.open({ url: await freshPostgresDatabase(), max: 20 });
}

/**
 * Two service instances on one database: two connections to one SQLite file, or two pools on one PostgreSQL
 * database. `done` closes both and removes what they used.
 */
export async function openTwoInstances(engine: Engine): Promise<{ a: SqlDb; b: SqlDb; done: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-store-'));
    const file = path.join(dir, 'shared.sqlite');
    const a = SqliteDb.open(file);
    const b = SqliteDb.open(file);
    return {
      a,
      b,
      done: async () => {
        await a.close();
        await b.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await freshPostgresDatabase();
  const a = await PostgresDb.open({ url, max: 10 });
  const b = await PostgresDb.open({ url, max: 10 });
  return {
    a,
    b,
    done: async () => {
      await a.close();
      await b.close();
    },
  };
}
