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
  showCoverage,
  str,
} from '../admin-replies';
import { progressCard } from '../cards/broadcast-progress-card';
import { COMPOSE_INPUTS, composeCard } from '../cards/broadcast-compose-card';
import { messageCard } from '../cards/message-card';
import { reminderCard } from '../cards/reminder-card';
import { referenceOf, sendCard, type Turn } from '../turn';

type AdminVerb = (ctx: Turn) => Promise<void>;

export const coverageRefresh: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  await showCoverage(ctx.context, ctx.user, admin, true);
};

export const coverageCsv: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const scanId = str(ctx.data.scanId) || (await admin.coverage.latestDone())?.scanId;
  if (!scanId || !(await admin.coverage.view(scanId))) throw new AppError('broadcast.no_coverage', 'no scan to export');
  await sendLink(ctx, admin, { kind: 'coverage', scanId }, 'admin.coverage.link');
};

export const compose: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const d = ctx.data;
  await sendCard(
    ctx.context,
    composeCard(ctx.user.locale, {
      draftId: str(d.draftId) || newDraftId(),
      audience: str(d[COMPOSE_INPUTS.audience]) || undefined,
      message: str(d[COMPOSE_INPUTS.message]) === 'custom' ? 'custom' : undefined,
      customText: str(d[COMPOSE_INPUTS.customText]) || undefined,
      groupId: str(d[COMPOSE_INPUTS.groupId]) || undefined,
    }),
  );
};

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
};

export const send: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  const draft = draftOf(ctx.data, ctx.context, admin.now());
  const { campaign, created } = await admin.broadcasts.create(ctx.user.userId, draft);
  if (!created) {
    await sendCard(ctx.context, messageCard(ctx.user.locale, { kind: 'info', messageKey: 'admin.broadcast.already' }));
    return;
  }
  const activityId = await sendCard(
    ctx.context,
    progressCard(ctx.user.locale, await admin.broadcasts.progressNow(campaign.id)),
  );
  if (activityId)
    await admin.broadcasts.attachProgressCard(campaign.id, {
      reference: referenceOf(ctx.context),
      activityId,
      locale: ctx.user.locale,
    });
};

export const cancel: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  const cancelled = await admin.broadcasts.cancel(ctx.user.userId, str(ctx.data.campaignId));
  await sendCard(
    ctx.context,
    messageCard(ctx.user.locale, {
      kind: 'info',
      messageKey: cancelled ? 'admin.broadcast.cancelled' : 'admin.broadcast.ended',
    }),
  );
};

export const report: AdminVerb = async (ctx) => {
  const admin = adminOf(ctx);
  await requireAdmin(admin, ctx.user);
  const campaign = await admin.broadcasts.get(str(ctx.data.campaignId));
  await sendLink(ctx, admin, { kind: 'report', campaignId: campaign.id }, 'admin.broadcast.report_link');
};
