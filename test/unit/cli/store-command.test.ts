/**
 * `headshot store migrate`: a single-machine SQLite store copied into PostgreSQL keeps every row and its order,
 * can be run again without duplicating anything, and PostgreSQL's own numbering continues after the copied rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { storeCommand } from '../../../bot/src/cli/store-command';
import { PostgresDb } from '../../../bot/src/store/sql/postgres-db';
import { SqliteDb } from '../../../bot/src/store/sql/sqlite-db';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import { SqlConversationStore } from '../../../bot/src/store/sql-conversation-store';
import { SqlRequestRepository } from '../../../bot/src/store/sql-request-repository';
import { sqlBroadcastStores } from '../../../bot/src/store/broadcast/sql-broadcast-stores';
import { T0, photo, previewed, tempDir } from '../../support/store-records';
import { freshPostgresDatabase } from '../../support/stores';

const RULES = { limit: 50, windowMs: 1000, guardMs: 15, probeMs: 30_000 };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await storeCommand(args, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: {},
  });
  return { code, out, err };
}

test('copies everything once, in order, and again adds nothing', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'headshot.sqlite');
  try {
    const source = SqliteDb.open(file);
    const requests = new SqlRequestRepository(source);
    const first = previewed('alex', T0);
    const second = previewed('alex', new Date(T0.getTime() + 1000));
    await requests.create(first, photo('one'));
    await requests.create(second, photo('two'));
    await requests.savePrevious('alex', second.id, new Uint8Array([7, 8]), T0);
    await new SqlConversationStore(source).save({
      userId: 'alex',
      tenantId: 't',
      conversationId: 'a:1',
      serviceUrl: 'https://smba.example/',
      locale: 'fi',
      reference: '{}',
      updatedAt: T0,
    });
    for (let i = 0; i < 700; i++)
      await new SqlAuditLog(source).append({ at: T0, actorId: `u${i}`, action: 'photo.receive', outcome: 'ok' });
    await source.close();

    const url = await freshPostgresDatabase();
    const once = await run(['migrate', '--from', `sqlite:${file}`, '--to', url, '--json']);
    expect(once.code).toBe(0);
    expect(once.err).toContain('audit_log');
    const counts = JSON.parse(once.out) as { tables: Array<{ table: string; total: number; added: number }> };
    expect(counts.tables.find((t) => t.table === 'audit_log')).toMatchObject({ total: 700, added: 700 });
    expect(counts.tables.find((t) => t.table === 'photo_requests')).toMatchObject({ total: 2, added: 2 });

    const again = await run(['migrate', '--from', `sqlite:${file}`, '--to', url, '--json']);
    expect(again.code).toBe(0);
    const second2 = JSON.parse(again.out) as { tables: Array<{ added: number }> };
    expect(second2.tables.every((t) => t.added === 0)).toBe(true);

    const target = await PostgresDb.open({ url });
    try {
      const copied = new SqlRequestRepository(target);
      expect(await copied.get(first.id)).toMatchObject({ state: 'superseded', userId: 'alex' });
      expect(await copied.latestForUser('alex')).toEqual(second);
      expect(await copied.getPhoto(second.id)).toEqual(photo('two'));
      expect(await copied.getPrevious(second.id)).toEqual({ photo: new Uint8Array([7, 8]), savedAt: T0 });
      expect((await new SqlConversationStore(target).get('alex'))?.locale).toBe('fi');
      const log = new SqlAuditLog(target);
      expect((await log.list({ limit: 1 }))[0]?.actorId).toBe('u699');
      // New entries are numbered after the copied ones.
      await log.append({ at: T0, actorId: 'after', action: 'photo.receive', outcome: 'ok' });
      expect((await log.list({ limit: 1 }))[0]?.actorId).toBe('after');
      expect(await sqlBroadcastStores(target).pace.tryAcquire(RULES, 5)).toEqual({ grantedAt: 5 });
    } finally {
      await target.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('bad arguments and unreachable stores are refused with a message and exit code 2', async () => {
  expect((await run(['copy'])).code).toBe(2);
  expect((await run(['migrate', '--from', 'x.sqlite', '--to', 'postgres://h/db'])).err).toContain('--from sqlite:');
  expect((await run(['migrate', '--from', 'sqlite:/nonexistent/h.sqlite', '--to', 'postgres://h/db'])).err).toContain(
    'No SQLite store',
  );
  const dir = tempDir();
  try {
    const file = path.join(dir, 'h.sqlite');
    await SqliteDb.open(file).close();
    const closedPort = await run(['migrate', '--from', `sqlite:${file}`, '--to', 'postgres://x@127.0.0.1:9/db']);
    expect(closedPort).toMatchObject({ code: 2 });
    expect(closedPort.err).toMatch(/Cannot reach PostgreSQL 127\.0\.0\.1:9\/db/);
    const notPostgres = await run(['migrate', '--from', `sqlite:${file}`, '--to', 'mysql://x@127.0.0.1/db']);
    expect(notPostgres.err).toContain('must start with postgres://');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
