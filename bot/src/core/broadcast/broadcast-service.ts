/**
 * The admin's broadcast use cases: create a campaign (now or at a time), cancel it, watch its
 * progress, read its report. Every call checks that the actor is an admin.
 */
import { checkRefreshMonths } from './refresh-reminders';
import {
  followUpSchedule,
  followUpsOf,
  isFollowUpOf,
  REMINDER_LIMIT_WINDOW_MS,
  withinReminderLimit,
} from './follow-ups';
import { countFunnel, furthestStep, type CampaignFunnel, type FunnelStep } from './funnel';
import { withoutOptedOut, type ReminderOptOuts } from './reminder-optouts';
import { AppError } from '../errors';
import type { Clock } from '../clock';
import type { AdminPolicy } from '../admin/admin-policy';
import type { AuditLog } from '../audit/audit-ports';
import { REMINDABLE_CATEGORIES, type CoverageCategory } from '../coverage/coverage-types';
import type { CoverageStore } from '../coverage/coverage-service';
import type { BroadcastStores } from './broadcast-store';
import { funnelSummaryOf, progressOf, type BroadcastDispatcher } from './broadcast-dispatcher';
import {
  reaches,
  type AudienceSource,
  type Campaign,
  type CampaignAudience,
  type CampaignMessage,
  type CampaignProgress,
  type FunnelSummary,
  type ProgressCardRef,
  type RecipientOutcome,
} from './broadcast-types';

/** Longest admin text (Teams messages stop at about 100 KB; a reminder should be short). */
const MAX_CUSTOM_TEXT = 2000;
const CAMPAIGN_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** One line of a campaign's report: the recipient's outcome, department and furthest funnel step. */
export type ReportLine = RecipientOutcome & { department: string | null; step: FunnelStep };

/** A campaign as the admin composed it. */
export interface CampaignDraft {
  /** Chosen by the composing card, so that a double click creates one campaign. */
  id?: string;
  message: CampaignMessage;
  audience: CampaignAudience;
  /** Absent: now. */
  sendAt?: Date;
  /**
   * Days after `sendAt` to remind again the people it reached who have not sent a photo by then (follow-ups.ts):
   * at most 3, each 1 to 60.
   */
  followUpDays?: number[];
}

/** What the service needs. */
export interface BroadcastServiceDeps {
  store: BroadcastStores;
  coverage: CoverageStore;
  admins: AdminPolicy;
  /** Absent in the CLI: the running service's dispatcher picks campaigns up from the store. */
  dispatcher?: BroadcastDispatcher;
  clock: Clock;
  newId: () => string;
  ratePerSecond: number;
  /** Campaigns created and stopped are audited. */
  audit: AuditLog;
  /** Where audiences come from, to count them before sending (absent: categories count from the scan). */
  audience?: AudienceSource;
  /** Reminders one person gets over 30 days at most, whatever the campaigns (0: no limit). */
  maxRemindersPerPerson: number;
}

/** What the audit keeps of a campaign: its audience and message kind, and when it goes out. */
function campaignDetail(c: Campaign): Record<string, string | boolean> {
  return {
    audience: c.audience.kind,
    ...(c.audience.category ? { category: c.audience.category } : {}),
    ...(c.audience.groupId ? { groupId: c.audience.groupId } : {}),
    ...(c.audience.campaignId ? { followUpOf: c.audience.campaignId } : {}),
    ...(c.audience.olderThanMonths ? { olderThanMonths: String(c.audience.olderThanMonths) } : {}),
    includeGuests: c.audience.includeGuests,
    includeDisabled: c.audience.includeDisabled,
    message: c.message.kind,
    sendAt: c.sendAt.toISOString(),
  };
}

/**
 * How many of the audience's source the campaign would reach (streams the source a page at a time), leaving out
 * who opted out of reminders, as sending does.
 */
