/** What a broadcast recipient gets: the reminder (or the admin's text) in their language, and a button to start. */
import type { Locale } from '../../core/locale';
import type { CampaignMessage } from '../../core/broadcast/broadcast-types';
import { t } from '../../i18n/i18n';
import { card, heading, submit, text } from './elements';
import type { AdaptiveCard } from './types';

/**
 * The recipient's card. The button starts "update my photo" in the chat (verb `photo.start`). A reminder uses
 * the tenant's own title and text for `locale` where an admin set them, else the product's.
 */
export function reminderCard(locale: Locale, message: CampaignMessage): AdaptiveCard {
  const own = message.kind === 'reminder' ? message.texts?.[locale] : undefined;
  const title = own?.title?.trim() || t(locale, 'admin.reminder.title');
  const main = message.kind === 'custom' ? message.text : own?.text?.trim() || t(locale, 'admin.reminder.text');
  return card(
    [
      heading(title),
      text(main, { spacing: 'small' }),
      text(t(locale, 'admin.reminder.from'), { size: 'small', isSubtle: true }),
    ],
    [submit(t(locale, 'admin.reminder.button'), { verb: 'photo.start' }, 'positive')],
    main,
  );
}
