/** The languages Headshot speaks. */

/** Supported locales of the product. */
export type Locale = 'en' | 'fi' | 'nl' | 'pl';
