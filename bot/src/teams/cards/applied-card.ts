/** Success: the photo is in Microsoft 365, and when each app will show it. */
import type { Locale } from '../../core/locale';
import { t } from '../../i18n/i18n';
import { card, execute, heading, text } from './elements';
import { plain } from './plain-text';
import type { AdaptiveCard, JsonObject } from './types';

/** What the applied card shows. */
export interface AppliedCardArgs {
  /** `data:image/jpeg;base64,...` of the 96x96 preview, when at hand. */
  previewDataUri?: string;
  /** Who approved the photo, when it went through approval. */
  approvedByName?: string;
  /** Offers "Undo" (an Action.Execute `photo.undo`) for this request. */
  undoRequestId?: string;
}

/** The photo is updated; Outlook soon, Teams caches for a while, SharePoint/Delve up to 24 h. */
export function appliedCard(locale: Locale, args: AppliedCardArgs = {}): AdaptiveCard {
  const intro = text(t(locale, 'cards.applied.intro'));
  const top: JsonObject = args.previewDataUri
    ? {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'auto',
            items: [
              {
                type: 'Image',
                url: args.previewDataUri,
                altText: t(locale, 'cards.applied.alt'),
                style: 'person',
                width: '48px',
              },
            ],
          },
          { type: 'Column', width: 'stretch', verticalContentAlignment: 'center', items: [intro] },
        ],
      }
    : intro;
  const approved = args.approvedByName
    ? [text(t(locale, 'cards.applied.approved_by', { name: plain(args.approvedByName) }), { spacing: 'small' })]
    : [];
  return card(
    [
      heading(t(locale, 'cards.applied.title')),
      top,
      ...approved,
      text(t(locale, 'cards.applied.outlook'), { spacing: 'medium' }),
      text(t(locale, 'cards.applied.teams'), { spacing: 'small' }),
      text(t(locale, 'cards.applied.sharepoint'), { spacing: 'small' }),
    ],
    args.undoRequestId
      ? [execute(t(locale, 'cards.applied.undo'), 'photo.undo', { requestId: args.undoRequestId })]
      : [],
    t(locale, 'cards.applied.title'),
  );
}
