/** The photo status card's fix buttons: send to SharePoint now, apply again, the AD-ready photo. */
import { ActivityTypes } from 'botbuilder';
import { toAppError } from '../../core/errors';
import type { CardVerb } from '../cards/types';
import { errorCard } from '../error-card';
import { adPhotoCard, sendFixed } from '../status-replies';
import { sendCard, type Turn } from '../turn';

/** Runs a status fix; retryable failures get a "Try again" button for the same verb. */
async function statusFix(turn: Turn, verb: CardVerb, run: () => Promise<void>): Promise<void> {
  await turn.context.sendActivity({ type: ActivityTypes.Typing });
  try {
    await run();
  } catch (err) {
    const e = toAppError(err);
    if (!e.retryable) throw e;
    await sendCard(turn.context, errorCard(turn.user.locale, e, turn.context.activity.id, { verb }));
  }
}

/** Writes the SharePoint thumbnails and profile properties now. */
export async function fixSharePoint(turn: Turn): Promise<void> {
  const { context, user, deps } = turn;
  await statusFix(turn, 'status.fix_sharepoint', async () => {
    await deps.status.fixSharePoint(user.userId, user.userId);
    await sendFixed(context, deps.status, user, 'status.done.fix_sharepoint');
  });
}

/** Writes the photo Microsoft 365 holds again (wakes a stuck sync). */
export async function applyAgain(turn: Turn): Promise<void> {
  const { context, user, deps } = turn;
  await statusFix(turn, 'status.apply_again', async () => {
    await deps.status.applyAgain(user.userId, user.userId);
    await sendFixed(context, deps.status, user, 'status.done.apply_again');
  });
}

/** A signed link to the AD-ready photo (96x96, under 10 KB). */
export async function adPhoto(turn: Turn): Promise<void> {
  const { context, user, deps } = turn;
  await statusFix(turn, 'status.ad_photo', async () => {
    // Made now to tell its size and to fail here rather than in the browser; the link makes it again.
    const jpeg = await deps.status.adReadyPhoto(user.userId, user.userId);
    const link = await deps.adPhotoLink(user);
    await sendCard(context, adPhotoCard(user.locale, link.url, jpeg.byteLength, link.minutes));
  });
}
