/**
 * Benchmark: a broadcast to 10,000 recipients against the local tenant enforcing Teams' bot rate
 * limit per app per tenant, in one run, for each of RUNS rounds:
 *   paced:    the product's dispatcher (durable jobs in SQLite, the shared sliding-window pace at the
 *             limit, a 429 pauses everyone until Retry-After) with the tenant enforcing LIMIT
 *   adaptive: the same dispatcher configured for LIMIT while the tenant enforces ENFORCED (30): it must
 *             learn the lower limit from the 429s
 *   naive:    a send-until-throttled loop (16 in flight, no pacing; a 429 makes that sender wait its
 *             Retry-After and try again), like Company Communicator's, with the tenant enforcing LIMIT
 * Every recipient is new to the bot: install through Graph, create the conversation, send (two
 * connector requests each). The fraction of the limit is read from the tenant's receipts (requests it
 * allowed in each second), not from the sender's counters. Also prints 429s, duplicates and lost (per
 * recipient, from what the tenant's connector recorded) and peak memory of the sender (the local tenant
 * runs in a child process). Figures, never a gate.
 *
 * Run from the repo root (/work/main):
 *   npx esbuild bench/broadcast.ts --bundle --platform=node --packages=external --outfile=/tmp/broadcast.js \
 *     && NODE_PATH=node_modules node /tmp/broadcast.js
 * Knobs: USERS (10000), LIMIT (connector requests per second per app, 50), ENFORCED (30), CONCURRENCY (16),
 * MODES (paced,adaptive,naive), RUNS (3), GUARD_MS (the product's BROADCAST_WINDOW_GUARD_MS, 15).
 */
import { startTenantProcess } from './tenant-process';
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
import { benchUsers } from './bench-users';
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
const LIMIT = Number(process.env.LIMIT ?? 50);
const ENFORCED = Number(process.env.ENFORCED ?? 30);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const MODES = (process.env.MODES ?? 'paced,adaptive,naive').split(',');
const RUNS = Number(process.env.RUNS ?? 3);
const GUARD_MS = Number(process.env.GUARD_MS ?? 15);
const TENANT = 'bench-tenant';
const LANGS = ['en-US', 'fi-FI', 'nl-NL', 'pl-PL'];

interface Figures {
  /** The limit the tenant enforced. */
  enforced: number;
  seconds: number;
  requests: number;
  /** Allowed requests per second over the campaign (start to settle) / the enforced limit. */
  ratio: number;
  /** The same from the tenant's receipts: whole seconds from its first allowed request to its last. */
  receiptRatio: number;
  messagesPerSecond: number;
  throttled: number;
  duplicates: number;
  lost: number;
  peakRssMb: number;
  peakHeapMb: number;
}

