/** Small key-value settings the service keeps across restarts. */
import crypto from 'node:crypto';
import type { SqlDb } from './sql/sql-db';

/** Returns the stored value for `key`, creating it with `make()` on first use (the first instance's value wins). */
export async function getOrCreateSetting(db: SqlDb, key: string, make: () => string): Promise<string> {
  await db.run(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, [key, make()]);
  return ((await db.get<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, [key])) as { value: string })
    .value;
}

/** A random secret of 32 bytes, base64url. */
export function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}
