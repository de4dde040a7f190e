/**
 * Text from people and the directory (display names, reject reasons, campaign texts, group ids) shown on a card.
 * Teams and Outlook render a subset of Markdown in TextBlocks and facts, so a display name such as
 * `[Approve here](https://evil.example)` would become a link next to Approve. Every such value goes through
 * `plain()`: Markdown's characters are backslash-escaped (honoured by Teams on desktop, web and, since 2023, mobile:
 * microsoft/AdaptiveCards#5590, microsoft/Teams-AdaptiveCards-Mobile#58), so it shows exactly as typed.
 */
import type { MessageParams } from '../../i18n/i18n';

/**
 * Characters that start or end Markdown formatting, links, code, HTML or the host's `{{DATE()}}` functions anywhere
 * in a line (`!` only makes an image before `[`, which is escaped).
 */
const INLINE = /[\\`*_[\]()<>~{}]/g;
/** Characters that start a block (heading, list, quote) at the beginning of a line. */
const LINE_START = /^(\s*)([#>+-]|\d+[.)])/gm;
/** A date or time the card's host formats (`cardInstant`): ours, never the user's, and it must stay as it is. */
const HOST_DATE = /^(\{\{(DATE|TIME)\([^{}]*\)\}\}\s?)+$/;

/** `value` as literal card text: no link, emphasis, list or heading can come out of it. */
export function plain(value: string): string {
  if (HOST_DATE.test(value)) return value;
  return value
    .replace(/\r\n?/g, '\n')
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_m, space: string, mark: string) => `${space}${mark.replace(/([#>+\-.)])$/, '\\$1')}`);
}

/** Message parameters with every text made `plain()` (numbers stay numbers). */
export function plainParams(params: MessageParams | undefined): MessageParams {
  const out: MessageParams = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = typeof v === 'string' ? plain(v) : v;
  return out;
}