export async function countRecipients(
  source: AudienceSource,
  audience: CampaignAudience,
  optOuts?: ReminderOptOuts,
  limit?: { jobs: BroadcastStores['jobs']; perPerson: number },
): Promise<number> {
  let recipients = 0;
  for await (const page of source.pages(audience)) {
    const wanted = await withoutOptedOut(
      optOuts,
      page.filter((m) => reaches(audience, m)),
    );
    recipients += (
      limit
        ? await withinReminderLimit(limit.jobs, wanted, limit.perPerson, Date.now() - REMINDER_LIMIT_WINDOW_MS)
        : wanted
    ).length;
  }
  return recipients;
}

/** How long a finished campaign's funnel counted for a list is shown again before it is counted anew. */
const FUNNEL_CACHE_MS = 60_000;

/** Campaigns for admins. */
export class BroadcastService {
  /** Funnels counted for lists, by campaign (see progressNow). */
  private readonly funnels = new Map<string, { at: number; state: string; summary: FunnelSummary }>();

  constructor(private readonly d: BroadcastServiceDeps) {}

  /** Throws admin.forbidden unless `actorId` (object id or UPN) is an admin. */
  async requireAdmin(actorId: string): Promise<void> {
    if (!(await this.d.admins.isAdmin(actorId)))
      throw new AppError('admin.forbidden', `${actorId} is not a Headshot admin`, { status: 403 });
  }

  /** Checks a draft; throws broadcast.invalid (what was expected, what came) or broadcast.no_coverage. */
  async validate(draft: CampaignDraft): Promise<void> {
    const { message, audience } = draft;
    if (draft.id !== undefined && !CAMPAIGN_ID.test(draft.id))
      throw new AppError('broadcast.invalid', `campaign id must match ${CAMPAIGN_ID}`);
    if (message.kind === 'custom') {
      const text = message.text.trim();
      if (text.length === 0 || text.length > MAX_CUSTOM_TEXT)
        throw new AppError(
          'broadcast.invalid',
          `Expected a message of 1 to ${MAX_CUSTOM_TEXT} characters; received ${text.length}.`,
          {
            params: { max: MAX_CUSTOM_TEXT },
          },
        );
    }
    if (audience.kind === 'category') {
      if (!audience.category || !REMINDABLE_CATEGORIES.includes(audience.category))
        throw new AppError(
          'broadcast.invalid',
          `Expected an audience of ${REMINDABLE_CATEGORIES.join(', ')}, a group or everyone; received ${String(audience.category)}.`,
        );
      if (!(await this.d.coverage.latestDone()))
        throw new AppError('broadcast.no_coverage', 'no finished coverage scan');
    }
    if (audience.kind === 'group' && !/^[A-Za-z0-9-]{1,64}$/.test(audience.groupId ?? ''))
      throw new AppError(
        'broadcast.invalid',
        `Expected a group id (a GUID); received '${String(audience.groupId).slice(0, 70)}'.`,
      );
    // A follow-up reaches the people of a campaign that exists (broadcast.not_found otherwise).
    if (audience.kind === 'followup') await this.get(audience.campaignId ?? '');
    if (audience.kind === 'refresh') {
      checkRefreshMonths(audience.olderThanMonths);
      if (!(await this.d.coverage.latestDone()))
        throw new AppError('broadcast.no_coverage', 'no finished coverage scan');
    }
    followUpSchedule(draft.followUpDays);
  }

  /**
   * How many the audience reaches now: counted from the same source, with the same rules, as sending
   * would add them (a category from the newest coverage scan, a group's members or everyone from the
   * directory). Null when there is no source to count from (the CLI's service has none) or the count fails.
   */
  async audienceSize(audience: CampaignAudience): Promise<number | null> {
    if (!this.d.audience) {
      if (audience.kind !== 'category' || !audience.category) return null;
      const scan = await this.d.coverage.latestDone();
      return scan ? (await this.d.coverage.counts(scan.id))[audience.category as CoverageCategory] : null;
    }
    try {
      return await countRecipients(this.d.audience, audience, this.d.store.optOuts, {
        jobs: this.d.store.jobs,
        perPerson: this.d.maxRemindersPerPerson,
      });
    } catch (err) {
      // A group that does not exist is the admin's mistake and says so; anything else leaves the count unknown.
      if (audience.kind === 'group' && err instanceof AppError && err.status === 404)
        throw new AppError('broadcast.group_not_found', `no group ${String(audience.groupId).slice(0, 64)}`, {
          status: 404,
        });
      return null;
    }
  }

