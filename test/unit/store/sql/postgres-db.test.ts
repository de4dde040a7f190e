/**
 * The PostgreSQL engine under the faults several instances meet: migrations raced by instances starting together,
 * a schema newer than the build, a read-only database, transactions that collide (run again until each commits
 * once), and a connection lost in the middle of a transaction (nothing half-written; run again on a new one).
 */
import pg from 'pg';
import { PostgresDb, numberPlaceholders } from '../../../../bot/src/store/sql/postgres-db';
import { POSTGRES_MIGRATIONS } from '../../../../bot/src/store/sql/postgres-migrations';
import { StoreUnavailableError } from '../../../../bot/src/store/sql/sql-db';
import { SqlTenantSettingsStore } from '../../../../bot/src/store/sql-tenant-settings';
import { freshPostgresDatabase } from '../../../support/stores';

async function sql(url: string, text: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

test('placeholders are numbered outside quoted text only', () => {
  expect(numberPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b IN (?, ?)`)).toBe(
    `SELECT '?', "a?" FROM t WHERE a = $1 AND b IN ($2, $3)`,
  );
});

test('six instances opening an empty database at once apply each migration once', async () => {
  const url = await freshPostgresDatabase();
  const dbs = await Promise.all(Array.from({ length: 6 }, () => PostgresDb.open({ url, max: 2 })));
  try {
    expect(await sql(url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })),
    );
    for (const db of dbs) expect(await db.schemaVersion()).toBe(POSTGRES_MIGRATIONS.length);
  } finally {
    await Promise.all(dbs.map((d) => d.close()));
  }
});

test('a database with a newer schema is refused with both versions named, and left as it was', async () => {
  const url = await freshPostgresDatabase();
  await (await PostgresDb.open({ url })).close();
  const newer = POSTGRES_MIGRATIONS.length + 1;
  await sql(url, `INSERT INTO schema_migrations (version, applied_at) VALUES (${newer}, 0)`);
  const refusal = await PostgresDb.open({ url }).catch((e: unknown) => e);
  expect(refusal).toBeInstanceOf(StoreUnavailableError);
  expect(refusal).toMatchObject({ reason: 'newer_schema' });
  expect((refusal as Error).message).toContain(`(version ${newer}) is newer than this build knows (${newer - 1})`);
  expect(await sql(url, 'SELECT MAX(version) AS v FROM schema_migrations')).toEqual([{ v: newer }]);
});

test('a read-only database (a replica) is refused before anything is written', async () => {
  const url = await freshPostgresDatabase();
  const name = new URL(url).pathname.slice(1);
  await sql(url, `ALTER DATABASE ${name} SET default_transaction_read_only = on`);
  await expect(PostgresDb.open({ url })).rejects.toMatchObject({ reason: 'read_only' });
  expect(await sql(url, `SELECT to_regclass('schema_migrations') AS t`)).toEqual([{ t: null }]);
});

test('a wrong URL, a closed port and an unknown database each get their own clear refusal', async () => {
  await expect(PostgresDb.open({ url: 'not a url' })).rejects.toMatchObject({ reason: 'bad_url' });
  await expect(PostgresDb.open({ url: 'postgres://x@127.0.0.1:9/db' })).rejects.toMatchObject({
    reason: 'unreachable',
  });
  const missing = new URL(await freshPostgresDatabase());
  missing.pathname = '/no_such_database';
  await expect(PostgresDb.open({ url: missing.toString() })).rejects.toMatchObject({ reason: 'refused' });
});

test('colliding read-then-write transactions from two instances are run again until each counted once', async () => {
  const url = await freshPostgresDatabase();
  const [a, b] = await Promise.all([PostgresDb.open({ url }), PostgresDb.open({ url })]);
  try {
    const locales = ['en', 'fi', 'nl', 'pl'] as const;
    // Each save reads the settings and writes them back with its own text: none may overwrite another's.
    await Promise.all(
      locales.map((locale, i) =>
        new SqlTenantSettingsStore(i % 2 ? a : b).update(
          { reminderTexts: { [locale]: { title: `T-${locale}`, text: null } } },
          new Date(),
          `admin-${locale}`,
        ),
      ),
    );
    const texts = (await new SqlTenantSettingsStore(a).get()).reminderTexts;
    expect(locales.map((l) => texts[l].title)).toEqual(locales.map((l) => `T-${l}`));
  } finally {
    await a.close();
    await b.close();
  }
});

test('a connection lost inside a transaction writes nothing of it, and the transaction runs again on another', async () => {
  const url = await freshPostgresDatabase();
  const db = await PostgresDb.open({ url });
  try {
    let attempts = 0;
    await db.transaction(async (tx) => {
      attempts += 1;
      await tx.run(`INSERT INTO settings (key, value) VALUES (?, ?)`, [`k${attempts}`, 'v']);
      // The first attempt's connection dies (a failover, a network cut) after its first write.
      if (attempts === 1) await tx.run('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
      await tx.run(`INSERT INTO settings (key, value) VALUES (?, ?)`, [`k${attempts}-b`, 'v']);
    });
    expect(attempts).toBe(2);
    expect(await db.all(`SELECT key FROM settings ORDER BY key`)).toEqual([{ key: 'k2' }, { key: 'k2-b' }]);
    // The pool goes on with new connections.
    await db.ping();
  } finally {
    await db.close();
  }
});
