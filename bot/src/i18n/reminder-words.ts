/**
 * The words of a reminder in one language: the tenant's own title and text where an admin set them,
 * else the product's; a custom campaign's text as the admin typed it. The recipient's card renders
 * them; the tab's confirmation shows them as the preview of what people get.
 */
import type { CampaignMessage } from '../core/broadcast/broadcast-types';
import type { Locale } from '../core/locale';
import { t } from './i18n';

/** A reminder's words; `own*`: the admin's text (shown as typed, never as Markdown). */
export interface ReminderWords {
  title: string;
  text: string;
  button: string;
  from: string;
  ownTitle: boolean;
  ownText: boolean;
}

/** The reminder `message` as a recipient with language `locale` gets it. */
export function reminderWords(locale: Locale, message: CampaignMessage): ReminderWords {
  const own = message.kind === 'reminder' ? message.texts?.[locale] : undefined;
  const ownTitle = own?.title?.trim();
  const ownText = message.kind === 'custom' ? message.text.trim() : own?.text?.trim();
  // A refresh reminder has its own words: the person has a photo, only an old one.
  const words = message.kind === 'refresh' ? 'admin.refresh' : 'admin.reminder';
  return {
    title: ownTitle || t(locale, `${words}.title`),
    text: ownText || t(locale, `${words}.text`),
    button: t(locale, 'admin.reminder.button'),
    from: t(locale, 'admin.reminder.from'),
    ownTitle: Boolean(ownTitle),
    ownText: Boolean(ownText),
  };
}
