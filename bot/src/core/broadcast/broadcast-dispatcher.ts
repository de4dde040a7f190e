/**
 * Sends campaigns: enqueues audiences (streamed, a page at a time), claims recipient jobs
 * with a lease, paces every Bot Connector request on the store's shared window (all
 * instances together stay under the app's per-tenant limit, or the lower one Teams shows),
 * retries what Teams asks to be retried, and keeps the admin's progress card current.
 * See docs/broadcast.md.
 */
import { withoutOptedOut } from './reminder-optouts';
import type { PaceRules } from './pace-window';
import type { AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { Locale } from '../locale';
import { backoffMs } from './backoff';
import type { BroadcastStores } from './broadcast-store';
import { UNKNOWN_OUTCOME, type RecipientCounts } from './recipient-job-store';
import {
  reaches,
  type AudienceMember,
  type AudienceSource,
  type Campaign,
  type CampaignProgress,
  type CampaignTransport,
  type DeliveryOutcome,
  type FunnelSummary,
  type RecipientJob,
  type WorkingHoursReader,
} from './broadcast-types';
import { nextWorkingTime } from './quiet-hours';
import { countFunnel } from './funnel';
import { REMINDER_LIMIT_WINDOW_MS, withinReminderLimit } from './follow-ups';

/** Dispatcher settings (config.ts documents the defaults). */
interface DispatcherSettings {
  /** Bot Connector requests per second, for all instances together (the most; Teams may show a lower limit). */
  ratePerSecond: number;
  /** Milliseconds added to the one-second window the pace counts in, for jitter (pace-window.ts). */
  windowGuardMs: number;
  /** How long a limit learned from 429s holds before one more a second is tried (doubling after each fail). */
  probeMs: number;
  /**
   * Longest wait before a job held for quiet hours is looked at again (default: until the working hours begin).
   * Only a clock that is not the wall clock (tests) needs a shorter one.
   */
  quietHoursRecheckMs?: number;
  /** Reminders one person gets over 30 days at most, whatever the campaigns (0: no limit). */
  maxRemindersPerPerson?: number;
  /** Requests in flight per instance. */
  concurrency: number;
  /** Tries per recipient (throttles do not count). */
  maxAttempts: number;
  /** Throttles per recipient before it is failed. */
  maxThrottles: number;
  /** Lease of claimed jobs; renewed while the process lives. */
  leaseMs: number;
  /** Least time between two updates of a progress card. */
  progressEveryMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** What the dispatcher needs. */
export interface DispatcherDeps {
  store: BroadcastStores;
  transport: CampaignTransport;
  audience: AudienceSource;
  /** Business time: when a scheduled campaign is due. Pacing, leases and backoff use wall time. */
  clock: Clock;
  /** This process, for leases. */
  owner: string;
  /** The card language of a member (their stored chat's, else their directory language). */
  localeOf: (member: AudienceMember) => Promise<Locale>;
  settings: DispatcherSettings;
  random?: () => number;
  onError?: (what: string, err: unknown) => void;
  /** Working hours of recipients, read as they are enqueued: reminders wait for them (quiet hours). */
  workingHours?: WorkingHoursReader;
  /** A campaign that finishes sending is audited here (by `headshot`). */
  audit?: AuditLog;
}

const ENQUEUE_CHUNK = 500;
/** One progress card update per chat every 2 s at most: within Teams' 1,800 an hour (and 60 per 30 s) per chat. */
const CONVERSATION_GAP_MS = 2_000;
const RATE_WINDOW_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The progress of a campaign from its record and counts. */
export function progressOf(
  c: Campaign,
  counts: RecipientCounts,
  sentRecently: number,
  ratePerSecond: number,
  funnel: FunnelSummary | null = null,
): CampaignProgress {
  const rate = sentRecently / (RATE_WINDOW_MS / 1000);
  const active = c.state === 'sending' || c.state === 'enqueuing';
  return {
    id: c.id,
    state: c.state,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    sendAt: c.sendAt.toISOString(),
    startedAt: c.startedAt?.toISOString() ?? null,
    finishedAt: c.finishedAt?.toISOString() ?? null,
    message: c.message,
    audience: c.audience,
    total: counts.total,
    sent: counts.sent,
    failed: counts.failed,
    unknown: counts.unknown,
    waiting: counts.waiting,
    outsideWorkingHours: counts.outsideWorkingHours,
    cancelled: counts.cancelled,
    ratePerSecond: Math.round(rate * 10) / 10,
    // Jobs held for working hours are not sent at the current rate: the time left counts the others.
    secondsLeft:
      active && counts.waiting > counts.outsideWorkingHours
        ? Math.ceil((counts.waiting - counts.outsideWorkingHours) / (rate > 0 ? rate : ratePerSecond))
        : null,
    throttled: c.throttled,
    funnel,
  };
}

/** The funnel of a campaign whose sending is over (null before: the numbers still move with every send). */
export async function funnelSummaryOf(store: BroadcastStores, c: Campaign): Promise<FunnelSummary | null> {
  if (c.state !== 'done' && c.state !== 'cancelled') return null;
  const { rows, visibleAsOf } = await store.funnel.funnelRows(c.id);
  return { ...countFunnel(rows, visibleAsOf).total, visibleAsOf: visibleAsOf?.toISOString() ?? null };
}

/** One instance's sender. */
export class BroadcastDispatcher {
  private readonly local: RecipientJob[] = [];
  /** The claim in flight, which workers with nothing to do wait for. */
  private claiming: Promise<void> | undefined;
  private pumping?: Promise<void>;
  private readonly enqueuing = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private lastProgressAt = 0;
  private lastRenewAt = 0;
  private readonly random: () => number;
  /** Workers waiting for the pace, in order; only the first asks the store. */
  private readonly waiting: Array<{ resolve: (grantedAt: number) => void; reject: (err: unknown) => void }> = [];
  private pacing = false;
  /** Counters for benchmarks and logs. */
  readonly stats = { requests: 0, throttled: 0, delivered: 0, retried: 0, failed: 0 };

  constructor(private readonly d: DispatcherDeps) {
    this.random = d.random ?? Math.random;
  }

  /** Starts the periodic tick (every `pollMs`). */
  start(pollMs = 1000): void {
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref();
    void this.tick();
  }

  /** One round: due campaigns enqueued, jobs sent, leases renewed, cards updated. Never throws. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const now = Date.now();
      if (now - this.lastRenewAt > this.d.settings.leaseMs / 3) {
        this.lastRenewAt = now;
        await this.d.store.jobs.renew(this.d.owner, now + this.d.settings.leaseMs, [...this.enqueuing.keys()]);
      }
      await this.startEnqueues();
      this.kick();
      await this.syncProgress(false);
    } catch (err) {
      this.d.onError?.('tick', err);
    }
  }

  /** Starts sending at once (after a new campaign), unless already at it. */
  kick(): void {
    if (this.stopped || this.pumping) return;
    this.pumping = this.pump()
      .catch((err: unknown) => this.d.onError?.('pump', err))
      .finally(() => {
        this.pumping = undefined;
      });
  }

  /** Resolves when every active campaign has ended (tests, the benchmark); ticks while waiting. */
  async settle(timeoutMs = 60_000, pollMs = 50): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await this.tick();
      await this.pumping;
      await Promise.allSettled([...this.enqueuing.values()]);
      const open = (await this.d.store.campaigns.listCampaigns(1000)).filter(
        (c) =>
          c.state === 'enqueuing' ||
          c.state === 'sending' ||
          (c.state === 'scheduled' && c.sendAt <= this.d.clock.now()),
      );
      if (open.length === 0) {
        // The last update of each card may wait for its chat's turn (one update every 2 s per chat).
        await this.syncProgress(true);
        if ((await this.d.store.cards.campaignsWithOpenCards()).length === 0 || Date.now() > end) return;
        await sleep(pollMs);
        continue;
      }
      if (Date.now() > end)
        throw new Error(`campaigns still open after ${timeoutMs} ms: ${open.map((c) => c.id).join(', ')}`);
      await sleep(pollMs);
    }
  }

  /**
   * Stops. With a grace: no new claims, requests in flight finish and are recorded, claimed jobs go back to
   * the queue. With none (a crash, for tests): everything is abandoned as it is; leases run out elsewhere.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.waiting.splice(0)) w.reject(new Error('stopped'));
    if (graceMs <= 0) return;
    const end = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < end)
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(end - Date.now())]);
    try {
      this.local.length = 0;
      await this.d.store.jobs.release(this.d.owner, Date.now());
    } catch (err) {
      this.d.onError?.('release', err);
    }
  }

  private async startEnqueues(): Promise<void> {
    const now = Date.now();
    for (const c of await this.d.store.campaigns.dueForEnqueue(now, this.d.clock.now())) {
      if (this.enqueuing.has(c.id)) continue;
      if (
        !(await this.d.store.campaigns.claimEnqueue(
          c.id,
          this.d.owner,
          now + this.d.settings.leaseMs,
          now,
          this.d.clock.now(),
        ))
      )
        continue;
      const job = this.enqueue(c)
        .catch(async (err: unknown) => {
          this.d.onError?.(`enqueue ${c.id}`, err);
          // A permanent failure (no such group, no coverage scan) ends the campaign; others retry after the lease.
          if ((err as { retryable?: unknown })?.retryable === false)
            await this.d.store.campaigns.cancel(c.id, 'headshot:audience_failed', Date.now());
        })
        .finally(() => this.enqueuing.delete(c.id));
      this.enqueuing.set(c.id, job);
    }
  }

  /** Streams the audience into recipient jobs; running it again after a crash adds only who is missing. */
  private async enqueue(c: Campaign): Promise<void> {
    for await (const page of this.d.audience.pages(c.audience)) {
      if (this.stopped) return;
      // Who asked for no more reminders is left out (checked as the campaign enqueues, so a wish made after a
      // campaign was created still counts for the people it has not reached yet).
      // And so is who already got the most reminders a person gets in 30 days.
      const members = await withinReminderLimit(
        this.d.store.jobs,
        await withoutOptedOut(
          this.d.store.optOuts,
          page.filter((m) => reaches(c.audience, m)),
        ),
        this.d.settings.maxRemindersPerPerson ?? 0,
        Date.now() - REMINDER_LIMIT_WINDOW_MS,
      );
      for (let i = 0; i < members.length; i += ENQUEUE_CHUNK) {
        const slice = members.slice(i, i + ENQUEUE_CHUNK);
        const hours = await this.d.workingHours?.read(slice.map((m) => m.userId));
        const chunk = await Promise.all(
          slice.map(async (m) => ({
            userId: m.userId,
            upn: m.upn,
            displayName: m.displayName,
            department: m.department,
            locale: await this.d.localeOf(m),
            workingHours: hours?.get(m.userId) ?? undefined,
          })),
        );
        const now = Date.now();
        if (
          !(await this.d.store.campaigns.addRecipients(c.id, this.d.owner, chunk, now + this.d.settings.leaseMs, now))
        )
          return;
        this.kick();
      }
    }
    await this.d.store.campaigns.finishEnqueue(c.id, this.d.owner, Date.now());
    this.kick();
  }

  /** Claims and sends until nothing is due. */
  private async pump(): Promise<void> {
    const { concurrency } = this.d.settings;
    const workers: Promise<void>[] = [];
    for (let i = 0; i < concurrency; i++) workers.push(this.worker());
    await Promise.all(workers);
    for (const c of await this.d.store.campaigns.listCampaigns(50))
      if (c.state === 'sending' && (await this.d.store.campaigns.finishIfDone(c.id, Date.now()))) {
        const counts = await this.d.store.jobs.counts(c.id);
        await this.d.audit?.append({
          at: this.d.clock.now(),
          actorId: 'headshot',
          action: 'campaign.finish',
          subjectId: c.id,
          outcome: 'ok',
          detail: { sent: counts.sent, failed: counts.failed },
        });
        await this.syncProgress(true);
      }
  }

  private async worker(): Promise<void> {
    while (!this.stopped) {
      const job = await this.next();
      if (!job) return;
      const p = this.send(job).catch((err: unknown) => this.d.onError?.('send', err));
      this.inFlight.add(p);
      await p;
      this.inFlight.delete(p);
    }
  }

  private async next(): Promise<RecipientJob | undefined> {
    // One claim at a time per instance: workers that find the buffer empty wait for the claim in flight, so an
    // instance never holds more than one claim's worth and the other instances get their share.
    while (this.local.length === 0) {
      if (this.claiming) {
        await this.claiming;
        continue;
      }
      const now = Date.now();
      // A small claim: jobs wait in memory at most about a second's worth of sends.
      const limit = Math.max(this.d.settings.concurrency, Math.ceil(this.d.settings.ratePerSecond));
      this.claiming = this.d.store.jobs
        .claim(this.d.owner, limit, now + this.d.settings.leaseMs, now)
        .then((jobs) => void this.local.push(...jobs));
      try {
        await this.claiming;
      } finally {
        this.claiming = undefined;
      }
      if (this.local.length === 0) return undefined;
    }
    return this.local.shift();
  }

  /** The pace's rules from the settings. */
  get paceRules(): PaceRules {
    const s = this.d.settings;
    return { limit: s.ratePerSecond, windowMs: 1000, guardMs: s.windowGuardMs, probeMs: s.probeMs };
  }

  /**
   * Waits for the shared pace: room in the window and no pause in force; resolves to the grant's time. Workers
   * queue here so that one store call at a time per instance asks for the next grant.
   */
  private readonly gate = (): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      if (this.stopped) {
        reject(new Error('stopped'));
        return;
      }
      this.waiting.push({ resolve, reject });
      void this.grantInOrder();
    });

  private async grantInOrder(): Promise<void> {
    if (this.pacing) return;
    this.pacing = true;
    try {
      while (this.waiting.length > 0) {
        if (this.stopped) throw new Error('stopped');
        const answer = await this.d.store.pace.tryAcquire(this.paceRules, Date.now());
        if ('grantedAt' in answer) {
          this.stats.requests++;
          this.waiting.shift()?.resolve(answer.grantedAt);
        } else await sleep(answer.waitUntil - Date.now());
      }
    } catch (err) {
      for (const w of this.waiting.splice(0)) w.reject(err);
    } finally {
      this.pacing = false;
    }
  }

  private async send(job: RecipientJob): Promise<void> {
    const campaign = await this.d.store.campaigns.getCampaign(job.campaignId);
    if (!campaign || campaign.state === 'cancelled') return;
    // Quiet hours: outside the recipient's working hours the job goes back to the queue until they begin.
    if (job.workingHours) {
      const now = this.d.clock.now();
      const waitMs = nextWorkingTime(job.workingHours, now).getTime() - now.getTime();
      if (waitMs > 0) {
        const wall = Date.now();
        await this.d.store.jobs.holdForWorkingHours(
          job,
          this.d.owner,
          wall + Math.min(waitMs, this.d.settings.quietHoursRecheckMs ?? waitMs),
          wall,
        );
        return;
      }
    }
    // The pace is taken before the job is marked as being sent: a crash while waiting leaves it safely claimed.
    let outcome: DeliveryOutcome;
    let marked = false;
    // The grant of the latest request: a 429 is the answer to it (the transport's requests go one after another).
    let grantedAt = Date.now();
    const gateThenMark = async (request: 'message' | 'other'): Promise<void> => {
      grantedAt = await this.gate();
      if (request === 'message' && !marked) {
        if (!(await this.d.store.jobs.startSending(job, this.d.owner, Date.now()))) throw new Error('claim lost');
        marked = true;
        job.attempts++;
      }
    };
    try {
      outcome = await this.d.transport.deliver(job, campaign.message, gateThenMark);
    } catch (err) {
      if (!marked) return; // stopped or lost the claim before anything was sent
      outcome = { kind: 'unknown', reason: (err as Error)?.message ?? 'error' };
    }
    if (!marked) {
      // Failed before any connector request (e.g. Graph refused the install): nothing was sent.
      if (!(await this.d.store.jobs.startSending(job, this.d.owner, Date.now()))) return;
      job.attempts++;
    }
    await this.record(job, outcome, grantedAt);
  }

  private async record(job: RecipientJob, outcome: DeliveryOutcome, grantedAt: number): Promise<void> {
    const { store, owner, settings } = this.d;
    const now = Date.now();
    switch (outcome.kind) {
      case 'delivered':
        this.stats.delivered++;
        await store.jobs.recordSent(job, owner, outcome.activityId, outcome.conversationId, now);
        return;
      case 'throttled': {
        this.stats.throttled++;
        // The connector's Retry-After when it sent one; else capped exponential backoff with jitter, as Teams
        // asks of bots (its 429s do not always say how long to wait). Never less than a second.
        const waitMs =
          outcome.retryAfterSeconds !== undefined
            ? outcome.retryAfterSeconds * 1000
            : backoffMs(job.throttles + 1, undefined, {
                baseMs: settings.baseBackoffMs,
                maxMs: settings.maxBackoffMs,
                random: this.random,
              });
        const until = now + Math.max(1000, waitMs);
        await store.pace.throttled(this.paceRules, grantedAt, until, now);
        await store.campaigns.noteThrottled(job.campaignId);
        if (job.throttles + 1 >= settings.maxThrottles)
          await store.jobs.recordFailed(job, owner, 'throttled_too_often', now);
        else await store.jobs.recordRetry(job, owner, until, 'throttled', true, now);
        return;
      }
      case 'busy':
        if (job.attempts >= settings.maxAttempts) {
          this.stats.failed++;
          await store.jobs.recordFailed(job, owner, `http_${outcome.status}_after_${job.attempts}_tries`, now);
          return;
        }
        this.stats.retried++;
        await store.jobs.recordRetry(
          job,
          owner,
          now +
            backoffMs(job.attempts, outcome.retryAfterSeconds, {
              baseMs: settings.baseBackoffMs,
              maxMs: settings.maxBackoffMs,
              random: this.random,
            }),
          `http_${outcome.status}`,
          false,
          now,
        );
        return;
      case 'failed':
        this.stats.failed++;
        await store.jobs.recordFailed(job, owner, outcome.reason, now);
        return;
      case 'unknown':
        // At most once: the request may have reached Teams, so it is never sent again (docs/broadcast.md).
        this.stats.failed++;
        await store.jobs.recordFailed(job, owner, `${UNKNOWN_OUTCOME}: ${outcome.reason}`.slice(0, 200), now);
        return;
    }
  }

  /** Updates progress cards that lag (at most every `progressEveryMs`, at once when `force`). */
  private async syncProgress(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < this.d.settings.progressEveryMs) return;
    this.lastProgressAt = now;
    for (const id of await this.d.store.cards.campaignsWithOpenCards()) {
      const card = await this.d.store.cards.progressCard(id);
      const progress = await this.progress(id);
      if (!card || !progress) continue;
      const final = (progress.state === 'done' || progress.state === 'cancelled') && progress.waiting === 0;
      const key = JSON.stringify([
        progress.state,
        progress.sent,
        progress.failed,
        progress.waiting,
        progress.cancelled,
        progress.total,
      ]);
      if (key === card.synced) continue;
      // Every instance and campaign updating cards in this admin's chat shares its per-conversation limit.
      if (!(await this.d.store.cards.claimConversationUpdate(card.conversationId, now, CONVERSATION_GAP_MS))) continue;
      const outcome = await this.d.transport
        .updateProgress(card, progress, async () => void (await this.gate()))
        .catch((err: unknown) => {
          this.d.onError?.('progress card', err);
          return null;
        });
      // A 429 here is about the admin's own chat (its per-conversation window): try again next round, pause nobody.
      if (outcome?.kind === 'delivered' || outcome?.kind === 'failed')
        await this.d.store.cards.markProgressSynced(id, key, final);
    }
  }

  /** A campaign's progress now. */
  async progress(id: string): Promise<CampaignProgress | null> {
    const c = await this.d.store.campaigns.getCampaign(id);
    if (!c) return null;
    return progressOf(
      c,
      await this.d.store.jobs.counts(id),
      await this.d.store.jobs.sentSince(id, Date.now() - RATE_WINDOW_MS),
      this.d.settings.ratePerSecond,
      await funnelSummaryOf(this.d.store, c),
    );
  }
}
