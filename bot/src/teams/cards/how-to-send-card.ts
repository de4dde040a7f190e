/** The answer to "update my photo" and "help": the ways to send a photo, and what makes a good one. */
import type { Locale } from '../../core/locale';
import { t } from '../../i18n/i18n';
import { card, heading, openUrl, submit, text } from './elements';
import { plain } from './plain-text';
import type { AdaptiveCard, JsonObject } from './types';

/** The side Graph's largest photo size needs (648x648); smaller uploads lose sizes. */
const RECOMMENDED_SIDE = 648;

/** What the how-to card shows. */
export interface HowToSendCardArgs {
  /** The upload page, already signed for this user. */
  uploadUrl: string;
  /**
   * The editor (the tab's My photo page) for clients without dialogs: the personal tab's deep link, or the
   * page itself. Given, the card also offers the editor as a dialog (an Action.Submit with task/fetch).
   */
  editorLink?: string;
  /** False where the client opens no dialogs: "Open the editor" then opens `editorLink` (default true). */
  editorDialog?: boolean;
  /** The largest upload accepted, in megabytes. */
  maxMegabytes: number;
  /** The recommended minimum side in pixels; defaults to 648. */
  minSide?: number;
  /** When the organisation asks for approval: who approves (the manager's or the approvers group's name). */
  approverName?: string;
}

/** The Action.Submit that Teams turns into a `task/fetch` invoke opening the editor as a dialog. */
function openEditorAction(locale: Locale): JsonObject {
  return submit(
    t(locale, 'cards.common.open_editor'),
    { msteams: { type: 'task/fetch' }, verb: 'photo.editor' },
    'positive',
  );
}

/** How to send a photo: attach it here, or use the editor or the upload page; tips; what happens next. */
export function howToSendCard(locale: Locale, args: HowToSendCardArgs): AdaptiveCard {
  const tips = [
    t(locale, 'cards.how_to.tip_framing'),
    t(locale, 'cards.how_to.tip_size', { minSide: args.minSide ?? RECOMMENDED_SIDE }),
    t(locale, 'cards.how_to.tip_formats', { maxMegabytes: args.maxMegabytes }),
  ];
  const dialog = args.editorDialog ?? true;
  return card(
    [
      heading(t(locale, 'cards.how_to.title')),
      text(t(locale, 'cards.how_to.intro')),
      text(t(locale, 'cards.how_to.attach'), { spacing: 'small' }),
      text(t(locale, 'cards.how_to.page'), { spacing: 'small' }),
      ...(args.editorLink
        ? [text(t(locale, dialog ? 'cards.how_to.editor' : 'cards.how_to.editor_page'), { spacing: 'small' })]
        : []),
      text(t(locale, 'cards.how_to.tips_title'), { weight: 'bolder', spacing: 'medium' }),
      text(tips.map((tip) => `- ${tip}`).join('\n'), { spacing: 'small' }),
      text(t(locale, 'cards.how_to.next_title'), { weight: 'bolder', spacing: 'medium' }),
      text(t(locale, 'cards.how_to.next'), { spacing: 'small' }),
      ...(args.approverName
        ? [text(t(locale, 'cards.how_to.approval', { approver: plain(args.approverName) }), { spacing: 'small' })]
        : []),
    ],
    // The upload page stays the first link: it works in every client, with or without tabs.
    !args.editorLink
      ? [openUrl(t(locale, 'cards.common.open_upload_page'), args.uploadUrl)]
      : dialog
        ? [
            openEditorAction(locale),
            openUrl(t(locale, 'cards.common.open_upload_page'), args.uploadUrl),
            openUrl(t(locale, 'cards.common.open_photo_tab'), args.editorLink),
          ]
        : // No dialogs: the editor is the page itself, so one button opens it.
          [
            { ...openUrl(t(locale, 'cards.common.open_editor'), args.editorLink), style: 'positive' },
            openUrl(t(locale, 'cards.common.open_upload_page'), args.uploadUrl),
          ],
    t(locale, 'cards.how_to.attach'),
  );
}
