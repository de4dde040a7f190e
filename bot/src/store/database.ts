/** Opens the SQLite store and brings its schema up to date. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the database at `file`, or in memory for ':memory:'. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Refuse a newer schema before changing anything in the file (switching to WAL rewrites its header).
    schemaVersion(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (err) {
    // A refused or failed open must not leave the file held open (and its -wal/-shm files behind).
    db.close();
    throw err;
  }
  return db;
}

/** The schema version recorded in the file; throws when a newer build wrote it. */
function schemaVersion(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database schema (version ${current}) is newer than this build knows (${MIGRATIONS.length}).`);
  }
  return current;
}

/**
 * Applies every migration not yet applied, each in its own transaction. The version is
 * read inside a write-locked transaction, so two processes opening a fresh file at the
 * same time do not both run the same migration.
 */
export function migrate(db: Db): number {
  const step = db.transaction((): boolean => {
    const v = schemaVersion(db);
    if (v >= MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
  return MIGRATIONS.length;
}