function seed(): OrgSeed {
  const users = benchUsers(
    USERS,
    (i) => ({ preferredLanguage: LANGS[i % LANGS.length] as string }),
    (i) => String(i).padStart(5, '0'),
  );
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

/** The connector client with the bot's app token, as the product calls it (the connector refuses calls without). */
function connectorClient(tokens: LocalClientCredentials): BotConnectorClient {
  return new BotConnectorClient({ token: () => tokens.getToken('https://api.botframework.com/.default') });
}

async function prepare(url: string, enforced: number): Promise<void> {
  await control(url, 'POST', '/_control/reset');
  await control(url, 'PUT', '/_control/connector/rate-limits', { enabled: true, appPerSecond: enforced });
}

async function paced(url: string, enforced: number): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-bench-'));
  const db = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  const tokens = new LocalClientCredentials(url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret);
  const graph = createGraphClient({ baseUrl: url, tokens });
  const conversations = new SqlConversationStore(db);
  const store = sqlBroadcastStores(db);
  const dispatcher = new BroadcastDispatcher({
    store,
    transport: new TeamsCampaignTransport(
      new TeamsOutbox({
        connector: connectorClient(tokens),
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
      ratePerSecond: LIMIT,
      windowGuardMs: GUARD_MS,
      probeMs: 30_000,
      concurrency: CONCURRENCY,
      maxAttempts: 5,
      maxThrottles: 50,
      leaseMs: 30_000,
      progressEveryMs: 3_000,
      baseBackoffMs: 1_000,
      maxBackoffMs: 60_000,
    },
  });
  await prepare(url, enforced);
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
  if (counts.sent !== USERS) process.stderr.write(`paced: the store counts ${counts.sent} sent of ${USERS}\n`);
  return figures(url, enforced, seconds, rss, heap);
}

async function figures(url: string, enforced: number, seconds: number, rss: number, heap: number): Promise<Figures> {
  const limits = await control<{ throttled: number; allowed: number; receipts: { perSecond: number[] } }>(
    url,
    'GET',
    '/_control/connector/rate-limits',
  );
  const { duplicates, lost } = await audit(url);
  // Whole seconds of receipts: the last, partial second is left out.
  const whole = limits.receipts.perSecond.slice(0, -1);
  return {
    enforced,
    seconds,
    requests: limits.allowed,
    ratio: limits.allowed / seconds / enforced,
    receiptRatio: whole.reduce((a, b) => a + b, 0) / Math.max(1, whole.length) / enforced,
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
  const tokens = new LocalClientCredentials(url, TENANT, DEMO_APP.clientId, DEMO_APP.clientSecret);
  const graph = createGraphClient({ baseUrl: url, tokens });
  const installer = new GraphAppInstaller(graph, DEMO_TEAMS_APP_ID);
  const connector = connectorClient(tokens);
  await prepare(url, LIMIT);
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
  return figures(url, LIMIT, (Date.now() - t0) / 1000, rss, heap);
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
    `broadcast: ${USERS} recipients new to the bot (install + create conversation + send), configured limit ${LIMIT} requests/s per app (adaptive: the tenant enforces ${ENFORCED}), ${CONCURRENCY} in flight, window guard ${GUARD_MS} ms, ${RUNS} runs; seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const header =
    'run mode      limit  seconds  requests  ratio  receipts  messages/s  429s  duplicates  lost  peak RSS MB  peak heap MB\n';
  const line = (run: string, mode: string, f: Figures) =>
    `${run.padEnd(3)} ${mode.padEnd(8)} ${String(f.enforced).padStart(6)} ${f.seconds.toFixed(1).padStart(8)} ${String(f.requests).padStart(9)} ${f.ratio.toFixed(3).padStart(6)} ${f.receiptRatio.toFixed(3).padStart(9)} ${f.messagesPerSecond.toFixed(1).padStart(11)} ${String(f.throttled).padStart(5)} ${String(f.duplicates).padStart(11)} ${String(f.lost).padStart(5)} ${f.peakRssMb.toFixed(0).padStart(12)} ${f.peakHeapMb.toFixed(0).padStart(13)}\n`;
  const rows: Array<[string, Figures]> = [];
  process.stdout.write(header);
  for (let run = 1; run <= RUNS; run++)
    for (const mode of MODES) {
      const f =
        mode === 'naive' ? await naive(tenant.url) : await paced(tenant.url, mode === 'adaptive' ? ENFORCED : LIMIT);
      rows.push([mode, f]);
      process.stdout.write(line(String(run), mode, f));
    }
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    const m = Math.floor(v.length / 2);
    return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
  };
  process.stdout.write('\nmedian [range] over runs\n');
  for (const mode of MODES) {
    const fs_ = rows.filter(([m]) => m === mode).map(([, f]) => f);
    const show = (pick: (f: Figures) => number, digits: number) => {
      const v = fs_.map(pick);
      return `${median(v).toFixed(digits)} [${Math.min(...v).toFixed(digits)}-${Math.max(...v).toFixed(digits)}]`;
    };
    process.stdout.write(
      `${mode.padEnd(8)} ratio ${show((f) => f.ratio, 3)}  receipts ${show((f) => f.receiptRatio, 3)}  429s ${show((f) => f.throttled, 0)}  429 share ${show((f) => f.throttled / (f.requests + f.throttled), 4)}  duplicates ${show((f) => f.duplicates, 0)}  lost ${show((f) => f.lost, 0)}  seconds ${show((f) => f.seconds, 1)}\n`,
    );
  }
  const medianOf = (mode: string, pick: (f: Figures) => number) =>
    median(rows.filter(([m]) => m === mode).map(([, f]) => pick(f)));
  if (MODES.includes('paced') && MODES.includes('naive'))
    process.stdout.write(
      `ratios of medians (paced / naive): ratio x${(medianOf('paced', (f) => f.ratio) / medianOf('naive', (f) => f.ratio)).toFixed(2)}, time x${(medianOf('paced', (f) => f.seconds) / medianOf('naive', (f) => f.seconds)).toFixed(2)}\n`,
    );
  await tenant.close();
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
