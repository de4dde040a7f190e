import { ERROR_CODES } from '../../../bot/src/core/errors';
import type { Locale } from '../../../bot/src/core/locale';
import type { PhotoWarning } from '../../../bot/src/core/photo/pipeline-ports';
import {
  DEFAULT_LOCALE,
  LOCALES,
  MISSING_VALUE,
  formatBytes,
  hasMessage,
  resolveLocale,
  t,
} from '../../../bot/src/i18n/i18n';
import { DOCUMENTED_PARAMS } from '../../../bot/src/i18n/message-params';
import en from '../../../bot/src/i18n/locales/en.json';
import fi from '../../../bot/src/i18n/locales/fi.json';
import nl from '../../../bot/src/i18n/locales/nl.json';
import pl from '../../../bot/src/i18n/locales/pl.json';

const FILES: Record<Locale, unknown> = { en, fi, nl, pl };
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const WARNING_CODES: PhotoWarning['code'][] = ['small', 'dark', 'bright', 'low_contrast', 'blurry', 'off_centre'];

/** Every leaf as [dotted key, value]. */
function leaves(node: unknown, prefix = ''): Array<[string, unknown]> {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
      leaves(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [[prefix, node]];
}

/** Message keys of a locale with plural suffixes folded into their base key. */
function baseKeys(locale: Locale): string[] {
  return [...new Set(leaves(FILES[locale]).map(([k]) => k.replace(PLURAL_SUFFIX, '')))].sort();
}

describe('locale files', () => {
  test.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the keys en has (plural forms folded)', (locale) => {
    expect(baseKeys(locale)).toEqual(baseKeys('en'));
  });

  test.each([...LOCALES])('%s has only non-empty string messages', (locale) => {
    for (const [key, value] of leaves(FILES[locale])) {
      expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
      expect({ key, empty: (value as string).trim() === '' }).toEqual({ key, empty: false });
    }
  });

  test.each([...LOCALES])('%s has exactly the plural forms its language needs', (locale) => {
    const categories = [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();
    const plurals = new Map<string, string[]>();
    for (const [key] of leaves(FILES[locale])) {
      const m = PLURAL_SUFFIX.exec(key);
      if (m)
        plurals.set(key.replace(PLURAL_SUFFIX, ''), [...(plurals.get(key.replace(PLURAL_SUFFIX, '')) ?? []), m[1]]);
    }
    expect(plurals.size).toBeGreaterThan(0);
    for (const [base, forms] of plurals) {
      expect({ base, forms: forms.sort() }).toEqual({ base, forms: categories });
      // The base key is what shows when the count is unknown.
      expect(leaves(FILES[locale]).some(([k]) => k === base)).toBe(true);
    }
  });

  test('Polish really uses four forms, as its grammar needs', () => {
    expect([...new Intl.PluralRules('pl').resolvedOptions().pluralCategories].sort()).toEqual([
      'few',
      'many',
      'one',
      'other',
    ]);
  });
});

describe('messages for every error code and warning', () => {
  test.each([...ERROR_CODES])('errors.%s exists', (code) => {
    expect(hasMessage(`errors.${code}`)).toBe(true);
  });

  test.each(WARNING_CODES)('warnings.%s exists', (code) => {
    expect(hasMessage(`warnings.${code}`)).toBe(true);
  });
});

