/** A generic localised error, warning or info card, e.g. for an AppError's message. */
import type { Locale } from '../../core/locale';
import { hasMessage, t, type MessageParams } from '../../i18n/i18n';
import { card, openUrl, execute, text, type TextOptions } from './elements';
import { plainParams } from './plain-text';
import type { AdaptiveCard, CardVerb, JsonObject } from './types';

/** The tone of a message card. */
type MessageKind = 'error' | 'warning' | 'info';

/** What the message card shows. */
export interface MessageCardArgs {
  kind: MessageKind;
  /** i18n key of the title; defaults to one per kind. */
  titleKey?: string;
  /** i18n key of the message, e.g. `errors.photo.too_small` (AppError.messageKey). */
  messageKey: string;
  /** Message params; `correlationId`, when present, is also shown as a reference line. */
  params?: MessageParams;
  /** A "Try again" button sending this verb (and request id) back. */
  retry?: { verb: CardVerb; requestId?: string; titleKey?: string };
  /** A button opening a page, e.g. the upload page. */
  openUrl?: { url: string; titleKey?: string };
}

const TITLE_KEY: Readonly<Record<MessageKind, string | null>> = {
  error: 'cards.message.title_error',
  warning: 'cards.message.title_warning',
  // No "Good to know" over every notice: the message is the whole card.
  info: null,
};

const TITLE_COLOUR: Readonly<Record<MessageKind, TextOptions['color']>> = {
  error: 'attention',
  warning: 'warning',
  info: 'accent',
};

/** A title, the message (an unknown key falls back to the generic error) and optional buttons. */
export function messageCard(locale: Locale, args: MessageCardArgs): AdaptiveCard {
  // Parameters carry names and reasons from people and the directory: literal text, never Markdown.
  const params = plainParams(args.params);
  const messageKey = hasMessage(args.messageKey) ? args.messageKey : 'errors.internal';
  const message = t(locale, messageKey, params);
  const titleKey = args.titleKey && hasMessage(args.titleKey) ? args.titleKey : TITLE_KEY[args.kind];
  // A notice says its one thing without a heading; errors and warnings, and notices given a title, keep one.
  const body: JsonObject[] = [
    ...(titleKey
      ? [text(t(locale, titleKey), { weight: 'bolder', color: TITLE_COLOUR[args.kind], style: 'heading' })]
      : []),
    text(message, { spacing: titleKey ? 'small' : 'default' }),
  ];
  if (params.correlationId !== undefined && String(params.correlationId) !== '') {
    body.push(
      text(t(locale, 'cards.message.reference', { correlationId: params.correlationId }), {
        size: 'small',
        isSubtle: true,
      }),
    );
  }
  const actions: JsonObject[] = [];
  if (args.retry) {
    actions.push(
      execute(t(locale, args.retry.titleKey ?? 'cards.common.try_again'), args.retry.verb, {
        requestId: args.retry.requestId,
      }),
    );
  }
  if (args.openUrl)
    actions.push(openUrl(t(locale, args.openUrl.titleKey ?? 'cards.common.open_upload_page'), args.openUrl.url));
  return card(body, actions, message);
}
