/**
 * The tab's admin page: coverage (the newest scan, start one, a CSV link), broadcast campaigns
 * (list, create, progress, cancel, a report link), the audit log a page at a time, and follow-through's
 * time-to-visible report. Every
 * route is `admin`; the services check the admin again where they always do.
 */
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { AuditEntry } from '../core/audit/audit-ports';
import type { BroadcastService, CampaignDraft } from '../core/broadcast/broadcast-service';
import type { CampaignMessage, CampaignProgress } from '../core/broadcast/broadcast-types';
import type { Locale } from '../core/locale';
import type { ReminderText } from '../core/settings/tenant-settings';
import { hasMessage, t } from '../i18n/i18n';
import { reminderWords } from '../i18n/reminder-words';
import { timeToVisibleJson } from '../i18n/follow-through-messages';
import { TIME_TO_VISIBLE_DEFAULTS, type TimeToVisibleReport } from '../core/status/time-to-visible';
import { requestLocale } from './http-errors';
import type { CoverageService } from '../core/coverage/coverage-service';
import { REMINDABLE_CATEGORIES, type CoverageCategory } from '../core/coverage/coverage-types';
import { route, type AccessControl } from './route-rules';
import { TabError, callerOf, jsonHandler, readJson } from './tab-http';
import type { AdminDownloadResource } from '../core/admin/download-resource';
import type {
  AuditEntryJson,
  AuditPage,
  CampaignPreviewJson,
  CampaignFunnelJson,
  CampaignProgressJson,
  CoverageJson,
  DownloadLink,
  GroupRefJson,
  TimeToVisibleJson,
} from './tab-contract';

/** What the admin routes need. */
export interface AdminRouteDeps {
  coverage: CoverageService;
  /** What the face checks of the photos Headshot applied found (photo-age.ts). */
  faceCheckSummary: () => Promise<NonNullable<CoverageJson['faceChecks']>>;
  broadcasts: BroadcastService;
  /** Signed CSV links (the same the bot hands out). */
  downloadLink: (userId: string, resource: AdminDownloadResource) => Promise<DownloadLink>;
  /** The audit log, newest first, a page at a time (`before`: the cursor of the previous page). */
  auditPage: (options: {
    before?: string;
    limit: number;
  }) => Promise<{ entries: AuditEntry[]; nextBefore: string | null }>;
  /** Groups for the pickers: by display-name prefix, and one group's name. */
  groups: {
    search(prefix: string, limit: number): Promise<GroupRefJson[]>;
    displayName(groupId: string): Promise<string | null>;
  };
  /** Display names for the people among these ids (others are left out): the audit log shows names. */
  names: (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  /** The tenant's own reminder words (the preview shows what recipients get). */
  reminderTexts: () => Promise<Partial<Record<Locale, ReminderText>>>;
  /** The card a recipient gets for `message` in `locale` (the bot's own, so the preview is the real thing). */
  reminderCard: (locale: Locale, message: CampaignMessage) => Record<string, unknown>;
  /** Follow-through's time-to-visible report over the last 30 days, and how long Teams may keep an old photo. */
  timeToVisible: () => Promise<TimeToVisibleReport>;
  teamsCacheDays: number;
  /** Whether follow-through runs (FOLLOW_THROUGH). */
  followThroughEnabled: boolean;
}

const AUDIT_DEFAULT = 50;
const AUDIT_MAX = 200;

const draftBody = z
  .object({
    message: z.union([
      z.object({ kind: z.literal('reminder') }).strict(),
      z.object({ kind: z.literal('custom'), text: z.string().max(10_000) }).strict(),
    ]),
    audience: z.union([
      z
        .object({
          kind: z.literal('category'),
          // One campaign reaches one category (as the bot's compose card makes it).
          categories: z.array(z.enum(REMINDABLE_CATEGORIES as [CoverageCategory, ...CoverageCategory[]])).length(1),
        })
        .strict(),
      z.object({ kind: z.literal('group'), groupId: z.string().min(1).max(100) }).strict(),
      z.object({ kind: z.literal('everyone') }).strict(),
      // Those a campaign reached who have not sent a photo since (follow-ups.ts).
      z.object({ kind: z.literal('followup'), campaignId: z.string().min(1).max(100) }).strict(),
    ]),
    includeGuests: z.boolean().optional(),
    includeDisabled: z.boolean().optional(),
    sendAt: z.iso.datetime({ offset: true }).optional(),
    /** Days after sending to remind again those who have not sent a photo (at most 3, 1 to 60 days). */
    followUpDays: z.array(z.number().int().min(1).max(60)).max(3).optional(),
  })
  .strict();

const GROUP_SEARCH_LIMIT = 20;
const groupQuery = z.object({ search: z.string().trim().min(1).max(120) });
const GROUP_ID = /^[A-Za-z0-9-]{1,64}$/;

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX).optional(),
  before: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});

