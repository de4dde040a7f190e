/**
 * Follow-through's rules without I/O: the check schedule, which systems a person's photo can show in, and what a
 * check does with Graph or SharePoint failing, a picture that cannot be read, a deleted user and a message that
 * cannot be sent. Store, Graph, SharePoint and Teams are small fakes; the picture hash is the real comparison.
 */
import { FollowThrough, systemsFor, type FollowUpMessenger } from '../../../../bot/src/core/status/follow-through';
import {
  checkDueAt,
  checkTimesMinutes,
  type FollowUp,
  type FollowUpStore,
  type NewFollowUp,
} from '../../../../bot/src/core/status/follow-through-types';
import type { FollowUpAnswer, FollowUpAsk } from '../../../../bot/src/core/status/evidence-ports';
import type { StatusReport } from '../../../../bot/src/core/status/status-types';
import { AppError } from '../../../../bot/src/core/errors';

const SCHEDULE = { everyHours: 6, limitHours: 72 };

describe('the schedule', () => {
  test('1, 5, 15 and 60 minutes, then every 6 hours up to 72: sixteen checks, the last at the limit', () => {
    const times = checkTimesMinutes(SCHEDULE);
    expect(times.slice(0, 6)).toEqual([1, 5, 15, 60, 360, 720]);
    expect(times).toHaveLength(16);
    expect(times.at(-1)).toBe(72 * 60);
  });

  test('a limit that is not a multiple of the interval still ends with a check at the limit; a short one cuts the first hour', () => {
    expect(checkTimesMinutes({ everyHours: 6, limitHours: 8 })).toEqual([1, 5, 15, 60, 360, 480]);
    expect(checkTimesMinutes({ everyHours: 1, limitHours: 2 })).toEqual([1, 5, 15, 60, 120]);
    expect(checkTimesMinutes({ everyHours: 6, limitHours: 2 })).toEqual([1, 5, 15, 60, 120]);
  });

  test('due times count from the change; past the last check there is none', () => {
    const changed = new Date('2026-12-01T09:00:00Z');
    expect(checkDueAt(changed, 0, SCHEDULE)).toEqual(new Date('2026-12-01T09:01:00Z'));
    expect(checkDueAt(changed, 4, SCHEDULE)).toEqual(new Date('2026-12-01T15:00:00Z'));
    expect(checkDueAt(changed, 15, SCHEDULE)).toEqual(new Date('2026-12-04T09:00:00Z'));
    expect(checkDueAt(changed, 16, SCHEDULE)).toBeNull();
  });
});

describe('which systems can show the photo', () => {
  const person = { upn: 'p@example.com', guest: false, hybrid: false, mailbox: 'online' as const };
  test.each([
    ['a cloud mailbox user', person, true, ['waiting', 'waiting', 'waiting']],
    [
      'a hybrid mailbox user (Entra ID is written by directory sync, unread)',
      { ...person, hybrid: true },
      true,
      ['unknown:hybrid_ad_source', 'waiting', 'waiting'],
    ],
    [
      'an on-premises mailbox',
      { ...person, hybrid: true, mailbox: 'onPremises' as const },
      true,
      ['waiting', 'not_applicable:mailbox_on_premises', 'waiting'],
    ],
    ['no mailbox', { ...person, mailbox: 'none' as const }, true, ['waiting', 'not_applicable:no_mailbox', 'waiting']],
    [
      'a guest',
      { ...person, guest: true, mailbox: 'none' as const },
      true,
      ['waiting', 'not_applicable:guest', 'not_applicable:guest'],
    ],
    ['SharePoint not connected', person, false, ['waiting', 'waiting', 'not_applicable:sharepoint_not_configured']],
  ])('%s', (_name, subject, sharePoint, expected) => {
    const s = systemsFor(subject, sharePoint);
    const code = (v: FollowUp['systems']['entra']) => ('reason' in v && v.reason ? `${v.state}:${v.reason}` : v.state);
    expect([code(s.entra), code(s.exchange), code(s.sharepoint)]).toEqual(expected);
  });
});

// ---------------------------------------------------------------- a check, with fakes

