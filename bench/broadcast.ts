/**
 * Benchmark: a broadcast to 10,000 recipients against the local tenant enforcing Teams' bot rate
 * limit (per app per tenant, scaled up so that the run stays short), in one run:
 *   paced: the product's dispatcher (durable jobs in SQLite, the shared token-bucket pace at the
 *          limit, a 429 pauses everyone until Retry-After, then resumes at the limit)
 *   naive: a send-until-throttled loop (16 in flight, no pacing; a 429 makes that sender wait its
 *          Retry-After and try again), like Company Communicator's
 * Every recipient is new to the bot: install through Graph, create the conversation, send (two
 * connector requests each). Prints connector requests/s as a ratio of the limit, 429s, duplicates,
 * lost, and peak memory of the sender (the local tenant runs in a child process). Figures, never a gate.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/broadcast.ts --bundle --platform=node --packages=external --outfile=/tmp/broadcast.js \
 *     && NODE_PATH=node_modules node /tmp/broadcast.js
 * Knobs: USERS (10000), LIMIT (connector requests per second per app, 500), CONCURRENCY (16), MODES (paced,naive),
 * PACE (the product's BROADCAST_HEADROOM: it paces at LIMIT x PACE, default 0.95).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEMO_APP,
  DEMO_APP_ROLES,
  DEMO_TEAMS_APP_ID,
  startLocalTenant,
  type OrgSeed,
  type SeedUser,
} from '../emulator';
import { BroadcastDispatcher } from '../bot/src/core/broadcast/broadcast-dispatcher';
import { resolveLocale } from '../bot/src/i18n/i18n';
import { BotConnectorClient, type ConnectorAnswer } from '../bot/src/m365/bot-connector-client';
import { GraphAppInstaller } from '../bot/src/m365/graph-app-installer';
import { GraphAudienceSource } from '../bot/src/m365/graph-audience';
import { createGraphClient } from '../bot/src/m365/graph-client';
import { LocalClientCredentials } from '../bot/src/m365/token-source';
import { SqliteDb } from '../bot/src/store/sql/sqlite-db';
import { sqlBroadcastStores } from '../bot/src/store/broadcast/sql-broadcast-stores';
import { SqlConversationStore } from '../bot/src/store/sql-conversation-store';
import { SqlCoverageStore } from '../bot/src/store/sql-coverage-store';
import { TeamsOutbox } from '../bot/src/outbox/teams-outbox';
import { TeamsCampaignTransport } from '../bot/src/teams/proactive/campaign-transport';
import { reminderCard } from '../bot/src/teams/cards/reminder-card';

const USERS = Number(process.env.USERS ?? 10_000);
const LIMIT = Number(process.env.LIMIT ?? 500);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const MODES = (process.env.MODES ?? 'paced,naive').split(',');
/** The product's pace as a share of the limit (BROADCAST_HEADROOM, default 0.95). */
const PACE = Number(process.env.PACE ?? 0.95);
const TENANT = 'bench-tenant';
const LANGS = ['en-US', 'fi-FI', 'nl-NL', 'pl-PL'];

