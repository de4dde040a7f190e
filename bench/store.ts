/**
 * The store contract's operations per second, SQLite against PostgreSQL, in one run (interleaved rounds, so
 * the machine's drift hits both alike). Each round runs, on each engine, the operations a photo request and a
 * broadcast make: create a request, move it, read it; save and read a conversation; append to the audit log;
 * claim, start and record recipient jobs; take a pace slot.
 *
 *   bash bench/run-store.sh   (bundles with esbuild, starts a throwaway PostgreSQL, runs both engines)
 *   ROUNDS=5 OPS=400 bash bench/run-store.sh
 */
import { PostgresDb } from '../bot/src/store/sql/postgres-db';
import { SqliteDb } from '../bot/src/store/sql/sqlite-db';
import type { SqlDb } from '../bot/src/store/sql/sql-db';
import { SqlAuditLog } from '../bot/src/store/sql-audit-log';
import { SqlConversationStore } from '../bot/src/store/sql-conversation-store';
import { SqlRequestRepository } from '../bot/src/store/sql-request-repository';
import { sqlBroadcastStores } from '../bot/src/store/broadcast/sql-broadcast-stores';
import type { PhotoRequest } from '../bot/src/core/photo/request-ports';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const OPS = Number(process.env.OPS ?? 300);
const URL_ = process.env.BENCH_POSTGRES_URL;

let seq = 0;
const request = (userId: string): PhotoRequest => {
  const now = new Date();
  return {
    id: `r${++seq}`,
    userId,
    tenantId: 't',
    locale: 'en',
    state: 'previewed',
    source: 'teams-file',
    warnings: [],
    sourceInfo: { format: 'jpeg', width: 648, height: 648, bytes: 40_000 },
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    version: 1,
  };
};
const master = new Uint8Array(40_000).fill(7);
const preview = new Uint8Array(3_000).fill(9);

/** One round of every operation, `OPS` times each; ops per second of the whole round. */
async function round(db: SqlDb, r: number): Promise<number> {
  const requests = new SqlRequestRepository(db);
  const conversations = new SqlConversationStore(db);
  const audit = new SqlAuditLog(db);
  const broadcast = sqlBroadcastStores(db);
  const campaign = `c${r}`;
  const now = new Date();
  await broadcast.campaigns.createCampaign({
    id: campaign,
    createdBy: 'bench',
    createdAt: now,
    message: { kind: 'reminder' },
    audience: { kind: 'everyone', includeGuests: false, includeDisabled: false },
    sendAt: now,
    state: 'scheduled',
    enqueued: 0,
    throttled: 0,
  });
  await broadcast.campaigns.claimEnqueue(campaign, 'bench', Date.now() + 60_000, Date.now(), now);
  const people = Array.from({ length: OPS }, (_, i) => ({
    userId: `u${i}`,
    upn: `u${i}`,
    displayName: `U ${i}`,
    locale: 'en' as const,
  }));
  await broadcast.campaigns.addRecipients(campaign, 'bench', people, Date.now() + 60_000, Date.now());
  await broadcast.campaigns.finishEnqueue(campaign, 'bench', Date.now());

  let ops = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) {
    const req = request(`u${i % 50}`);
    await requests.create(req, { master, preview });
    await requests.transition(req.id, 'previewed', 'applying', new Date());
    await requests.get(req.id);
    await conversations.save({
      userId: `u${i}`,
      tenantId: 't',
      conversationId: `a:${i}`,
      serviceUrl: 'https://smba.example/',
      locale: 'en',
      reference: '{}',
      updatedAt: new Date(),
    });
    await conversations.get(`u${i}`);
    await audit.append({ at: new Date(), actorId: `u${i}`, action: 'photo.apply', outcome: 'ok' });
    await broadcast.pace.tryAcquire({ limit: 1e9, windowMs: 1000, guardMs: 0, probeMs: 30_000 }, Date.now());
    ops += 7;
  }
  for (;;) {
    const jobs = await broadcast.jobs.claim('bench', 20, Date.now() + 60_000, Date.now());
    if (jobs.length === 0) break;
    ops += 1;
    for (const job of jobs) {
      await broadcast.jobs.startSending(job, 'bench', Date.now());
      await broadcast.jobs.recordSent(job, 'bench', `act-${job.userId}`, `a:${job.userId}`, Date.now());
      ops += 2;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return ops / seconds;
}

async function main(): Promise<void> {
  if (!URL_) throw new Error('BENCH_POSTGRES_URL is not set (bench/run-store.sh starts a server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-bench-store-'));
  const sqlite = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  const postgres = await PostgresDb.open({ url: URL_ });
  const figures: Record<'sqlite' | 'postgres', number[]> = { sqlite: [], postgres: [] };
  for (let r = 0; r < ROUNDS; r++) {
    figures.sqlite.push(await round(sqlite, r));
    figures.postgres.push(await round(postgres, r));
  }
  await sqlite.close();
  await postgres.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratios = figures.sqlite.map((s, i) => (figures.postgres[i] as number) / s);
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        rounds: ROUNDS,
        opsPerRound: OPS,
        sqliteOpsPerSecond: { median: Math.round(median(figures.sqlite)), all: figures.sqlite.map(Math.round) },
        postgresOpsPerSecond: { median: Math.round(median(figures.postgres)), all: figures.postgres.map(Math.round) },
        postgresOverSqlite: { median: Number(median(ratios).toFixed(2)), all: ratios.map((x) => Number(x.toFixed(2))) },
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