/** One store row per change, claimed and saved as the SQL store does (its own contract test covers SQL). */
class MemoryStore implements FollowUpStore {
  rows = new Map<string, FollowUp & { owner?: string }>();
  async start(c: NewFollowUp, dueAt: Date) {
    if (this.rows.has(c.id)) return false;
    this.rows.set(c.id, {
      ...c,
      state: 'watching',
      checks: 0,
      dueAt,
      subject: null,
      systems: { entra: { state: 'waiting' }, exchange: { state: 'waiting' }, sharepoint: { state: 'waiting' } },
      messages: [],
      lastCheckedAt: null,
      endedAt: null,
    });
    return true;
  }
  async claimDue(owner: string, limit: number, _lease: Date, now: Date) {
    const due = [...this.rows.values()].filter((r) => r.state === 'watching' && r.dueAt! <= now && !r.owner);
    const claimed = due.slice(0, limit).map((r) => structuredClone(r));
    for (const r of due.slice(0, limit)) r.owner = owner;
    return claimed;
  }
  async save(owner: string, f: FollowUp) {
    const r = this.rows.get(f.id);
    if (!r || r.owner !== owner || r.state !== 'watching') return false;
    this.rows.set(f.id, { ...f });
    return true;
  }
  async since() {
    return [...this.rows.values()];
  }
  async get(id: string) {
    return this.rows.get(id) ?? null;
  }
  async forgetEndedBefore(before: Date) {
    const old = [...this.rows.values()].filter((r) => r.state !== 'watching' && r.changedAt < before);
    for (const r of old) this.rows.delete(r.id);
    return old.length;
  }
}

const NEW = new Uint8Array([1]);
const OLD = new Uint8Array([2]);
const BROKEN = new Uint8Array([3]);
const HASHES = new Map([
  [1, 'ffffffff00000000'],
  [2, '00000000ffffffff'],
]);

function rig(answer: (ask: FollowUpAsk) => FollowUpAnswer, shown: (upn: string) => Promise<Uint8Array>) {
  let now = new Date('2026-12-01T09:00:00Z');
  const store = new MemoryStore();
  const sent: string[] = [];
  const errors: string[] = [];
  const messenger: FollowUpMessenger = {
    visible: async (f) => {
      sent.push(`visible ${f.id}`);
      return true;
    },
    notYet: async (f, _r, final) => {
      sent.push(`${final ? 'final' : 'partial'} ${f.id}`);
      return true;
    },
  };
  const report = async (userId: string): Promise<StatusReport> => ({
    userId,
    checkedAt: now,
    systems: [
      {
        system: 'sharepoint',
        state: 'stale',
        reasons: ['sharepoint_legacy_sync'],
        evidence: {},
        fixes: [],
        instructions: [],
      },
    ],
    fixes: [],
  });
  const ft = new FollowThrough({
    store,
    reader: { readMany: async (asks) => new Map(asks.map((a) => [a.userId, answer(a)])) },
    sharePoint: { getShownPicture: shown },
    hash: async (bytes) => {
      const h = HASHES.get(bytes[0] as number);
      if (!h) throw new AppError('photo.corrupt', 'unreadable');
      return h;
    },
    report,
    messenger,
    muted: async () => false,
    clock: { now: () => now },
    schedule: SCHEDULE,
    owner: 'me',
    batchSize: 10,
    sharePointConcurrency: 2,
    onError: (message) => errors.push(message),
  });
  return {
    store,
    sent,
    errors,
    ft,
    at: async (minutes: number) => {
      now = new Date(Date.parse('2026-12-01T09:00:00Z') + minutes * 60_000);
      return ft.runDue();
    },
    change: (id: string, userId = 'u1') =>
      ft.watch({ id, userId, kind: 'self_service', locale: 'en', changedAt: new Date('2026-12-01T09:00:00Z') }, NEW),
  };
}

const member = (a: FollowUpAsk): FollowUpAnswer => ({
  ...(a.subject
    ? {
        user: {
          ok: true,
          value: {
            id: a.userId,
            userPrincipalName: `${a.userId}@example.com`,
            displayName: a.userId,
            accountEnabled: true,
            userType: 'Member',
            onPremisesSyncEnabled: false,
          },
        },
        mailbox: { ok: true, value: 'online' },
      }
    : {}),
  ...(a.photo ? { photo: { ok: true, value: NEW } } : {}),
});
const failed = { ok: false as const, error: { code: 'm365.unavailable', retryable: true } };

