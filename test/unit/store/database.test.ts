/**
 * openDatabase/migrate: a fresh database reaches the latest schema, migrating again
 * changes nothing, a database from a newer build is refused, a failing migration
 * leaves nothing half done, and data in a file survives closing and reopening.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase, type Db } from '../../../bot/src/store/database';
import { SqliteDb } from '../../../bot/src/store/sql/sqlite-db';
import { MIGRATIONS } from '../../../bot/src/store/migrations';
import { SqlRequestRepository } from '../../../bot/src/store/sql-request-repository';
import { SqlConversationStore } from '../../../bot/src/store/sql-conversation-store';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import { getOrCreateSetting } from '../../../bot/src/store/sql-settings';
import { T0, photo, previewed, tempDir } from '../../support/store-records';

const userVersion = (db: Db) => db.pragma('user_version', { simple: true }) as number;
const schema = (db: Db) =>
  db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all();
const tables = (db: Db) =>
  (
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as { name: string }[]
  ).map((r) => r.name);

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a fresh database reaches the latest user_version with every table the store uses', () => {
  const db = openDatabase(':memory:');
  expect(MIGRATIONS.length).toBeGreaterThan(0);
  expect(userVersion(db)).toBe(MIGRATIONS.length);
  expect(tables(db)).toEqual([
    'approval_actions',
    'approval_approvers',
    'approval_cards',
    'approval_policy',
    'approvals',
    'audit_log',
    'broadcast_campaigns',
    'broadcast_pacer',
    'broadcast_recipients',
    'conversation_updates',
    'conversations',
    'coverage_scans',
    'coverage_users',
    'import_fingerprints',
    'import_items',
    'import_jobs',
    'pending_photos',
    'photo_follow_ups',
    'photo_requests',
    'photo_sightings',
    'previous_photos',
    'reminder_optouts',
    'request_cards',
    'settings',
    'tenant_settings',
  ]);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  db.close();
});

test('migrating an up-to-date database again is a no-op that keeps schema and data', async () => {
  const db = openDatabase(':memory:');
  await getOrCreateSetting(new SqliteDb(db, 'test'), 'k', () => 'v');
  const before = schema(db);
  expect(migrate(db)).toBe(MIGRATIONS.length);
  expect(migrate(db)).toBe(MIGRATIONS.length);
  expect(userVersion(db)).toBe(MIGRATIONS.length);
  expect(schema(db)).toEqual(before);
  expect(await getOrCreateSetting(new SqliteDb(db, 'test'), 'k', () => 'other')).toBe('v');
  db.close();
});

test('reopening a file database does not re-run migrations', () => {
  const file = path.join(dir, 'nested', 'headshot.sqlite');
  const first = openDatabase(file); // creates the missing folder too
  const before = schema(first);
  first.close();
  const again = openDatabase(file);
  expect(userVersion(again)).toBe(MIGRATIONS.length);
  expect(schema(again)).toEqual(before);
  again.close();
});

test('a database written by a newer build is refused, naming both versions, and left untouched', () => {
  const file = path.join(dir, 'newer.sqlite');
  const raw = new Database(file);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.exec(`CREATE TABLE from_the_future (x INTEGER)`);
  raw.close();

  expect(() => openDatabase(file)).toThrow(
    `(version ${MIGRATIONS.length + 1}) is newer than this build knows (${MIGRATIONS.length})`,
  );

  // Closed again, and not switched to WAL: no -wal/-shm files, the journal mode as it was.
  expect(fs.readdirSync(dir)).toEqual(['newer.sqlite']);
  const check = new Database(file);
  expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
  expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
  expect(tables(check)).toEqual(['from_the_future']);
  check.close();
});

test('a migration that fails is rolled back whole: no half-made tables, version unchanged', () => {
  const db = new Database(':memory:');
  // A clash with the first migration's first table makes its CREATE fail part-way.
  db.exec(`CREATE TABLE settings (key TEXT)`);
  expect(() => migrate(db)).toThrow(/settings/);
  expect(db.pragma('user_version', { simple: true })).toBe(0);
  expect(tables(db)).toEqual(['settings']);
  db.close();
});

test('everything the store writes to a file survives closing and reopening', async () => {
  const file = path.join(dir, 'headshot.sqlite');
  const at = new Date(T0.getTime() + 1234);
  const request = previewed('user-a', T0);
  {
    const db = SqliteDb.open(file);
    await new SqlRequestRepository(db).create(request, photo('a'));
    await new SqlRequestRepository(db).savePrevious('user-a', request.id, new Uint8Array([1, 2, 3]), at);
    await new SqlConversationStore(db).save({
      userId: 'user-a',
      tenantId: 'tenant-1',
      conversationId: 'conv-1',
      serviceUrl: 'https://smba.example/',
      locale: 'nl',
      reference: '{"conversation":{"id":"conv-1"}}',
      updatedAt: at,
    });
    await new SqlAuditLog(db).append({
      at,
      actorId: 'user-a',
      action: 'photo.receive',
      outcome: 'ok',
      detail: { n: 1 },
    });
    expect(await getOrCreateSetting(db, 'upload_ticket_secret', () => 'first-secret')).toBe('first-secret');
    await db.close();
  }
  const db = SqliteDb.open(file);
  const repo = new SqlRequestRepository(db);
  expect(await repo.get(request.id)).toEqual(request);
  expect(await repo.getPhoto(request.id)).toEqual(photo('a'));
  expect((await repo.openForUser('user-a'))?.id).toBe(request.id);
  expect(await db.get(`SELECT photo FROM previous_photos WHERE request_id = ?`, [request.id])).toEqual({
    photo: Buffer.from([1, 2, 3]),
  });
  expect(await new SqlConversationStore(db).get('user-a')).toMatchObject({
    conversationId: 'conv-1',
    locale: 'nl',
    updatedAt: at,
  });
  expect(await new SqlAuditLog(db).list({ actorId: 'user-a' })).toEqual([
    {
      at,
      actorId: 'user-a',
      action: 'photo.receive',
      outcome: 'ok',
      detail: { n: 1 },
      subjectId: undefined,
      requestId: undefined,
    },
  ]);
  expect(await getOrCreateSetting(db, 'upload_ticket_secret', () => 'second-secret')).toBe('first-secret');
  await db.close();
});
