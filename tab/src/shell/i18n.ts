/** The tab's language: which locale to speak, and i18next with the shell's and every page's strings. */
import i18next, { type i18n } from 'i18next';
import type { TabLocale } from '../../../bot/src/api/tab-contract';
import type { PageId, PageStrings } from '../page-context';
import { COMMON_STRINGS } from './common-strings';

const LOCALES: readonly TabLocale[] = ['en', 'fi', 'nl', 'pl'];

/** A product locale from a BCP 47 tag (`fi-FI` -> `fi`), or undefined when we do not speak it. */
export function toLocale(tag: string | null | undefined): TabLocale | undefined {
  const base = (tag ?? '').trim().slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(base) ? (base as TabLocale) : undefined;
}

/** Translations for the shell (`common`) and each page (namespace = page id). */
export class Translator {
  private constructor(private readonly i18n: i18n) {}

  /** Builds the translator with all strings loaded (they are bundled, nothing is fetched). */
  static async create(locale: TabLocale, pages: Record<PageId, PageStrings>): Promise<Translator> {
    const resources: Record<string, Record<string, Record<string, string>>> = {};
    for (const lng of LOCALES) {
      resources[lng] = { common: COMMON_STRINGS[lng] };
      for (const [id, strings] of Object.entries(pages)) resources[lng][id] = strings[lng];
    }
    const instance = i18next.createInstance();
    await instance.init({
      lng: locale,
      fallbackLng: 'en',
      supportedLngs: [...LOCALES],
      resources,
      ns: ['common', ...Object.keys(pages)],
      defaultNS: 'common',
      // Keys are flat ("status.refresh"), and every text goes into textContent: no HTML escaping.
      keySeparator: false,
      nsSeparator: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    return new Translator(instance);
  }

  get locale(): TabLocale {
    return (toLocale(this.i18n.language) ?? 'en') as TabLocale;
  }

  async setLocale(locale: TabLocale): Promise<void> {
    await this.i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
  }

  /** A shell string. */
  common(key: string, params?: Record<string, string | number>): string {
    return this.i18n.t(key, { ns: 'common', ...params });
  }

  /** A page's `t`: its own keys, and `common.*` for the shell's. */
  forPage(page: PageId): (key: string, params?: Record<string, string | number>) => string {
    return (key, params) =>
      key.startsWith('common.')
        ? this.i18n.t(key.slice('common.'.length), { ns: 'common', ...params })
        : this.i18n.t(key, { ns: page, ...params });
  }
}
