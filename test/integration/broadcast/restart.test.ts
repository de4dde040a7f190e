/**
 * Durability: the service stopped in the middle of a campaign (gracefully, and as a crash), and
 * two service instances on one data folder. Every recipient gets the campaign at most once;
 * after a graceful stop exactly once; after a crash the only recipients not known to be sent
 * are those whose send was in flight, reported as "unknown_outcome" (docs/broadcast.md).
 */
import { loadConfig } from '../../../bot/src/config';
import { createLogger } from '../../../bot/src/logger';
import { startHeadshot, type RunningHeadshot } from '../../../bot/src/wiring/service';
import { startHarness, type Harness } from '../../support/headshot';
import type { SeedUser } from '../../../emulator';
import { connectorRecords, member, PATTI, seed, seedWith, until } from '../../support/broadcasts';

const N = 240;
const RECIPIENTS = N + 3; // everyone: Alex, Megan and Patti too
const users: SeedUser[] = Array.from({ length: N }, (_, i) => member(`k${String(i).padStart(3, '0')}`, i));
const ENV = {
  COVERAGE_REFRESH_HOURS: '0',
  BROADCAST_RATE: '200',
  BROADCAST_POLL_MS: '50',
  BROADCAST_PROGRESS_SECONDS: '1',
  BROADCAST_BACKOFF_MS: '50',
  BROADCAST_LEASE_SECONDS: '1',
};
const everyone = { kind: 'everyone' as const, includeGuests: false, includeDisabled: false };

/** Reminder messages the connector recorded, per recipient (by the conversation's member). */
async function remindersPerUser(h: Harness): Promise<Map<string, number>> {
  const conversations = (
    await h.control<{ value: Array<{ id: string; members: Array<{ id: string }> }> }>(
      'GET',
      '/_control/connector/conversations',
    )
  ).value;
  // A chat's member is the Teams id (29:<object id> in the local tenant) of the person it reached.
  const userOf = new Map(conversations.map((c) => [c.id, (c.members[0]?.id as string).replace(/^29:/, '')]));
  const counts = new Map<string, number>();
  for (const r of await connectorRecords(h)) {
    if (r.kind !== 'send' || !userOf.has(r.conversationId)) continue;
    const u = userOf.get(r.conversationId) as string;
    counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  return counts;
}

async function started(h: Harness): Promise<string> {
  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: everyone,
  });
  return campaign.id;
}

describe('stopped gracefully in the middle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(ENV);
    await seed(h, seedWith(users));
  });
  afterAll(() => h.close());

  test('it completes after the restart: every recipient exactly once, the counts add up', async () => {
    const id = await started(h);
    await until(
      async () => (await h.service.admin.broadcasts.progressNow(id)).sent >= RECIPIENTS / 3,
      20_000,
      'a third sent',
    );
    await h.restart();
    const atRestart = await h.service.admin.broadcasts.progressNow(id);
    expect(atRestart.sent).toBeLessThan(RECIPIENTS);
    expect(atRestart.waiting).toBeGreaterThan(0);
    await h.service.admin.dispatcher!.settle(30_000);
    expect(await h.service.admin.broadcasts.progressNow(id)).toMatchObject({
      state: 'done',
      total: RECIPIENTS,
      sent: RECIPIENTS,
      failed: 0,
      unknown: 0,
      waiting: 0,
    });
    const perUser = await remindersPerUser(h);
    expect(perUser.size).toBe(RECIPIENTS);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});

describe('killed in the middle (no grace: requests in flight are abandoned)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(ENV, { shutdownGraceMs: 0 });
    await seed(h, seedWith(users));
  });
  afterAll(() => h.close());

  test('it completes; nobody gets it twice; only sends in flight at the crash are "unknown"', async () => {
    const id = await started(h);
    await until(
      async () => (await h.service.admin.broadcasts.progressNow(id)).sent >= RECIPIENTS / 3,
      20_000,
      'a third sent',
    );
    await h.restart();
    await h.service.admin.dispatcher!.settle(30_000);
    const p = await h.service.admin.broadcasts.progressNow(id);
    expect(p.state).toBe('done');
    expect(p.total).toBe(RECIPIENTS);
    expect(p.sent + p.failed).toBe(RECIPIENTS);
    expect(p.failed).toBe(p.unknown);
    expect(p.unknown).toBeLessThanOrEqual(16); // at most the requests in flight (BROADCAST_CONCURRENCY)

    const perUser = await remindersPerUser(h);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    const outcomes = [];
    for await (const page of h.service.admin.broadcasts.outcomes(id)) outcomes.push(...page);
    for (const o of outcomes) {
      if (o.state === 'sent')
        expect({ user: o.userId, messages: perUser.get(o.userId) }).toEqual({ user: o.userId, messages: 1 });
      else expect(o.reason).toMatch(/^unknown_outcome/);
    }
    // Recipients marked sent all have their message; the others got it at most once.
    expect(outcomes.filter((o) => o.state === 'sent')).toHaveLength(p.sent);
  }, 60_000);
});

describe('two service instances on one data folder', () => {
  let h: Harness;
  let second: RunningHeadshot;
  beforeAll(async () => {
    h = await startHarness(ENV);
    await seed(h, seedWith(users));
    second = await startHeadshot(loadConfig({ PORT: '0', DATA_DIR: h.dataDir, PLAYGROUND: '0', ...ENV }), {
      clock: h.clock,
      localTenantUrl: h.tenant.url,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await second.close();
    await h.close();
  });

  test('both send, nobody gets the campaign twice, and together they keep the pace', async () => {
    const id = await started(h);
    const t0 = Date.now();
    second.admin.dispatcher!.kick();
    await Promise.all([h.service.admin.dispatcher!.settle(30_000), second.admin.dispatcher!.settle(30_000)]);
    const seconds = (Date.now() - t0) / 1000;
    expect(await h.service.admin.broadcasts.progressNow(id)).toMatchObject({
      state: 'done',
      sent: RECIPIENTS,
      failed: 0,
    });
    const perUser = await remindersPerUser(h);
    expect(perUser.size).toBe(RECIPIENTS);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(h.service.admin.dispatcher!.stats.delivered).toBeGreaterThan(0);
    expect(second.admin.dispatcher!.stats.delivered).toBeGreaterThan(0);
    expect(h.service.admin.dispatcher!.stats.delivered + second.admin.dispatcher!.stats.delivered).toBe(RECIPIENTS);
    // One shared pace: two connector requests per new recipient at 200/s take at least this long.
    expect(seconds).toBeGreaterThan(((2 * RECIPIENTS - 3) / 200) * 0.9);
  }, 60_000);
});
