/** What a broadcast recipient gets: the reminder (or the admin's text) in their language, and a button to start. */
import type { Locale } from '../../core/locale';
import type { CampaignMessage } from '../../core/broadcast/broadcast-types';
import { t } from '../../i18n/i18n';
import { reminderWords } from '../../i18n/reminder-words';
import { card, heading, execute, text } from './elements';
import { plain } from './plain-text';
import type { AdaptiveCard } from './types';

/**
 * The recipient's card. The button starts "update my photo" in the chat (verb `photo.start`); the other one stops
 * reminders for this person (`reminder.stop`). A reminder uses
 * the tenant's own title and text for `locale` where an admin set them, else the product's.
 */
export function reminderCard(locale: Locale, message: CampaignMessage): AdaptiveCard {
  const words = reminderWords(locale, message);
  // The admin's own words are shown as typed (no Markdown), ours keep their formatting.
  const title = words.ownTitle ? plain(words.title) : words.title;
  const main = words.ownText ? plain(words.text) : words.text;
  return card(
    [heading(title), text(main, { spacing: 'small' }), text(words.from, { size: 'small', isSubtle: true })],
    [
      execute(words.button, 'photo.start', {}, 'positive'),
      // Always the product's words: a tenant's own text cannot remove the way out.
      execute(t(locale, 'admin.reminder.stop'), 'reminder.stop'),
    ],
    words.text,
  );
}
