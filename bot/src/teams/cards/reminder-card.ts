/** What a broadcast recipient gets: the reminder (or the admin's text) in their language, and a button to start. */
import type { Locale } from '../../core/ports';
import type { CampaignMessage } from '../../core/broadcast/broadcast-types';
import { t } from '../../i18n/i18n';
import { card, heading, submit, text } from './elements';
import type { AdaptiveCard } from './types';

/** The recipient's card. The button starts "update my photo" in the chat (verb `photo.start`). */
export function reminderCard(locale: Locale, message: CampaignMessage): AdaptiveCard {
  const main = message.kind === 'custom' ? message.text : t(locale, 'admin.reminder.text');
  return card(
    [
      heading(t(locale, 'admin.reminder.title')),
      text(main, { spacing: 'small' }),
      text(t(locale, 'admin.reminder.from'), { size: 'small', isSubtle: true }),
    ],
    [submit(t(locale, 'admin.reminder.button'), { verb: 'photo.start' }, 'positive')],
    main,
  );
}
