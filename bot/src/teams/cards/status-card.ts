/**
 * The photo status card: the photo Microsoft 365 holds and the picture SharePoint shows side
 * by side (48 px previews), then each system's state, why, the evidence and what to do, and
 * a button for every fix Headshot can make. Stays far below Teams' message size limit.
 */
import type { Locale } from '../../core/locale';
import type { FixAction, StatusReport, SyncState } from '../../core/status/status-types';
import { t } from '../../i18n/i18n';
import { describeVerdict, fixTitle } from '../../i18n/status-messages';
import { card, heading, execute, text, type TextOptions } from './elements';
import type { AdaptiveCard, CardVerb, JsonObject } from './types';

/** What the status card shows. */
export interface StatusCardArgs {
  report: StatusReport;
  /** `data:image/jpeg;base64,...` previews of at most 48 px. */
  photoPreview?: string;
  sharePointPreview?: string;
  /** A sentence before the report (a follow-up says why it sends the card). */
  intro?: string;
}

/** The verb each fix button sends (uploading starts the usual photo flow). */
export const FIX_VERBS: Readonly<Record<FixAction, CardVerb>> = Object.freeze({
  fix_sharepoint: 'status.fix_sharepoint',
  apply_again: 'status.apply_again',
  upload: 'photo.start',
  ad_photo: 'status.ad_photo',
});

const STATE_COLOUR: Readonly<Record<SyncState, TextOptions['color']>> = {
  in_sync: 'good',
  stale: 'warning',
  missing: 'warning',
  placeholder: 'warning',
  not_applicable: 'default',
  blocked_by_policy: 'attention',
  unknown: 'default',
};

/**
 * A date as Teams renders it in the reader's own time zone and language
 * (Adaptive Card DATE/TIME functions), so the card needs no time zone.
 */
export function cardDate(d: Date): string {
  const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

function preview(locale: Locale, uri: string | undefined, captionKey: string, altKey: string): JsonObject {
  const image: JsonObject = uri
    ? { type: 'Image', url: uri, altText: t(locale, altKey), width: '48px', height: '48px' }
    : { type: 'TextBlock', text: t(locale, 'status.preview_none'), size: 'small', isSubtle: true, wrap: true };
  return {
    type: 'Column',
    width: 'auto',
    items: [image, text(t(locale, captionKey), { size: 'small', isSubtle: true, spacing: 'small' })],
  };
}

/** The status card of a report. */
export function statusCard(locale: Locale, args: StatusCardArgs): AdaptiveCard {
  const { report } = args;
  const photo = report.photo;
  const facts = photo
    ? t(locale, 'status.photo_facts', { width: photo.width, height: photo.height })
    : photo === null
      ? t(locale, 'status.no_photo')
      : '';
  const body: JsonObject[] = [
    heading(t(locale, 'status.title')),
    ...(args.intro ? [text(args.intro)] : []),
    {
      type: 'ColumnSet',
      columns: [
        preview(locale, args.photoPreview, 'status.preview_m365', 'status.alt_m365'),
        preview(locale, args.sharePointPreview, 'status.preview_sharepoint', 'status.alt_sharepoint'),
        {
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'center',
          items: [
            ...(facts ? [text(facts)] : []),
            text(t(locale, 'status.checked', { date: cardDate(report.checkedAt) }), {
              size: 'small',
              isSubtle: true,
              spacing: 'small',
            }),
          ],
        },
      ],
    },
  ];
  for (const row of report.systems) {
    const words = describeVerdict(locale, row, cardDate);
    const items: JsonObject[] = [
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [text(words.system, { weight: 'bolder' })] },
          {
            type: 'Column',
            width: 'auto',
            items: [text(words.state, { weight: 'bolder', color: STATE_COLOUR[row.state] })],
          },
        ],
      },
      text(words.reasons.join(' '), { spacing: 'small' }),
    ];
    if (words.evidence.length)
      items.push(text(words.evidence.join(' · '), { size: 'small', isSubtle: true, spacing: 'small' }));
    for (const line of words.instructions) items.push(text(`→ ${line}`, { size: 'small', spacing: 'small' }));
    body.push({ type: 'Container', separator: true, spacing: 'medium', items });
  }
  const actions = report.fixes.map((fix) =>
    execute(
      fixTitle(locale, fix),
      FIX_VERBS[fix],
      {},
      fix === 'upload' || fix === 'fix_sharepoint' ? 'positive' : undefined,
    ),
  );
  return card(body, actions, t(locale, 'status.title'));
}
