/** The preview of a prepared photo: how it looks (square and round), facts, warnings, and the choice. */
import type { Locale } from '../../core/locale';
import type { PhotoWarning } from '../../core/photo/pipeline-ports';
import { formatBytes, hasMessage, t } from '../../i18n/i18n';
import { card, facts, heading, execute, text } from './elements';
import { formatName } from './format-names';
import type { AdaptiveCard, JsonObject } from './types';

/** The side of the JPEG Graph receives. */
const MASTER_SIDE = 648;

/** What the preview card shows; the image is a small (96 px) data URI, never the full photo. */
export interface PreviewCardArgs {
  requestId: string;
  /** `data:image/jpeg;base64,...` of the 96x96 preview. */
  previewDataUri: string;
  sourceWidth: number;
  sourceHeight: number;
  /** The detected format code ('jpeg', 'png', ...). */
  sourceFormat: string;
  sourceBytes: number;
  /** Size of the 648x648 JPEG Graph will get, when known. */
  masterBytes?: number;
  warnings: readonly PhotoWarning[];
}

/** The preview card with "Use this photo", "Choose another" and "Cancel" for one request. */
export function previewCard(locale: Locale, args: PreviewCardArgs): AdaptiveCard {
  const { requestId } = args;
  const result = t(locale, 'cards.preview.result_value', { side: MASTER_SIDE });
  const warnings = args.warnings.filter((w) => hasMessage(`warnings.${w.code}`));
  const body: JsonObject[] = [
    heading(t(locale, 'cards.preview.title')),
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'auto',
          items: [
            { type: 'Image', url: args.previewDataUri, altText: t(locale, 'cards.preview.alt_square'), width: '96px' },
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'center',
          items: [
            {
              type: 'Image',
              url: args.previewDataUri,
              altText: t(locale, 'cards.preview.alt_round'),
              style: 'person',
              width: '48px',
            },
          ],
        },
      ],
    },
    facts([
      [
        t(locale, 'cards.preview.original'),
        t(locale, 'cards.preview.original_value', { width: args.sourceWidth, height: args.sourceHeight }),
      ],
      [t(locale, 'cards.preview.format'), formatName(args.sourceFormat)],
      [t(locale, 'cards.preview.file_size'), formatBytes(locale, args.sourceBytes)],
      [
        t(locale, 'cards.preview.result'),
        args.masterBytes === undefined ? result : `${result}, ${formatBytes(locale, args.masterBytes)}`,
      ],
    ]),
  ];
  if (warnings.length > 0) {
    body.push(text(t(locale, 'cards.preview.warnings_title'), { weight: 'bolder', spacing: 'medium' }));
    for (const w of warnings)
      body.push(text(t(locale, `warnings.${w.code}`, w.params), { color: 'attention', spacing: 'small' }));
    if (warnings.some((w) => w.needsApproval))
      body.push(text(t(locale, 'cards.preview.guideline_approval'), { spacing: 'small' }));
  }
  body.push(text(t(locale, 'cards.preview.question'), { spacing: 'medium' }));
  return card(
    body,
    [
      execute(t(locale, 'cards.common.use_this_photo'), 'photo.confirm', { requestId }, 'positive'),
      execute(t(locale, 'cards.common.choose_another'), 'photo.choose_another', { requestId }),
      execute(t(locale, 'cards.common.cancel'), 'photo.cancel', { requestId }),
    ],
    t(locale, 'cards.preview.question'),
  );
}
