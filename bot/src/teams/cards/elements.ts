/** Small builders for the card elements our cards use; they only shape JSON. */
import type { AdaptiveCard, CardActionData, CardVerb, JsonObject } from './types';

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Text options we use; everything else keeps the host's defaults. */
export interface TextOptions {
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
  separator?: boolean;
  style?: 'default' | 'heading';
}

/** A wrapping TextBlock (the library's default is to clip, which loses words on phones). */
export function text(value: string, options: TextOptions = {}): JsonObject {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

/** A card title, marked as a heading for screen readers. */
export function heading(value: string): JsonObject {
  return text(value, { size: 'medium', weight: 'bolder', style: 'heading' });
}

/**
 * An Action.Submit carrying a verb back to the bot. Only for what Teams requires a Submit for: the button that opens
 * a dialog (`msteams: { type: 'task/fetch' }`). Every other button is an Action.Execute (`execute`).
 */
export function submit(title: string, data: CardActionData, style?: 'positive' | 'destructive'): JsonObject {
  const clean: JsonObject = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) clean[k] = v;
  return { type: 'Action.Submit', title, data: clean, ...(style ? { style } : {}) };
}

/**
 * An Action.Execute (Universal Actions, 1.4+): Teams and Outlook send it to the bot as an
 * `adaptiveCard/action` invoke with this verb, and show the card the bot answers with.
 */
export function execute(
  title: string,
  verb: CardVerb,
  data: Record<string, string | undefined> = {},
  style?: 'positive' | 'destructive',
): JsonObject {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined && k !== 'verb') clean[k] = v;
  return { type: 'Action.Execute', title, verb, data: clean, ...(style ? { style } : {}) };
}

/** An Action.OpenUrl. */
export function openUrl(title: string, url: string): JsonObject {
  return { type: 'Action.OpenUrl', title, url };
}

/** A FactSet from [title, value] pairs. */
export function facts(pairs: ReadonlyArray<readonly [string, string]>): JsonObject {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) };
}

/**
 * A version 1.5 card; `fallbackText` is what clients without card support show.
 * No `lang`: the adaptivecards parser checks it with a global (stateful) regex and
 * rejects every second card, and the text is already in the user's language.
 */
export function card(body: JsonObject[], actions: JsonObject[] = [], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    ...(fallbackText ? { fallbackText } : {}),
  };
}