  /** Creates a campaign (idempotent by draft id) and starts it when due; returns it and whether it is new. */
  async create(actorId: string, draft: CampaignDraft): Promise<{ campaign: Campaign; created: boolean }> {
    await this.requireAdmin(actorId);
    return this.schedule(actorId, draft);
  }

  /**
   * Headshot's own refresh campaign after the coverage scan `scanId` (refresh-reminders.ts): "time for a new
   * photo?" to people whose photo is older than `months`. Once per scan, whichever instance asks first, and only
   * when it reaches someone (a tenant's daily scan must not leave an empty campaign a day). Null when none was made.
   */
  async createRefresh(scanId: string, months: number): Promise<Campaign | null> {
    const id = `refresh-${scanId}`.slice(0, 64);
    if (await this.d.store.campaigns.getCampaign(id)) return null;
    const audience: CampaignAudience = {
      kind: 'refresh',
      olderThanMonths: months,
      includeGuests: false,
      includeDisabled: false,
    };
    if ((await this.audienceSize(audience)) === 0) return null;
    const { campaign, created } = await this.schedule('headshot', { id, message: { kind: 'refresh' }, audience });
    return created ? campaign : null;
  }

  private async schedule(actorId: string, draft: CampaignDraft): Promise<{ campaign: Campaign; created: boolean }> {
    await this.validate(draft);
    const now = this.d.clock.now();
    const campaign: Campaign = {
      id: draft.id ?? this.d.newId(),
      createdBy: actorId,
      createdAt: now,
      message: draft.message.kind === 'custom' ? { kind: 'custom', text: draft.message.text.trim() } : draft.message,
      audience: draft.audience,
      sendAt: draft.sendAt && draft.sendAt > now ? draft.sendAt : now,
      state: 'scheduled',
      enqueued: 0,
      throttled: 0,
    };
    const created = await this.d.store.campaigns.createCampaign(campaign);
    if (created) {
      // Its follow-ups are scheduled with it (their ids come from its id, so a retry adds none).
      const followUps = followUpsOf(campaign, followUpSchedule(draft.followUpDays));
      for (const f of followUps) await this.d.store.campaigns.createCampaign(f);
      for (const c of [campaign, ...followUps])
        await this.d.audit.append({
          at: now,
          actorId,
          action: 'campaign.create',
          subjectId: c.id,
          outcome: 'ok',
          detail: campaignDetail(c),
        });
      void this.d.dispatcher?.tick();
    }
    return {
      campaign: created ? campaign : ((await this.d.store.campaigns.getCampaign(campaign.id)) as Campaign),
      created,
    };
  }

  /** Where the admin's progress card is (set after sending it). */
  async attachProgressCard(campaignId: string, card: ProgressCardRef): Promise<void> {
    await this.d.store.cards.setProgressCard(campaignId, card);
  }

  /** Cancels a campaign; false when it had already ended. */
  async cancel(actorId: string, campaignId: string): Promise<boolean> {
    await this.requireAdmin(actorId);
    await this.get(campaignId);
    const cancelled = await this.d.store.campaigns.cancel(campaignId, actorId, Date.now());
    // Stopping a campaign stops its follow-ups that have not started.
    const followUps = (await this.d.store.campaigns.listCampaigns(1000)).filter(
      (c) => isFollowUpOf(c, campaignId) && c.state === 'scheduled',
    );
    const stopped = [
      ...(cancelled ? [campaignId] : []),
      ...(
        await Promise.all(
          followUps.map(async (f) => ((await this.d.store.campaigns.cancel(f.id, actorId, Date.now())) ? f.id : null)),
        )
      ).filter((id): id is string => id !== null),
    ];
    for (const id of stopped)
      await this.d.audit.append({
        at: this.d.clock.now(),
        actorId,
        action: 'campaign.cancel',
        subjectId: id,
        outcome: 'ok',
      });
    if (stopped.length > 0) void this.d.dispatcher?.tick();
    return cancelled;
  }