describe('rendering', () => {
  const allKeys = baseKeys('en');

  test.each([...LOCALES])('every %s message renders with its documented params, with nothing left over', (locale) => {
    for (const key of allKeys) {
      const out = t(locale, key, DOCUMENTED_PARAMS[key] ?? {});
      expect({ key, out, leftover: /\{\{|\}\}|\$t\(|…/.test(out) }).toEqual({ key, out, leftover: false });
      expect(out).not.toBe(key);
    }
  });

  test.each([...LOCALES])('every %s message renders without params, without crashing or showing {{', (locale) => {
    for (const key of allKeys) {
      const out = t(locale, key);
      expect(out).not.toMatch(/\{\{|\}\}/);
      expect(out).not.toBe(key);
    }
  });

  test('a missing param shows as an ellipsis, not as a placeholder', () => {
    expect(t('en', 'errors.photo.too_small', { width: 80 })).toBe(
      `That photo is only 80 × ${MISSING_VALUE} pixels, and each side needs to be at least ${MISSING_VALUE} pixels. Please send a larger photo.`,
    );
  });

  test('every documented param appears in the English message', () => {
    for (const [key, params] of Object.entries(DOCUMENTED_PARAMS)) {
      const out = t('en', key, params);
      for (const value of Object.values(params)) {
        if (key.endsWith('busy') || key.endsWith('throttled') || typeof value === 'number') continue;
        expect({ key, shows: out.includes(String(value)) }).toEqual({ key, shows: true });
      }
    }
  });

  test('the error messages say what happened with the params, in each language', () => {
    const p = { width: 80, height: 60, minSide: 96 };
    expect(t('en', 'errors.photo.too_small', p)).toContain('80 × 60 pixels');
    expect(t('fi', 'errors.photo.too_small', p)).toContain('80 × 60 pikseliä');
    expect(t('nl', 'errors.photo.too_small', p)).toContain('80 × 60 pixels');
    expect(t('pl', 'errors.photo.too_small', p)).toContain('80 × 60 px');
    expect(t('en', 'errors.photo.unsupported_format', { received: 'text/plain' })).toMatch(
      /JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIC.*text\/plain/,
    );
  });

  test('seconds take the right plural form in every language', () => {
    const busy = (locale: Locale, s: number) => t(locale, 'errors.m365.throttled', { retryAfterSeconds: s });
    expect(busy('en', 1)).toContain('in 1 second.');
    expect(busy('en', 30)).toContain('in 30 seconds.');
    expect(busy('en', 30)).toMatch(/^Microsoft 365 is busy right now/);
    expect(busy('fi', 1)).toContain('1 sekunnin kuluttua');
    expect(busy('fi', 30)).toContain('30 sekunnin kuluttua');
    expect(busy('nl', 1)).toContain('over 1 seconde opnieuw');
    expect(busy('nl', 30)).toContain('over 30 seconden opnieuw');
    expect(busy('pl', 1)).toContain('za 1 sekundę');
    expect(busy('pl', 3)).toContain('za 3 sekundy');
    expect(busy('pl', 5)).toContain('za 5 sekund.');
    expect(busy('pl', 22)).toContain('za 22 sekundy');
    expect(busy('pl', 25)).toContain('za 25 sekund.');
    // A fraction of a second rounds up: never "try again in 0 seconds".
    expect(busy('en', 0.2)).toContain('in 1 second.');
  });

  test('without a count, the message asks to try again later instead of naming a number', () => {
    expect(t('en', 'errors.m365.throttled')).toBe('Microsoft 365 is busy right now. Please try again in a minute.');
    expect(t('pl', 'errors.photo.busy')).toBe('Przetwarzam teraz dużo zdjęć. Spróbuj ponownie za chwilę.');
  });

  test('numbers are formatted in the user locale', () => {
    const p = { maxMegabytes: 20, receivedMegabytes: 24.6 };
    expect(t('en', 'errors.photo.too_large_bytes', p)).toContain('24.6 MB');
    expect(t('fi', 'errors.photo.too_large_bytes', p)).toContain('24,6 Mt');
    expect(t('nl', 'errors.photo.too_large_bytes', p)).toContain('24,6 MB');
    expect(t('pl', 'errors.photo.too_large_bytes', p)).toContain('24,6 MB');
  });

  test('nested messages stay in the same language', () => {
    expect(t('fi', 'cards.how_to.next')).toContain('”Käytä tätä kuvaa”');
    expect(t('nl', 'cards.how_to.next')).toContain('‘Deze foto gebruiken’');
    expect(t('pl', 'cards.how_to.next')).toContain('„Użyj tego zdjęcia”');
  });

  test('params are data, never options or markup: no language switch, no nesting, no escaping', () => {
    const out = t('fi', 'errors.photo.unsupported_format', {
      received: 'a/b $t(cards.common.cancel) {{lng}}',
      lng: 'en',
    });
    expect(out).toContain('”a/b $t(cards.common.cancel) {{lng}}”');
    expect(out).toMatch(/^En voi käyttää/);
  });

  test('an unknown key comes back as itself; an unknown locale falls back to English', () => {
    expect(t('fi', 'no.such.key')).toBe('no.such.key');
    expect(hasMessage('no.such.key')).toBe(false);
    expect(t('xx' as Locale, 'cards.common.cancel')).toBe('Cancel');
  });
});

describe('resolveLocale', () => {
  test.each([
    ['fi-FI', 'fi'],
    ['fi', 'fi'],
    ['nl-BE', 'nl'],
    ['nl_NL', 'nl'],
    ['pl', 'pl'],
    ['PL-pl', 'pl'],
    ['en-GB', 'en'],
    ['sv-SE', 'en'],
    ['sv-FI', 'en'],
    ['fil-PH', 'en'],
    ['', 'en'],
    [' fi-FI ', 'fi'],
    [undefined, 'en'],
    [null, 'en'],
  ] as const)('%p -> %s', (tag, expected) => {
    expect(resolveLocale(tag)).toBe(expected);
    expect(DEFAULT_LOCALE).toBe('en');
  });
});

describe('formatBytes', () => {
  test.each([
    ['en', 2_500_000, '2.4 MB'],
    ['fi', 2_500_000, '2,4 Mt'],
    ['nl', 2_500_000, '2,4 MB'],
    ['pl', 2_500_000, '2,4 MB'],
    ['en', 812 * 1024, '812 kB'],
    ['fi', 5_000, '4,9 kt'],
    ['en', 12, '12 byte'],
    ['pl', 12, '12 B'],
    ['en', 0, '0 byte'],
    ['en', Number.NaN, '0 byte'],
  ] as const)('%s %d -> %s', (locale, n, expected) => {
    expect(formatBytes(locale, n)).toBe(expected);
  });
});
