/** The card a user gets when they install Headshot: what it does and how to start. */
import type { Locale } from '../../core/locale';
import { t } from '../../i18n/i18n';
import { card, heading, openUrl, execute, text } from './elements';
import type { AdaptiveCard } from './types';

/** What the welcome card shows. */
export interface WelcomeCardArgs {
  /** The upload page, already signed for this user. */
  uploadUrl: string;
}

/** Welcome: Headshot updates your photo everywhere in Microsoft 365 and shows where it is in place. */
export function welcomeCard(locale: Locale, args: WelcomeCardArgs): AdaptiveCard {
  return card(
    [
      heading(t(locale, 'cards.welcome.title')),
      text(t(locale, 'cards.welcome.intro')),
      text(t(locale, 'cards.welcome.update')),
      text(t(locale, 'cards.welcome.status'), { spacing: 'small' }),
      text(t(locale, 'cards.welcome.help'), { isSubtle: true }),
    ],
    [
      execute(t(locale, 'cards.common.update_my_photo'), 'photo.start', {}, 'positive'),
      openUrl(t(locale, 'cards.common.open_upload_page'), args.uploadUrl),
    ],
    t(locale, 'cards.welcome.intro'),
  );
}
