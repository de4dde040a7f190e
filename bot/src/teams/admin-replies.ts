/**
 * The admin's side of the bot: the coverage card (with progress while a scan runs), composing,
 * previewing and sending a broadcast, its progress card, cancelling, and CSV links. Everything
 * is refused, with a clear card, for anyone who is not an admin.
 */
import crypto from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import { AppError } from '../core/errors';
import type { Locale } from '../core/locale';
import type { CampaignDraft } from '../core/broadcast/broadcast-service';
import type { CampaignAudience, CampaignMessage } from '../core/broadcast/broadcast-types';
import { REMINDABLE_CATEGORIES, type CoverageCategory } from '../core/coverage/coverage-types';
import { formatNumber, t } from '../i18n/i18n';
import type { ActivityUser } from './activity-user';
import type { AdminCommand } from './admin-intents';
import { audienceLabel } from './cards/broadcast-progress-card';
import { COMPOSE_INPUTS, composeCard } from './cards/broadcast-compose-card';
import { ADMIN_VERBS, coverageCard } from './cards/coverage-card';
import { card, heading, execute, text } from './cards/elements';
import { messageCard } from './cards/message-card';
import type { AdaptiveCard, JsonObject } from './cards/types';
import type { AdminDownloadResource } from '../core/admin/download-resource';
import { keepCard, referenceOf, sendCard, type AdminFeatures, type KeepCard } from './turn';

/** The admin features, refused when they are not configured. */
export function adminOf(ctx: { deps: { admin?: AdminFeatures } }): AdminFeatures {
  if (!ctx.deps.admin) throw new AppError('admin.forbidden', 'admin features are not configured', { status: 403 });
  return ctx.deps.admin;
}

/** Refuses non-admins with admin.forbidden (the error card says so in their language). */
export async function requireAdmin(admin: AdminFeatures, user: ActivityUser): Promise<void> {
  await admin.broadcasts.requireAdmin(user.userId);
}

/** Sends the coverage card; starts a scan when none is recent, and lets the scan update the card in place. */
async function showCoverage(
  context: TurnContext,
  user: ActivityUser,
  admin: AdminFeatures,
  refresh: boolean,
): Promise<void> {
  const latest = await admin.coverage.view();
  const done = await admin.coverage.latestDone();
  const stale = !done || admin.now().getTime() - Date.parse(done.finishedAt ?? done.startedAt) > admin.coverageMaxAgeMs;
  let scanId: string | undefined;
  if (latest?.state === 'running') scanId = latest.scanId;
  else if (refresh || stale) scanId = (await admin.coverage.start(`teams:${user.userId}`)).scan.id;
  const view = scanId ? await admin.coverage.view(scanId) : done;
  const activityId = await sendCard(context, coverageCard(user.locale, view));
  if (scanId && activityId && (await admin.coverage.view(scanId))?.state === 'running')
    await admin.coverageStore.setCard(scanId, { reference: referenceOf(context), activityId, locale: user.locale });
  else if (scanId && activityId) {
    // Finished while the card was on its way: show the result.
    await context.updateActivity({
      ...cardReply(coverageCard(user.locale, await admin.coverage.view(scanId))),
      id: activityId,
    });
  }
}

/**
 * "Check again" on a coverage card: starts a scan (unless one runs), and returns the card for the clicked message,
 * which the scan then keeps up to date (the same as showCoverage, in place of the clicked card).
 */
export async function coverageInPlace(
  context: TurnContext,
  user: ActivityUser,
  admin: AdminFeatures,
): Promise<AdaptiveCard | KeepCard> {
  const clicked = context.activity.replyToId;
  if (!clicked) {
    await showCoverage(context, user, admin, true);
    return keepCard(user.locale);
  }
  const latest = await admin.coverage.view();
  const scanId =
    latest?.state === 'running' ? latest.scanId : (await admin.coverage.start(`teams:${user.userId}`)).scan.id;
  const view = await admin.coverage.view(scanId);
  if (view?.state === 'running')
    await admin.coverageStore.setCard(scanId, {
      reference: referenceOf(context),
      activityId: clicked,
      locale: user.locale,
    });
  return coverageCard(user.locale, view);
}

function cardReply(c: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: c }] };
}

/** Handles a typed admin command. */
export async function answerAdminCommand(
  context: TurnContext,
  user: ActivityUser,
  deps: { admin?: AdminFeatures },
  command: AdminCommand,
): Promise<void> {
  const admin = adminOf({ deps });
  await requireAdmin(admin, user);
  if (command === 'coverage') return showCoverage(context, user, admin, false);
  await sendCard(context, composeCard(user.locale, { draftId: newDraftId() }));
}

/**
 * A new campaign id (a draft's id becomes its campaign's): base64url after a letter, so that it never starts with
 * "-", which `headshot broadcast report <id>` would read as an option (it did, now and then, in CI).
 */