  /**
   * Anyone may ask for no more reminders, or for them again (their own, not someone else's): recorded and audited.
   * False when nothing changed (already so).
   */
  async setReminders(userId: string, wanted: boolean): Promise<boolean> {
    const changed = wanted
      ? await this.d.store.optOuts.optIn(userId)
      : await this.d.store.optOuts.optOut(userId, this.d.clock.now());
    if (changed)
      await this.d.audit.append({
        at: this.d.clock.now(),
        actorId: userId,
        action: wanted ? 'reminders.opt_in' : 'reminders.opt_out',
        subjectId: userId,
        outcome: 'ok',
      });
    return changed;
  }

  /** The campaign, or broadcast.not_found. */
  async get(campaignId: string): Promise<Campaign> {
    const c = CAMPAIGN_ID.test(campaignId) ? await this.d.store.campaigns.getCampaign(campaignId) : null;
    if (!c) throw new AppError('broadcast.not_found', `no campaign ${campaignId.slice(0, 70)}`);
    return c;
  }

  /** The progress JSON (documented in broadcast-types.ts) for an admin. */
  async progress(actorId: string, campaignId: string): Promise<CampaignProgress> {
    await this.requireAdmin(actorId);
    return this.progressNow(campaignId);
  }

  /**
   * Progress without the admin check (the caller checked). A finished campaign's funnel is counted at most once a
   * minute for lists (`{ cached: true }`: the Admin page polls them while any campaign is scheduled or sending); a
   * single campaign's is counted now ("Update the numbers").
   */
  async progressNow(campaignId: string, o: { cached?: boolean } = {}): Promise<CampaignProgress> {
    const c = await this.get(campaignId);
    const kept = this.funnels.get(c.id);
    const funnel =
      o.cached && kept && Date.now() - kept.at < FUNNEL_CACHE_MS && kept.state === c.state
        ? kept.summary
        : await funnelSummaryOf(this.d.store, c);
    if (funnel) this.funnels.set(c.id, { at: Date.now(), state: c.state, summary: funnel });
    if (this.funnels.size > 200) this.funnels.clear();
    return progressOf(
      c,
      await this.d.store.jobs.counts(c.id),
      await this.d.store.jobs.sentSince(c.id, Date.now() - 10_000),
      this.d.ratePerSecond,
      funnel,
    );
  }

  /** Newest campaigns first. */
  async list(actorId: string, limit = 20): Promise<Campaign[]> {
    await this.requireAdmin(actorId);
    return await this.d.store.campaigns.listCampaigns(limit);
  }

  /**
   * Every recipient's outcome with their department and furthest funnel step, a page at a time (by user id): the
   * report streams, it is never all in memory.
   */
  async *outcomes(campaignId: string, pageSize = 1000): AsyncGenerator<ReportLine[]> {
    await this.get(campaignId);
    for (let after = ''; ;) {
      const page = await this.d.store.jobs.outcomes(campaignId, after, pageSize);
      if (page.length === 0) return;
      const { rows } = await this.d.store.funnel.funnelRows(campaignId, { afterUserId: after, limit: pageSize });
      const byUser = new Map(rows.map((r) => [r.userId, r]));
      yield page.map((o) => {
        const r = byUser.get(o.userId);
        return { ...o, department: r?.department ?? null, step: r ? furthestStep(r) : 'recipients' };
      });
      after = (page[page.length - 1] as RecipientOutcome).userId;
    }
  }

  /** The campaign's funnel (funnel.ts), in all and per department, for an admin. */
  async funnel(actorId: string, campaignId: string): Promise<CampaignFunnel> {
    await this.requireAdmin(actorId);
    return this.funnelNow(campaignId);
  }

  /** The funnel without the admin check (the caller checked). */
  async funnelNow(campaignId: string): Promise<CampaignFunnel> {
    const c = await this.get(campaignId);
    const { rows, visibleAsOf } = await this.d.store.funnel.funnelRows(c.id);
    return countFunnel(rows, visibleAsOf);
  }
}
