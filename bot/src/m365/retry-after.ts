/** The one reader of Retry-After (Graph, SharePoint, the Bot Connector, inner `$batch` answers). */

/** Whole seconds to wait from a Retry-After value (seconds or an HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(raw: string | null | undefined, now = Date.now()): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
