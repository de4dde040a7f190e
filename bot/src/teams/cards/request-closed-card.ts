/**
 * The preview card after its request ended, without buttons: Teams replaces the
 * clicked card with this one so nobody can press "Use this photo" twice.
 */
import type { Locale } from '../../core/locale';
import { hasMessage, t, type MessageParams } from '../../i18n/i18n';
import { card, heading, text, type TextOptions } from './elements';
import type { AdaptiveCard, JsonObject } from './types';

/** What a closed preview card can show: how its request ended, or that its applied change was undone. */
export type ClosedRequestState = 'applied' | 'cancelled' | 'superseded' | 'expired' | 'failed' | 'undone';

/** What the closed card shows. */
export interface RequestClosedCardArgs {
  state: ClosedRequestState;
  /** `data:image/jpeg;base64,...` of the 96x96 preview, when still at hand. */
  previewDataUri?: string;
  /** For `failed`: the error code that ended the request, shown as its message. */
  errorCode?: string;
  errorParams?: MessageParams;
}

const STATUS_COLOUR: Readonly<Record<ClosedRequestState, TextOptions['color']>> = {
  applied: 'good',
  cancelled: 'default',
  superseded: 'default',
  expired: 'default',
  failed: 'attention',
  undone: 'default',
};

/** A status line (and the photo, if given) in place of the preview's buttons. */
export function requestClosedCard(locale: Locale, args: RequestClosedCardArgs): AdaptiveCard {
  const status = t(locale, `cards.closed.${args.state}`);
  const lines: JsonObject[] = [text(status, { color: STATUS_COLOUR[args.state], weight: 'bolder' })];
  const errorKey = args.errorCode ? `errors.${args.errorCode}` : undefined;
  if (args.state === 'failed' && errorKey && hasMessage(errorKey)) {
    lines.push(text(t(locale, errorKey, args.errorParams), { spacing: 'small' }));
  }
  const body: JsonObject[] = [heading(t(locale, 'cards.closed.title'))];
  if (args.previewDataUri) {
    body.push({
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'auto',
          items: [{ type: 'Image', url: args.previewDataUri, altText: t(locale, 'cards.closed.alt'), width: '48px' }],
        },
        { type: 'Column', width: 'stretch', verticalContentAlignment: 'center', items: lines },
      ],
    });
  } else {
    body.push(...lines);
  }
  return card(body, [], status);
}
