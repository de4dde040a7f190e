/**
 * More than one machine: three service processes on one PostgreSQL database and one local tenant, as App
 * Service runs two or more instances behind its front end. They start together (the schema is migrated once),
 * share a 2,000-recipient broadcast and its pace (nobody twice, nobody lost, no 429 that three senders caused)
 * and finish the work of one killed with SIGKILL halfway after its lease, and share requests and approvals: a photo
 * previewed on one instance is confirmed on another; an approval decided on one while another runs the
 * reminder tick is written once.
 */
import pg from 'pg';
import { DEMO_USERS, startLocalTenant, type LocalTenant } from '../../../emulator';
import type { CampaignProgressJson, PhotoRequestView } from '../../../bot/src/api/tab-contract';
import { POSTGRES_MIGRATIONS } from '../../../bot/src/store/sql/postgres-migrations';
import { member, PATTI, seedWith, until } from '../../support/broadcasts';
import { call, tokenFor } from '../../support/tab-api';
import { image } from '../../support/photos';
import { freshPostgresDatabase } from '../../support/stores';
import { metric, startInstance, type Instance } from '../../support/instances';

const N = 2_000;
const RECIPIENTS = N + 3; // everyone: Alex, Megan and Patti too
/** Teams' per-app limit on the local tenant, and the pace the instances share (just under it). */
const APP_LIMIT = 120;
const ENV = {
  BROADCAST_RATE: String(APP_LIMIT),
  BROADCAST_POLL_MS: '100',
  // Wall-clock instances: reminders must not wait for anyone's working hours (quiet-hours.test.ts tests those).
  BROADCAST_QUIET_HOURS: '0',
  BROADCAST_PROGRESS_SECONDS: '2',
  BROADCAST_BACKOFF_MS: '200',
  BROADCAST_LEASE_SECONDS: '3',
  COVERAGE_REFRESH_HOURS: '0',
  APPROVAL_TICK_SECONDS: '1',
};

let tenant: LocalTenant;
let databaseUrl: string;
let instances: Instance[] = [];

const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${tenant.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Connector sends per recipient of one campaign's conversations (the local tenant's record of every message). */
async function sendsPerUser(): Promise<Map<string, number>> {
  const { value: conversations } = await control<{ value: Array<{ id: string; members: Array<{ id: string }> }> }>(
    'GET',
    '/_control/connector/conversations',
  );
  const userOf = new Map(conversations.map((c) => [c.id, (c.members[0]?.id as string).replace(/^29:/, '')]));
  const { value: records } = await control<{ value: Array<{ kind: string; conversationId: string }> }>(
    'GET',
    '/_control/connector/activities',
  );
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.kind !== 'send' || !userOf.has(r.conversationId)) continue;
    const u = userOf.get(r.conversationId) as string;
    counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  return counts;
}

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, host: '127.0.0.1', teamsRateLimits: true });
  const org = seedWith(Array.from({ length: N }, (_, i) => member(`m${String(i).padStart(4, '0')}`, i)));
  // Megan is Alex's manager: she decides on his photo in the approval test.
  org.users = org.users.map((u) => (u.id === DEMO_USERS.alex ? { ...u, managerId: DEMO_USERS.megan } : u));
  await control('POST', '/_control/seed', org);
  await control('PUT', '/_control/connector/rate-limits', { appPerSecond: APP_LIMIT / 0.9 });
  databaseUrl = await freshPostgresDatabase();
  const env = { ...ENV, LOCAL_TENANT_URL: tenant.url, DATABASE_URL: databaseUrl };
  // All three at the same moment, on an empty database.
  instances = await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env)));
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
  await tenant?.close();
});

test('three instances starting together on an empty database migrate it once', async () => {
  const rows = await query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
  for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(200);
});

test('a photo previewed on one instance is confirmed on another', async () => {
  const [a, b] = instances as [Instance, Instance];
  const token = await tokenFor({ tenant }, DEMO_USERS.alex);
  const created = await call<PhotoRequestView>(a.url, 'POST', '/api/me/photo-requests', {
    token,
    raw: image('exif-orientation-examples/Portrait_1.jpg'),
  });
  expect(created.status).toBe(200);
  expect(created.json.state).toBe('previewed');
  const submitted = await call<PhotoRequestView>(
    b.url,
    'POST',
    `/api/me/photo-requests/${created.json.requestId}/submit`,
    {
      token,
    },
  );
  expect(submitted.status).toBe(200);
  expect(submitted.json.state).toBe('applied');
  const seen = await call<PhotoRequestView>(a.url, 'GET', `/api/me/photo-requests/${created.json.requestId}`, {
    token,
  });
  expect(seen.json.state).toBe('applied');
}, 60_000);