/** Registers the admin routes. */
export function registerAdminRoutes(server: Server, deps: AdminRouteDeps, access: AccessControl): void {
  const admin = (method: 'GET' | 'POST', path: string) =>
    ({ method, path, auth: 'tab-sso', roles: ['admin'] }) as const;
  const param = (req: Request, name: string): string => (req.params as Record<string, string | undefined>)[name] ?? '';
  // The campaign list is polled every 2 s while one sends: a group's name is asked of the directory once in a while,
  // not on every poll.
  const groupName = cachedGroupNames(deps.groups);
  const progressJson = (p: CampaignProgress) => progressJsonOf(p, groupName);

  route(
    server,
    access,
    admin('GET', '/api/admin/coverage'),
    jsonHandler(async (_req, res) => {
      const view: CoverageJson | null = await deps.coverage.view();
      // No scan yet: the contract's `null`, written as is (restify's formatters would not send a bare null).
      if (view === null) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('null');
        return undefined;
      }
      return { ...view, faceChecks: await deps.faceCheckSummary() } satisfies CoverageJson;
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/coverage/scans'),
    jsonHandler(async (req): Promise<CoverageJson> => {
      const { scan } = await deps.coverage.start(callerOf(req).userId);
      return (await deps.coverage.view(scan.id)) as CoverageJson;
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/coverage/:scanId/csv-link'),
    jsonHandler(async (req): Promise<DownloadLink> => {
      const scanId = param(req, 'scanId');
      if (!(await deps.coverage.view(scanId)))
        throw new AppError('broadcast.no_coverage', `no scan ${scanId.slice(0, 64)}`, { status: 404 });
      return deps.downloadLink(callerOf(req).userId, { kind: 'coverage', scanId });
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/campaigns'),
    jsonHandler(async (req): Promise<CampaignProgressJson[]> => {
      const campaigns = await deps.broadcasts.list(callerOf(req).userId);
      return Promise.all(
        campaigns.map(async (c) => progressJson(await deps.broadcasts.progressNow(c.id, { cached: true }))),
      );
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/campaigns'),
    jsonHandler(async (req): Promise<CampaignProgressJson> => {
      const body = await readDraft(req);
      const { campaign } = await deps.broadcasts.create(callerOf(req).userId, draftOf(body));
      return progressJson(await deps.broadcasts.progressNow(campaign.id));
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/campaigns/preview'),
    jsonHandler(async (req): Promise<CampaignPreviewJson> => {
      const userId = callerOf(req).userId;
      await deps.broadcasts.requireAdmin(userId);
      const draft = draftOf(await readDraft(req));
      await deps.broadcasts.validate(draft);
      const locale = requestLocale(req);
      const recipients = await deps.broadcasts.audienceSize(draft.audience);
      const message: CampaignMessage =
        draft.message.kind === 'custom' ? draft.message : { kind: 'reminder', texts: await deps.reminderTexts() };
      const words = reminderWords(locale, message);
      return {
        recipients,
        sendAt: draft.sendAt && draft.sendAt.getTime() > Date.now() ? draft.sendAt.toISOString() : null,
        reminder: { title: words.title, text: words.text, button: words.button, from: words.from },
        card: deps.reminderCard(locale, message),
      };
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/campaigns/:campaignId'),
    jsonHandler(async (req): Promise<CampaignProgressJson> =>
      progressJson(await deps.broadcasts.progress(callerOf(req).userId, param(req, 'campaignId'))),
    ),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/campaigns/:campaignId/funnel'),
    jsonHandler(async (req): Promise<CampaignFunnelJson> => {
      const f = await deps.broadcasts.funnel(callerOf(req).userId, param(req, 'campaignId'));
      return { ...f, visibleAsOf: f.visibleAsOf?.toISOString() ?? null };
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/campaigns/:campaignId/cancel'),
    jsonHandler(async (req): Promise<CampaignProgressJson> => {
      const campaignId = param(req, 'campaignId');
      await deps.broadcasts.cancel(callerOf(req).userId, campaignId);
      return progressJson(await deps.broadcasts.progressNow(campaignId));
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/campaigns/:campaignId/report-link'),
    jsonHandler(async (req): Promise<DownloadLink> => {
      const campaignId = (await deps.broadcasts.get(param(req, 'campaignId'))).id;
      return deps.downloadLink(callerOf(req).userId, { kind: 'report', campaignId });
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/groups'),
    jsonHandler(async (req): Promise<GroupRefJson[]> => {
      const parsed = groupQuery.safeParse(req.query ?? {});
      if (!parsed.success)
        throw new AppError('input.invalid', 'Expected ?search= with 1 to 120 characters of a group name', {
          status: 400,
        });
      return deps.groups.search(parsed.data.search, GROUP_SEARCH_LIMIT);
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/groups/:groupId'),
    jsonHandler(async (req): Promise<GroupRefJson> => {
      const id = param(req, 'groupId');
      const name = GROUP_ID.test(id) ? await deps.groups.displayName(id) : null;
      if (name === null)
        throw new AppError('broadcast.group_not_found', `no group ${id.slice(0, 64)}`, { status: 404 });
      return { id, displayName: name };
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/audit'),
    jsonHandler(async (req): Promise<AuditPage> => {
      const parsed = auditQuery.safeParse(req.query ?? {});
      if (!parsed.success)
        throw new AppError('input.invalid', `Expected limit 1-${AUDIT_MAX} and a before cursor from a previous page`, {
          status: 400,
        });
      const page = await deps.auditPage({ before: parsed.data.before, limit: parsed.data.limit ?? AUDIT_DEFAULT });
      const names = await deps.names(page.entries.flatMap((e) => [e.actorId, e.subjectId ?? '']));
      const locale = requestLocale(req);
      return { entries: page.entries.map((e) => auditJson(e, names, locale)), nextBefore: page.nextBefore };
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/follow-through'),
    jsonHandler(async (req): Promise<TimeToVisibleJson> => {
      const report = await deps.timeToVisible();
      const names = await deps.names(report.late.map((c) => c.userId));
      return timeToVisibleJson(requestLocale(req), report, {
        teamsCacheDays: deps.teamsCacheDays,
        lateAfterHours: TIME_TO_VISIBLE_DEFAULTS.lateAfterHours,
        names,
        enabled: deps.followThroughEnabled,
      });
    }),
  );
}

/** The draft body, or the tab's "that reminder isn't complete" (400). */
function readDraft(req: Request): Promise<z.infer<typeof draftBody>> {
  return readJson(
    req,
    draftBody,
    () => new TabError('broadcast.invalid', 'tab.errors.campaign_invalid', 'bad campaign draft', { status: 400 }),
  );
}

/** The service's draft for a checked body. */
function draftOf(body: z.infer<typeof draftBody>): CampaignDraft {
  const flags = { includeGuests: body.includeGuests ?? false, includeDisabled: body.includeDisabled ?? false };
  const a = body.audience;
  return {
    message: body.message.kind === 'custom' ? { kind: 'custom', text: body.message.text } : { kind: 'reminder' },
    audience:
      a.kind === 'category'
        ? { kind: 'category', category: a.categories[0], ...flags }
        : a.kind === 'group'
          ? { kind: 'group', groupId: a.groupId, ...flags }
          : a.kind === 'followup'
            ? { kind: 'followup', campaignId: a.campaignId, ...flags }
            : { kind: 'everyone', ...flags },
    ...(body.sendAt ? { sendAt: new Date(body.sendAt) } : {}),
    ...(body.followUpDays?.length ? { followUpDays: body.followUpDays } : {}),
  };
}

/**
 * A campaign's progress as the contract has it (the reminder's words are the tenant settings', not the
 * campaign's), with the name of a group audience.
 */
async function progressJsonOf(
  p: CampaignProgress,
  groupName: (groupId: string) => Promise<string | null>,
): Promise<CampaignProgressJson> {
  const name = p.audience.groupId ? await groupName(p.audience.groupId) : null;
  return {
    ...p,
    message:
      p.message.kind === 'custom'
        ? { kind: 'custom', text: p.message.text }
        : p.message.kind === 'refresh'
          ? { kind: 'refresh' }
          : { kind: 'reminder' },
    audience: { ...p.audience, ...(name ? { groupName: name } : {}) },
  };
}

/** How long a group's looked-up name is reused. */
const GROUP_NAME_TTL_MS = 10 * 60_000;

/** Group names from the directory, each kept for a while; a failed lookup is not kept (and gives no name). */
function cachedGroupNames(groups: AdminRouteDeps['groups']): (groupId: string) => Promise<string | null> {
  const known = new Map<string, { name: string | null; at: number }>();
  return async (groupId) => {
    const hit = known.get(groupId);
    if (hit && Date.now() - hit.at < GROUP_NAME_TTL_MS) return hit.name;
    try {
      const name = await groups.displayName(groupId);
      known.set(groupId, { name, at: Date.now() });
      return name;
    } catch {
      return null;
    }
  };
}

function auditJson(e: AuditEntry, names: ReadonlyMap<string, string>, locale: Locale): AuditEntryJson {
  const actorName = names.get(e.actorId);
  const subjectName = e.subjectId ? names.get(e.subjectId) : undefined;
  const why = e.outcome === 'refused' ? whyRefused(e, locale) : undefined;
  return {
    at: e.at.toISOString(),
    actorId: e.actorId,
    ...(actorName ? { actorName } : {}),
    action: e.action,
    ...(e.subjectId ? { subjectId: e.subjectId } : {}),
    ...(subjectName ? { subjectName } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    outcome: e.outcome,
    ...(why ? { why } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

/** The error a refusal's `reason` stands for (refusals with a `code` name it themselves). */
const REFUSAL_CODES: Record<string, string> = {
  policy_on_premises: 'm365.blocked_by_policy',
  no_approver: 'approval.no_approver',
  not_allowed: 'approval.not_approver',
  not_found: 'request.not_found',
};

/** Why a refused entry was refused, in the caller's words: the message the refused person got. */
function whyRefused(e: AuditEntry, locale: Locale): string | undefined {
  const raw = e.detail?.code ?? (typeof e.detail?.reason === 'string' ? REFUSAL_CODES[e.detail.reason] : undefined);
  const key = typeof raw === 'string' ? `errors.${raw}` : '';
  if (!key || !hasMessage(key)) return undefined;
  const params = Object.fromEntries(
    Object.entries(e.detail ?? {}).filter(([, v]) => typeof v === 'number' || typeof v === 'string'),
  );
  return t(locale, key, params as Record<string, string | number>);
}
