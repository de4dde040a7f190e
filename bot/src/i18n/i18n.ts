/**
 * Translations for en, fi, nl and pl, bundled with the code and loaded synchronously.
 * One private i18next instance (not the global one), so nothing else in the process
 * can change our language or resources.
 */
import i18next, { type TFunction } from 'i18next';
import type { Locale } from '../core/locale';
import en from './locales/en.json';
import fi from './locales/fi.json';
import nl from './locales/nl.json';
import pl from './locales/pl.json';

/** Every locale the product speaks, default first. */
export const LOCALES: readonly Locale[] = Object.freeze(['en', 'fi', 'nl', 'pl'] as const);

/** The locale used when a user's language is not one of ours. */
export const DEFAULT_LOCALE: Locale = 'en';

/** What a placeholder renders as when its value was not passed: visible, but never `{{name}}`. */
export const MISSING_VALUE = '…';

/** Values a message interpolates. */
export type MessageParams = Record<string, string | number>;

/**
 * Params that also choose a plural form. A message with a count has a base key
 * (used when the count is unknown, e.g. "try again in a moment") and plural keys
 * (`_one`, `_other`, and in Polish `_few`, `_many`).
 */
const COUNT_PARAMS = ['retryAfterSeconds'] as const;

const instance = i18next.createInstance();
void instance.init({
  resources: {
    en: { translation: en },
    fi: { translation: fi },
    nl: { translation: nl },
    pl: { translation: pl },
  },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  initAsync: false,
  returnNull: false,
  returnObjects: false,
  interpolation: {
    // Card text is not HTML; escaping would show "&#x2F;" to users.
    escapeValue: false,
  },
  missingInterpolationHandler: () => MISSING_VALUE,
});

const fixed: Readonly<Record<Locale, TFunction>> = Object.freeze({
  en: instance.getFixedT('en'),
  fi: instance.getFixedT('fi'),
  nl: instance.getFixedT('nl'),
  pl: instance.getFixedT('pl'),
});

/** Maps a BCP 47 tag ('fi-FI', 'nl_BE', 'PL') to one of our locales; anything else is English. */
export function resolveLocale(tag?: string | null): Locale {
  if (typeof tag !== 'string') return DEFAULT_LOCALE;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : DEFAULT_LOCALE;
}

function countOf(params: MessageParams): number | undefined {
  if (params.count !== undefined) return undefined;
  for (const name of COUNT_PARAMS) {
    const value = Number(params[name]);
    if (params[name] !== undefined && params[name] !== '' && Number.isFinite(value))
      return Math.max(0, Math.ceil(value));
  }
  return undefined;
}

/**
 * Translates `key` into `locale`. Params are passed as interpolation data only (never
 * as i18next options, so a param named `lng` cannot switch the language); a missing
 * param renders as `…`; an unknown key comes back as the key itself.
 */
export function t(locale: Locale, key: string, params?: MessageParams | null): string {
  const replace: MessageParams = { ...(params ?? {}) };
  const derived = countOf(replace);
  if (derived !== undefined) replace.count = derived;
  // i18next hands `replace` (not the options) to nested $t(...) lookups: keep them in this locale.
  replace.lng = locale;
  const count = replace.count === undefined ? Number.NaN : Number(replace.count);
  const translate = fixed[Object.prototype.hasOwnProperty.call(fixed, locale) ? locale : DEFAULT_LOCALE];
  return String(Number.isFinite(count) ? translate(key, { replace, count }) : translate(key, { replace }));
}

/** True when `key` has a message (in English, which every locale mirrors). */
export function hasMessage(key: string): boolean {
  return instance.exists(key, { lng: DEFAULT_LOCALE }) || instance.exists(`${key}_other`, { lng: DEFAULT_LOCALE });
}

/** A number in the user's locale (decimal comma in fi, nl, pl). */
export function formatNumber(locale: Locale, n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(n);
}

const KIB = 1024;
const MIB = 1024 * 1024;

/**
 * A file size in the user's locale: "812 kB", "2.4 MB", "2,4 Mt" in Finnish.
 * Binary multiples (1 MB = 1,048,576 bytes), as Windows and the Graph 4 MB limit count them.
 */
export function formatBytes(locale: Locale, bytes: number): string {
  const n = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  if (n < KIB) return formatNumber(locale, n, { style: 'unit', unit: 'byte', maximumFractionDigits: 0 });
  if (n < MIB) {
    const kb = n / KIB;
    return formatNumber(locale, kb, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: kb < 10 ? 1 : 0 });
  }
  return formatNumber(locale, n / MIB, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
}
