/** Plain JSON types for Adaptive Cards (the payload Teams receives), and the card action contract. */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** An Adaptive Card as sent to Teams: plain JSON, version 1.5 (the highest Teams renders). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version: '1.5';
  body: JsonObject[];
  actions?: JsonObject[];
  fallbackText?: string;
  speak?: string;
  lang?: string;
  /** Universal Actions: how (and for whom, `userIds`) the host asks the bot for a fresh, per-user version. */
  refresh?: JsonObject;
}

/**
 * Every verb a Headshot card sends back (Action.Submit `data.verb`, Action.Execute `verb`, or a
 * task/fetch Submit's `data.verb`). The Teams edge's verb table (`../verbs/verb-table.ts`) has one
 * entry per verb, checked by the compiler against this list.
 */
export const CARD_VERBS = [
  'photo.start',
  'photo.editor',
  'photo.confirm',
  'photo.choose_another',
  'photo.cancel',
  'photo.undo',
  'status.fix_sharepoint',
  'status.apply_again',
  'status.ad_photo',
  'approval.approve',
  'approval.reject',
  'approval.cancel',
  'approval.refresh',
  'coverage.refresh',
  'coverage.csv',
  'broadcast.compose',
  'broadcast.preview',
  'broadcast.send',
  'broadcast.cancel',
  'broadcast.report',
  'broadcast.refresh',
  'reminder.stop',
] as const;

/** A card action verb. */
export type CardVerb = (typeof CARD_VERBS)[number];

/** The `data` of every `Action.Submit` on our cards; the bot dispatches on `verb`. */
export interface CardActionData {
  [key: string]: JsonValue | undefined;
  verb: CardVerb;
  requestId?: string;
}
