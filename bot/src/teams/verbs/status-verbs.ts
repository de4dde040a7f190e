/** The photo status card's fix buttons: send to SharePoint now, apply again, the AD-ready photo. */
import { ActivityTypes } from 'botbuilder';
import { toAppError } from '../../core/errors';
import type { CardVerb } from '../cards/types';
import { errorCard } from '../error-card';
import { adPhotoCard, fixedStatusCard } from '../status-replies';
import { keepCard, sendCard, type ExecuteAnswer, type Turn } from '../turn';

/**
 * Runs a status fix. A retryable failure is said in a new message with "Try again" for the same verb, and the status
 * card stays as it was.
 */
async function statusFix(turn: Turn, verb: CardVerb, run: () => Promise<ExecuteAnswer>): Promise<ExecuteAnswer> {
  await turn.context.sendActivity({ type: ActivityTypes.Typing });
  try {
    return await run();
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(turn.context, errorCard(turn.user.locale, e, turn.context.activity.id, { verb }));
    return keepCard(turn.user.locale);
  }
}

/** Writes the SharePoint thumbnails and profile properties now; the status card shows the fresh report. */
export async function fixSharePoint(turn: Turn): Promise<ExecuteAnswer> {
  const { context, user, deps } = turn;
  return statusFix(turn, 'status.fix_sharepoint', async () => {
    await deps.status.fixSharePoint(user.userId, user.userId);
    return fixedStatusCard(context, deps.status, user, 'status.done.fix_sharepoint');
  });
}

/** Writes the photo Microsoft 365 holds again (wakes a stuck sync); the status card shows the fresh report. */
export async function applyAgain(turn: Turn): Promise<ExecuteAnswer> {
  const { context, user, deps } = turn;
  return statusFix(turn, 'status.apply_again', async () => {
    await deps.status.applyAgain(user.userId, user.userId);
    return fixedStatusCard(context, deps.status, user, 'status.done.apply_again');
  });
}

/** A signed link to the AD-ready photo (96x96, under 10 KB), in a new message; the status card stays. */
export async function adPhoto(turn: Turn): Promise<ExecuteAnswer> {
  const { context, user, deps } = turn;
  return statusFix(turn, 'status.ad_photo', async () => {
    // Made now to tell its size and to fail here rather than in the browser; the link makes it again.
    const jpeg = await deps.status.adReadyPhoto(user.userId, user.userId);
    const link = await deps.adPhotoLink(user);
    await sendCard(context, adPhotoCard(user.locale, link.url, jpeg.byteLength, link.minutes));
    return keepCard(user.locale);
  });
}