test('Graph failing at a check leaves everything waiting for the next one; nobody hears anything', async () => {
  const r = rig(
    () => ({ user: failed, mailbox: failed, photo: failed }),
    async () => NEW,
  );
  await r.change('c1');
  expect(await r.at(1)).toBe(1);
  expect(r.store.rows.get('c1')).toMatchObject({ state: 'watching', checks: 1, subject: null });
  expect(r.store.rows.get('c1')?.dueAt).toEqual(new Date('2026-12-01T09:05:00Z'));
  expect(r.sent).toEqual([]);
});

test('SharePoint failing, or serving a picture that cannot be read, keeps SharePoint waiting; the rest is recorded', async () => {
  let shown: () => Promise<Uint8Array> = async () => {
    throw new AppError('m365.unavailable', 'SharePoint is down');
  };
  const r = rig(member, async () => shown());
  await r.change('c1');
  await r.at(1);
  expect(r.store.rows.get('c1')?.systems).toMatchObject({
    exchange: { state: 'visible' },
    entra: { state: 'visible' },
    sharepoint: { state: 'waiting' },
  });
  expect(r.errors).toEqual(['follow-up SharePoint read failed']);
  shown = async () => BROKEN;
  await r.at(5);
  expect(r.store.rows.get('c1')?.systems.sharepoint).toEqual({ state: 'waiting', reason: 'sharepoint_legacy_sync' });
  shown = async () => NEW;
  await r.at(15);
  expect(r.store.rows.get('c1')).toMatchObject({ state: 'visible', messages: ['visible'] });
  expect(r.sent).toEqual(['visible c1']);
});

test('an older picture is not the new one: Outlook still showing it keeps Exchange waiting', async () => {
  const r = rig(
    (a) => ({ ...member(a), ...(a.photo ? { photo: { ok: true, value: OLD } } : {}) }),
    async () => OLD,
  );
  await r.change('c1');
  await r.at(1);
  expect(r.store.rows.get('c1')?.systems).toMatchObject({
    exchange: { state: 'waiting' },
    sharepoint: { state: 'waiting' },
  });
});

test('a user deleted since the change ends the follow-up without a message', async () => {
  const r = rig(
    (a) => ({ user: { ok: true, value: null }, mailbox: failed, ...(a.photo ? { photo: failed } : {}) }),
    async () => NEW,
  );
  await r.change('c1');
  await r.at(1);
  expect(r.store.rows.get('c1')).toMatchObject({ state: 'not_visible', dueAt: null, messages: [] });
  expect(r.sent).toEqual([]);
});

test('a message that cannot be sent is not sent again: the follow-up is saved first', async () => {
  const r = rig(member, async () => NEW);
  await r.change('c1');
  (r.ft as unknown as { d: { messenger: FollowUpMessenger } }).d.messenger.visible = async () => {
    throw new AppError('internal', 'Teams is busy');
  };
  await r.at(1);
  expect(r.errors).toEqual(['follow-up message failed']);
  expect(r.store.rows.get('c1')).toMatchObject({ state: 'visible', messages: ['visible'] });
  expect(await r.at(2)).toBe(0);
});

test('at most two messages: a partial one at the hour, then the last at the limit; no third however long it waits', async () => {
  const r = rig(member, async () => OLD);
  await r.change('c1');
  for (const m of [1, 5, 15, 60]) await r.at(m);
  expect(r.sent).toEqual(['partial c1']);
  expect(r.store.rows.get('c1')?.systems.sharepoint).toEqual({ state: 'waiting', reason: 'sharepoint_legacy_sync' });
  for (const m of checkTimesMinutes(SCHEDULE).slice(4)) await r.at(m);
  expect(r.sent).toEqual(['partial c1', 'final c1']);
  expect(r.store.rows.get('c1')).toMatchObject({
    state: 'not_visible',
    checks: 16,
    messages: ['partial', 'not_visible'],
  });
  expect(await r.at(100 * 60)).toBe(0);
});

test('when the status report cannot be read at the end, the follow-up ends without a card and says so in the log', async () => {
  const r = rig(member, async () => OLD);
  await r.change('c1');
  (r.ft as unknown as { d: { report: () => Promise<StatusReport> } }).d.report = async () => {
    throw new AppError('m365.unavailable', 'Graph is down');
  };
  for (const m of checkTimesMinutes(SCHEDULE)) await r.at(m);
  expect(r.sent).toEqual([]);
  expect(r.store.rows.get('c1')).toMatchObject({ state: 'not_visible', messages: [] });
  expect(r.errors.filter((e) => e === 'follow-up status report failed')).toHaveLength(2); // at the hour and at the end
});
