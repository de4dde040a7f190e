/** The admin verbs: coverage (refresh, CSV) and broadcasts (compose, preview, send, cancel, report). Each refuses non-admins. */
import { AppError } from '../../core/errors';
import {
  adminOf,
  confirmCard,
  draftData,
  draftOf,
  newDraftId,
  requireAdmin,
  sendLink,
  coverageInPlace,
  str,
} from '../admin-replies';
import { progressCard } from '../cards/broadcast-progress-card';
import { COMPOSE_INPUTS, composeCard } from '../cards/broadcast-compose-card';
import { messageCard } from '../cards/message-card';
import { reminderCard } from '../cards/reminder-card';
import { keepCard, referenceOf, sendCard, type ExecuteAnswer, type Turn } from '../turn';

type AdminVerb = (ctx: Turn) => Promise<ExecuteAnswer>;

/** Check again: the coverage card in place, kept up to date while the scan runs. */
export const coverageRefresh: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  return coverageInPlace(ctx.context, ctx.user, admin);
};

/** A signed link to the coverage CSV, in a new message; the coverage card stays. */
export const coverageCsv: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const scanId = str(ctx.data.scanId) || (await admin.coverage.latestDone())?.scanId;
  if (!scanId || !(await admin.coverage.view(scanId))) throw new AppError('broadcast.no_coverage', 'no scan to export');
  await sendLink(ctx, admin, { kind: 'coverage', scanId }, 'admin.coverage.link');
  return keepCard(ctx.user.locale);
};

/**
 * The compose card. "Change" on a confirmation (it carries the draft) turns that card back into the compose card;
 * "Remind people without a photo" on the coverage card sends a new one and leaves the coverage card.
 */
export const compose: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const d = ctx.data;
  const next = composeCard(ctx.user.locale, {
    draftId: str(d.draftId) || newDraftId(),
    audience: str(d[COMPOSE_INPUTS.audience]) || undefined,
    message: str(d[COMPOSE_INPUTS.message]) === 'custom' ? 'custom' : undefined,
    customText: str(d[COMPOSE_INPUTS.customText]) || undefined,
    groupId: str(d[COMPOSE_INPUTS.groupId]) || undefined,
  });
  if (str(d.draftId)) return next;
  await sendCard(ctx.context, next);
  return keepCard(ctx.user.locale);
};

/** The reminder as recipients will see it and the confirmation follow; the compose card stays, to change and try again. */
export const preview: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const draft = draftOf(ctx.data, ctx.context, admin.now());
  await admin.broadcasts.validate(draft);
  await sendCard(ctx.context, reminderCard(ctx.user.locale, draft.message));
  await sendCard(
    ctx.context,
    confirmCard(ctx.user.locale, draft, await admin.broadcasts.audienceSize(draft.audience), draftData(ctx.data)),
  );
  return keepCard(ctx.user.locale);
};

/** Send: the clicked card becomes the campaign's progress card, which the dispatcher keeps up to date. */
export const send: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  const draft = draftOf(ctx.data, ctx.context, admin.now());
  const { campaign, created } = await admin.broadcasts.create(ctx.user.userId, draft);
  const progress = progressCard(ctx.user.locale, await admin.broadcasts.progressNow(campaign.id));
  // A second click on the same card (both answered before either landed) shows the same campaign's progress.
  if (!created)
    return ctx.context.activity.replyToId
      ? progress
      : messageCard(ctx.user.locale, { kind: 'info', messageKey: 'admin.broadcast.already' });
  const activityId = ctx.context.activity.replyToId ?? (await sendCard(ctx.context, progress));
  if (activityId)
    await admin.broadcasts.attachProgressCard(campaign.id, {
      reference: referenceOf(ctx.context),
      activityId,
      locale: ctx.user.locale,
      conversationId: ctx.context.activity.conversation.id,
    });
  return ctx.context.activity.replyToId ? progress : keepCard(ctx.user.locale);
};

/** Update the numbers: the clicked progress card shows the campaign and its funnel as they are now. */
export const refresh: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const campaign = await admin.broadcasts.get(str(ctx.data.campaignId));
  return progressCard(ctx.user.locale, await admin.broadcasts.progressNow(campaign.id));
};

/** Stop sending: said in a new message; the progress card shows the stopped campaign. */
export const cancel: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  const campaignId = str(ctx.data.campaignId);
  const cancelled = await admin.broadcasts.cancel(ctx.user.userId, campaignId);
  await sendCard(
    ctx.context,
    messageCard(ctx.user.locale, {
      kind: 'info',
      messageKey: cancelled ? 'admin.broadcast.cancelled' : 'admin.broadcast.ended',
    }),
  );
  return progressCard(ctx.user.locale, await admin.broadcasts.progressNow(campaignId));
};

/** A signed link to the campaign's report, in a new message; the progress card stays. */
export const report: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const campaign = await admin.broadcasts.get(str(ctx.data.campaignId));
  await sendLink(ctx, admin, { kind: 'report', campaignId: campaign.id }, 'admin.broadcast.report_link');
  return keepCard(ctx.user.locale);
};
