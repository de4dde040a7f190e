/** Replies about photo status: the report card, and the answers to its fix buttons. */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Locale } from '../core/locale';
import type { StatusService } from '../core/status/status-service';
import type { StatusReport } from '../core/status/status-types';
import { formatBytes } from '../i18n/i18n';
import type { ActivityUser } from './activity-user';
import type { AdaptiveCard } from './cards/types';
import { messageCard } from './cards/message-card';
import { statusCard } from './cards/status-card';
import { jpegDataUri } from './photo-replies';

/** The status card of a report, with its previews as data URIs (and a sentence before it). */
export function statusCardFor(locale: Locale, report: StatusReport, intro?: string): AdaptiveCard {
  return statusCard(locale, {
    report,
    intro,
    photoPreview: report.photo?.picture ? jpegDataUri(report.photo.picture.preview) : undefined,
    sharePointPreview: report.sharePointPicture ? jpegDataUri(report.sharePointPicture.preview) : undefined,
  });
}

/** Checks the user's photo everywhere and sends the status card. */
export async function sendStatus(context: TurnContext, status: StatusService, user: ActivityUser): Promise<void> {
  const report = await status.report(user.userId);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(statusCardFor(user.locale, report))] });
}

/** After a fix: says it is done in a new message, and returns a fresh report for the clicked status card. */
export async function fixedStatusCard(
  context: TurnContext,
  status: StatusService,
  user: ActivityUser,
  doneKey: string,
): Promise<AdaptiveCard> {
  const report = await status.report(user.userId);
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(messageCard(user.locale, { kind: 'info', messageKey: doneKey }))],
  });
  return statusCardFor(user.locale, report);
}

/** The card with the download link of an AD-ready photo. */
export function adPhotoCard(locale: Locale, url: string, bytes: number, minutes: number): AdaptiveCard {
  return messageCard(locale, {
    kind: 'info',
    messageKey: 'status.ad_photo.ready',
    params: { size: formatBytes(locale, bytes), minutes },
    openUrl: { url, titleKey: 'status.ad_photo.download' },
  });
}