export const newDraftId = (): string => `c${crypto.randomBytes(12).toString('base64url')}`;

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** When to send, from the card's date and time in the admin's time zone (Teams' localTimestamp offset). */
function sendAtOf(data: Record<string, unknown>, context: TurnContext, now: Date): Date | undefined {
  const date = str(data[COMPOSE_INPUTS.date]);
  const time = str(data[COMPOSE_INPUTS.time]);
  if (!date && !time) return undefined;
  if ((date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) || (time && !/^\d{2}:\d{2}$/.test(time)))
    throw new AppError(
      'broadcast.invalid',
      `Expected a date like 2025-05-01 and a time like 09:30; received '${date}' '${time}'.`,
    );
  const local = context.activity.localTimestamp as unknown;
  const offset =
    /([+-]\d{2}:\d{2}|Z)$/.exec(
      typeof local === 'string' ? local : ((local as Date | undefined)?.toISOString?.() ?? ''),
    )?.[1] ?? 'Z';
  const day = date || now.toISOString().slice(0, 10);
  const at = new Date(`${day}T${time || '00:00'}:00${offset}`);
  if (Number.isNaN(at.getTime())) throw new AppError('broadcast.invalid', 'unreadable send time');
  return at;
}

/** The draft an admin's card action carries (the compose card's inputs, or the preview's copy of them). */
export function draftOf(data: Record<string, unknown>, context: TurnContext, now: Date): CampaignDraft {
  const id = str(data.draftId);
  const message: CampaignMessage =
    str(data[COMPOSE_INPUTS.message]) === 'custom'
      ? { kind: 'custom', text: str(data[COMPOSE_INPUTS.customText]) }
      : { kind: 'reminder' };
  const chosen = str(data[COMPOSE_INPUTS.audience]) || 'category:no_photo';
  const flags = {
    includeGuests: str(data[COMPOSE_INPUTS.includeGuests]) === 'true',
    includeDisabled: str(data[COMPOSE_INPUTS.includeDisabled]) === 'true',
  };
  let audience: CampaignAudience;
  if (chosen.startsWith('category:')) {
    const category = chosen.slice('category:'.length) as CoverageCategory;
    if (!REMINDABLE_CATEGORIES.includes(category))
      throw new AppError(
        'broadcast.invalid',
        `Expected an audience like category:no_photo, group or everyone; received '${chosen.slice(0, 40)}'.`,
      );
    audience = { kind: 'category', category, ...flags };
  } else if (chosen === 'group')
    audience = { kind: 'group', groupId: str(data[COMPOSE_INPUTS.groupId]).trim(), ...flags };
  else if (chosen === 'everyone') audience = { kind: 'everyone', ...flags };
  else
    throw new AppError(
      'broadcast.invalid',
      `Expected an audience like category:no_photo, group or everyone; received '${chosen.slice(0, 40)}'.`,
    );
  // Follow-ups come as Teams sends a multi-select choice: "3,7".
  const followUps = str(data[COMPOSE_INPUTS.followUps]);
  const followUpDays = followUps ? followUps.split(',').map((d) => Number(d.trim())) : [];
  return {
    id: id || undefined,
    message,
    audience,
    sendAt: sendAtOf(data, context, now),
    ...(followUpDays.length ? { followUpDays } : {}),
  };
}

/** The data of a "Send" button that repeats a draft (the preview's confirm card). */
export function draftData(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['draftId', ...Object.values(COMPOSE_INPUTS)]) {
    const v = data[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

/** The confirm card after a preview: who gets it, how many, when; Send and Change. */
export function confirmCard(
  locale: Locale,
  draft: CampaignDraft,
  size: number | null,
  data: Record<string, string>,
): AdaptiveCard {
  const body: JsonObject[] = [
    heading(t(locale, 'admin.preview.title')),
    text(t(locale, 'admin.preview.above'), { spacing: 'small' }),
    text(`${t(locale, 'admin.progress.audience')}: ${audienceLabel(locale, draft.audience)}`, { weight: 'bolder' }),
    text(
      size === null
        ? t(locale, 'admin.preview.size_unknown')
        : t(locale, 'admin.preview.size', { people: formatNumber(locale, size) }),
      { spacing: 'small' },
    ),
  ];
  return card(
    body,
    [
      execute(t(locale, 'admin.compose.send'), ADMIN_VERBS.send, data, 'positive'),
      execute(t(locale, 'admin.preview.change'), ADMIN_VERBS.compose, data),
    ],
    t(locale, 'admin.preview.title'),
  );
}

/** Sends a signed download link to the admin. */
export async function sendLink(
  ctx: { context: TurnContext; user: ActivityUser },
  admin: AdminFeatures,
  resource: AdminDownloadResource,
  key: string,
): Promise<void> {
  const link = await admin.downloadLink(ctx.user, resource);
  await sendCard(
    ctx.context,
    messageCard(ctx.user.locale, {
      kind: 'info',
      messageKey: key,
      params: { minutes: link.minutes },
      openUrl: { url: link.url, titleKey: 'admin.download' },
    }),
  );
}
