/**
 * What the bot can do, in the user's language: the phrases to type (update, status, cancel), Undo, and for
 * Headshot admins their commands. Sent for "help", and after "I didn't understand" for anything the bot does
 * not recognise (instead of starting a photo update nobody asked for).
 */
import type { Locale } from '../../core/locale';
import { t } from '../../i18n/i18n';
import { card, heading, execute, text } from './elements';
import type { AdaptiveCard } from './types';

/** How the card opens: a plain answer to "help", or after a message it did not understand. */
export interface HelpCardArgs {
  notUnderstood: boolean;
  /** Adds the admin commands. */
  isAdmin: boolean;
}

/** The help card. */
export function helpCard(locale: Locale, args: HelpCardArgs): AdaptiveCard {
  const line = (key: string) => text(t(locale, `cards.help.${key}`), { spacing: 'small' });
  const intro = args.notUnderstood ? t(locale, 'cards.help.not_understood') : t(locale, 'cards.help.title');
  return card(
    [
      args.notUnderstood ? text(intro, { weight: 'bolder' }) : heading(intro),
      line('update'),
      line('status'),
      line('cancel'),
      line('undo'),
      line('reminders'),
      ...(args.isAdmin
        ? [text(t(locale, 'cards.help.admin_title'), { weight: 'bolder' }), line('coverage'), line('broadcast')]
        : []),
      text(t(locale, 'cards.help.language'), { isSubtle: true, size: 'small' }),
    ],
    [execute(t(locale, 'cards.common.update_my_photo'), 'photo.start', {}, 'positive')],
    intro,
  );
}
