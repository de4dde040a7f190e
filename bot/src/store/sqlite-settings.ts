/** Small key-value settings the service keeps across restarts. */
import crypto from 'node:crypto';
import type { Db } from './database';

/** Returns the stored value for `key`, creating it with `make()` on first use (atomically). */
export function getOrCreateSetting(db: Db, key: string, make: () => string): string {
  db.prepare(`INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)`).run(key, make());
  return (db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string }).value;
}

/** A random secret of 32 bytes, base64url. */
export function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}
