/** What a broadcast recipient gets: the reminder (or the admin's text) in their language, and a button to start. */
import type { Locale } from '../../core/locale';
import type { CampaignMessage } from '../../core/broadcast/broadcast-types';
import { t } from '../../i18n/i18n';
import { card, heading, submit, text } from './elements';
import { plain } from './plain-text';
import type { AdaptiveCard } from './types';

/**
 * The recipient's card. The button starts "update my photo" in the chat (verb `photo.start`). A reminder uses
 * the tenant's own title and text for `locale` where an admin set them, else the product's.
 */
export function reminderCard(locale: Locale, message: CampaignMessage): AdaptiveCard {
  const own = message.kind === 'reminder' ? message.texts?.[locale] : undefined;
  // The admin's own words are shown as typed (no Markdown), ours keep their formatting.
  const ownTitle = own?.title?.trim();
  const ownText = message.kind === 'custom' ? message.text : own?.text?.trim();
  const title = ownTitle ? plain(ownTitle) : t(locale, 'admin.reminder.title');
  const main = ownText ? plain(ownText) : t(locale, 'admin.reminder.text');
  return card(
    [
      heading(title),
      text(main, { spacing: 'small' }),
      text(t(locale, 'admin.reminder.from'), { size: 'small', isSubtle: true }),
    ],
    [submit(t(locale, 'admin.reminder.button'), { verb: 'photo.start' }, 'positive')],
    ownText || t(locale, 'admin.reminder.text'),
  );
}