interface Figures {
  seconds: number;
  requests: number;
  ratio: number;
  messagesPerSecond: number;
  throttled: number;
  duplicates: number;
  lost: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function seed(): OrgSeed {
  const users: SeedUser[] = Array.from({ length: USERS }, (_, i) => ({
    id: `user-${String(i).padStart(5, '0')}`,
    upn: `user${i}@bench.test`,
    displayName: `User ${i}`,
    givenName: null,
    surname: null,
    mail: `user${i}@bench.test`,
    userType: 'Member',
    preferredLanguage: LANGS[i % LANGS.length] as string,
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    mailbox: 'online',
  }));
  return {
    tenantId: TENANT,
    domain: 'bench.test',
    users,
    apps: [{ ...DEMO_APP, displayName: 'Headshot', roles: [...DEMO_APP_ROLES] }],
    teamsApps: [{ id: DEMO_TEAMS_APP_ID, externalId: DEMO_APP.clientId, displayName: 'Headshot' }],
  };
}

/** Peak RSS and heap while `run` runs, sampled every 50 ms. */
async function withPeakMemory<T>(run: () => Promise<T>): Promise<{ value: T; rss: number; heap: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 50);
  try {
    const value = await run();
    sample();
    return { value, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

async function control<T>(url: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** Messages per recipient as the connector recorded them: duplicates and lost. */
async function audit(url: string): Promise<{ duplicates: number; lost: number }> {
  const conversations = (
    await control<{ value: Array<{ id: string; members: Array<{ id: string }> }> }>(
      url,
      'GET',
      '/_control/connector/conversations',
    )
  ).value;
  const userOf = new Map(conversations.map((c) => [c.id, c.members[0]?.id]));
  const per = new Map<string, number>();
  for (const r of (
    await control<{ value: Array<{ conversationId: string; kind: string }> }>(
      url,
      'GET',
      '/_control/connector/activities',
    )
  ).value)
    if (r.kind === 'send')
      per.set(userOf.get(r.conversationId) ?? '?', (per.get(userOf.get(r.conversationId) ?? '?') ?? 0) + 1);
  let duplicates = 0;
  for (const n of per.values()) duplicates += Math.max(0, n - 1);
  return { duplicates, lost: USERS - per.size };
}

async function prepare(url: string): Promise<void> {
  await control(url, 'POST', '/_control/reset');
  await control(url, 'PUT', '/_control/connector/rate-limits', { enabled: true, appPerSecond: LIMIT });
}

async function paced(url: string): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-bench-'));
  const db = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  const graph = createGraphClient({
    baseUrl: url,
    tokens: new LocalClientCredentials(url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret),
  });
  const conversations = new SqlConversationStore(db);
  const store = sqlBroadcastStores(db);
  const dispatcher = new BroadcastDispatcher({
    store,
    transport: new TeamsCampaignTransport(
      new TeamsOutbox({
        connector: new BotConnectorClient(),
        conversations,
        installer: new GraphAppInstaller(graph, DEMO_TEAMS_APP_ID),
        serviceUrl: async () => url,
        botAppId: 'bench-bot',
        tenantId: TENANT,
        now: () => new Date(),
      }),
    ),
    audience: new GraphAudienceSource(graph, new SqlCoverageStore(db)),
    clock: { now: () => new Date() },
    owner: 'bench',
    onError: (what, err) => process.stderr.write(`${what}: ${(err as Error).message}\n`),
    localeOf: async (m) => resolveLocale(m.preferredLanguage),
    settings: {
      ratePerSecond: LIMIT * PACE,
      concurrency: CONCURRENCY,
      maxAttempts: 5,
      maxThrottles: 50,
      leaseMs: 30_000,
      progressEveryMs: 3_000,
      baseBackoffMs: 1_000,
      maxBackoffMs: 60_000,
    },
  });
  await prepare(url);
  const now = new Date();
  await store.campaigns.createCampaign({
    id: 'bench-campaign',
    createdBy: 'bench',
    createdAt: now,
    message: { kind: 'reminder' },
    audience: { kind: 'everyone', includeGuests: false, includeDisabled: false },
    sendAt: now,
    state: 'scheduled',
    enqueued: 0,
    throttled: 0,
  });
  const t0 = Date.now();
  const { rss, heap } = await withPeakMemory(async () => {
    dispatcher.start(200);
    await dispatcher.settle(30 * 60_000, 200);
  });
  const seconds = (Date.now() - t0) / 1000;
  await dispatcher.stop(1000);
  const counts = await store.jobs.counts('bench-campaign');
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return figures(url, seconds, rss, heap, counts.sent);
}

async function figures(url: string, seconds: number, rss: number, heap: number, _sent: number): Promise<Figures> {
  const limits = await control<{ throttled: number; allowed: number }>(url, 'GET', '/_control/connector/rate-limits');
  const { duplicates, lost } = await audit(url);
  return {
    seconds,
    requests: limits.allowed,
    ratio: limits.allowed / seconds / LIMIT,
    messagesPerSecond: (USERS - lost) / seconds,
    throttled: limits.throttled,
    duplicates,
    lost,
    peakRssMb: rss / 1048576,
    peakHeapMb: heap / 1048576,
  };
}

/** Send until throttled: no pacing, each 429 waits its Retry-After and goes again. */
async function naive(url: string): Promise<Figures> {
  const graph = createGraphClient({
    baseUrl: url,
    tokens: new LocalClientCredentials(url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret),
  });
  const installer = new GraphAppInstaller(graph, DEMO_TEAMS_APP_ID);
  const connector = new BotConnectorClient();
  await prepare(url);
  const users = seed().users;
  const persist = async <T>(call: () => Promise<ConnectorAnswer<T>>): Promise<ConnectorAnswer<T>> => {
    for (;;) {
      const a = await call();
      if (a.ok || a.status !== 429 || 'sent' in a) return a;
      await new Promise((r) => setTimeout(r, (a.retryAfterSeconds ?? 1) * 1000));
    }
  };
  let next = 0;
  const t0 = Date.now();
  const { rss, heap } = await withPeakMemory(async () => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < users.length) {
          const u = users[next++] as SeedUser;
          await installer.install(u.id);
          const conv = await persist(() =>
            connector.createConversation(url, { botId: '28:bench-bot', userId: u.id, tenantId: TENANT }),
          );
          if (!conv.ok) continue;
          await persist(() =>
            connector.send(url, conv.body.id, {
              type: 'message',
              attachments: [
                {
                  contentType: 'application/vnd.microsoft.card.adaptive',
                  content: reminderCard(resolveLocale(u.preferredLanguage), { kind: 'reminder' }),
                },
              ],
            }),
          );
        }
      }),
    );
  });
  return figures(url, (Date.now() - t0) / 1000, rss, heap, USERS);
}