test('a 2,000-recipient broadcast shared by three instances, one killed with SIGKILL halfway: nobody twice, nobody lost, no 429', async () => {
  const before = await control<{ throttled: number }>('GET', '/_control/connector/rate-limits');
  const token = await tokenFor({ tenant }, PATTI);
  const created = await call<CampaignProgressJson>(instances[0]!.url, 'POST', '/api/admin/campaigns', {
    token,
    body: { message: { kind: 'reminder' }, audience: { kind: 'everyone' } },
  });
  expect(created.status).toBe(200);
  const id = created.json.id;
  const progress = async () =>
    (await call<CampaignProgressJson>(instances[1]!.url, 'GET', `/api/admin/campaigns/${id}`, { token })).json;
  await until(async () => (await progress()).sent >= RECIPIENTS / 3, 240_000, 'a third sent');
  // Every instance has sent its share by now; then one dies without a word, with sends in flight.
  const shares = await Promise.all(
    instances.map((i) => metric(i, 'headshot_broadcast_sends_total', 'outcome="delivered"')),
  );
  for (const share of shares) expect(share).toBeGreaterThan(0);
  await instances[2]!.kill();
  instances = instances.slice(0, 2);
  // The other two take over its claimed jobs once its lease has run out, and finish.
  await until(async () => (await progress()).state === 'done', 240_000, 'the campaign to finish');
  const end = await progress();
  expect(end).toMatchObject({ total: RECIPIENTS, failed: end.unknown, waiting: 0 });
  // Sent, or, only for a send the killed instance had in flight, "unknown": nothing lost, nothing left waiting.
  expect(end.sent + end.unknown).toBe(RECIPIENTS);
  expect(end.unknown).toBeLessThanOrEqual(16);
  const perUser = await sendsPerUser();
  expect([...perUser.values()].filter((n) => n !== 1)).toEqual([]);
  expect(perUser.size).toBeGreaterThanOrEqual(RECIPIENTS - end.unknown);
  // One shared pace for three senders at the whole limit: Teams refused at most 0.1% of some 4,000 requests
  // (jitter on a busy machine can tip its window; the pace then widens its guard).
  const after = await control<{ throttled: number }>('GET', '/_control/connector/rate-limits');
  expect(after.throttled - before.throttled).toBeLessThanOrEqual(4);
}, 480_000);

test('an approval decided on one instance while another runs the reminder tick is written once', async () => {
  const [a, b] = instances as [Instance, Instance];
  await query(
    `INSERT INTO approval_policy (id, required_for, group_ids, approvers_group_id, remind_after_minutes,
       escalate_after_minutes, expire_after_minutes, updated_at, updated_by)
     VALUES (1, 'everyone', '[]', NULL, 1, 600, 6000, $1, 'test') ON CONFLICT (id) DO UPDATE SET required_for = 'everyone'`,
    [Date.now()],
  );
  const alexToken = await tokenFor({ tenant }, DEMO_USERS.alex);
  const created = await call<PhotoRequestView>(a.url, 'POST', '/api/me/photo-requests', {
    token: alexToken,
    raw: image('exif-orientation-examples/Landscape_1.jpg'),
  });
  const requestId = created.json.requestId;
  const submitted = await call<PhotoRequestView>(a.url, 'POST', `/api/me/photo-requests/${requestId}/submit`, {
    token: alexToken,
  });
  expect([submitted.status, submitted.json.state]).toEqual([200, 'pending_approval']);
  const writesBefore = (
    await control<{ value: unknown[] }>(
      'GET',
      `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${DEMO_USERS.alex}/photo`)}`,
    )
  ).value.length;
  // The reminder is due: every instance's tick (each second) races for it, and Megan decides on B meanwhile.
  const megan = await tokenFor({ tenant }, DEMO_USERS.megan);
  await control('POST', '/_control/clock/advance', { seconds: 120 });
  const decided = await call(b.url, 'POST', `/api/approvals/${requestId}/decision`, {
    token: megan,
    body: { decision: 'approve' },
  });
  expect(decided.status).toBe(200);
  await until(
    async () =>
      (await call<PhotoRequestView>(a.url, 'GET', `/api/me/photo-requests/${requestId}`, { token: alexToken })).json
        .state === 'applied',
    30_000,
    'the approved photo to be written',
  );
  await new Promise((r) => setTimeout(r, 3_000)); // a few more ticks on every instance
  const writes = (
    await control<{ value: unknown[] }>(
      'GET',
      `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${DEMO_USERS.alex}/photo`)}`,
    )
  ).value.length;
  expect(writes - writesBefore).toBe(1);
  const decisions = await query<{ outcome: string }>(
    `SELECT outcome FROM audit_log WHERE request_id = $1 AND action = 'approval.approve'`,
    [requestId],
  );
  expect(decisions).toEqual([{ outcome: 'ok' }]);
  const reminders = await query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM approvals WHERE request_id = $1 AND reminded_at IS NOT NULL`,
    [requestId],
  );
  expect(Number(reminders[0]?.n)).toBeLessThanOrEqual(1);
}, 120_000);
