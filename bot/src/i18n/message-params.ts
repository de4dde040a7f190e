/**
 * The params each parameterised message takes, with example values. Callers pass
 * these names; tests render every message with them. Messages not listed take none.
 */
import type { MessageParams } from './i18n';

/** Documented params per message key (examples, not defaults). */
export const DOCUMENTED_PARAMS: Readonly<Record<string, MessageParams>> = Object.freeze({
  'errors.photo.unsupported_format': { received: 'text/plain' },
  'errors.photo.too_large_bytes': { maxMegabytes: 20, receivedMegabytes: 24.6 },
  'errors.photo.too_many_pixels': { maxMegapixels: 50, receivedMegapixels: 61.2 },
  'errors.photo.too_small': { width: 80, height: 60, minSide: 96 },
  'errors.photo.busy': { retryAfterSeconds: 5 },
  'errors.m365.throttled': { retryAfterSeconds: 30 },
  'warnings.small': { width: 400, height: 400 },
  'status.has_photo': { width: 648, height: 648 },
  'cards.how_to.tip_size': { minSide: 648 },
  'cards.how_to.tip_formats': { maxMegabytes: 20 },
  'cards.preview.original_value': { width: 4032, height: 3024 },
  'cards.preview.result_value': { side: 648 },
  'cards.message.reference': { correlationId: 'f3a1c2d4' },
});