/** The local tenant in a child process (its own core, and its memory is not counted as the product's). */
async function startTenantProcess(): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [process.argv[1] as string], {
    env: { ...process.env, BENCH_ROLE: 'tenant' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const m = /^TENANT (\S+)$/m.exec(buffered);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`tenant process exited with ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ROLE === 'tenant') {
    const tenant = await startLocalTenant({ port: 0, seed: seed(), teamsRateLimits: true });
    process.stdout.write(`TENANT ${tenant.url}\n`);
    process.once('SIGTERM', () => void tenant.close().then(() => process.exit(0)));
    return;
  }
  const t0 = Date.now();
  const tenant = await startTenantProcess();
  process.stdout.write(
    `broadcast: ${USERS} recipients new to the bot (install + create conversation + send), connector limit ${LIMIT} requests/s per app, ${CONCURRENCY} in flight; seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const rows: Array<[string, Figures]> = [];
  for (const mode of MODES) rows.push([mode, mode === 'naive' ? await naive(tenant.url) : await paced(tenant.url)]);
  process.stdout.write(
    'mode    seconds  requests  req/s  ratio  messages/s  429s  duplicates  lost  peak RSS MB  peak heap MB\n',
  );
  for (const [mode, f] of rows)
    process.stdout.write(
      `${mode.padEnd(6)} ${f.seconds.toFixed(1).padStart(8)} ${String(f.requests).padStart(9)} ${(f.requests / f.seconds).toFixed(0).padStart(6)} ${f.ratio.toFixed(2).padStart(6)} ${f.messagesPerSecond.toFixed(0).padStart(11)} ${String(f.throttled).padStart(5)} ${String(f.duplicates).padStart(11)} ${String(f.lost).padStart(5)} ${f.peakRssMb.toFixed(0).padStart(12)} ${f.peakHeapMb.toFixed(0).padStart(13)}\n`,
    );
  const p = rows.find(([m]) => m === 'paced')?.[1];
  const n = rows.find(([m]) => m === 'naive')?.[1];
  if (p && n)
    process.stdout.write(
      `ratios (paced / naive): requests/s x${(p.requests / p.seconds / (n.requests / n.seconds)).toFixed(2)}, 429s x${(p.throttled / Math.max(1, n.throttled)).toFixed(3)}, time x${(p.seconds / n.seconds).toFixed(2)}\n`,
    );
  await tenant.close();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
