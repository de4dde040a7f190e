/**
 * The words of a bulk import in one language: each row's plan, outcome and reason, and the CSV report. Shared by
 * the tab's API and `headshot import`.
 */
import type { Locale } from '../core/locale';
import { CSV_BOM, csvCell } from '../core/admin/csv';
import type { ImportItem } from '../core/import/import-types';
import { t } from './i18n';

/** Why a row is as it is, in words (empty when there is nothing to say). */
export function importReason(locale: Locale, item: ImportItem): string {
  const params = { ...(item.reasonParams ?? {}) };
  // An error after the check (a failed write, an undo that kept the photo) says more than the plan's reason.
  if (item.outcome === 'failed' && item.error) return t(locale, `errors.${item.error}`, params);
  if (item.outcome === 'kept')
    return item.error && item.error !== 'photo_changed_since'
      ? t(locale, `errors.${item.error}`, params)
      : t(locale, 'import.reasons.photo_changed_since', params);
  if (item.outcome === 'cancelled') return t(locale, 'import.reasons.cancelled', params);
  if (!item.reason) return '';
  if (item.reason === 'photo') {
    const code = String(params.code ?? 'photo.corrupt');
    return t(locale, 'import.reasons.photo', { detail: t(locale, `errors.${code}`, params) });
  }
  if (item.reason === 'guideline') {
    const rule = String(params.rule ?? '');
    return t(locale, 'import.reasons.guideline', { detail: t(locale, `guidelines.refused.${rule}`, params) });
  }
  return t(locale, `import.reasons.${item.reason}`, params);
}

export const planLabel = (locale: Locale, item: ImportItem): string => t(locale, `import.plans.${item.plan}`);
export const outcomeLabel = (locale: Locale, item: ImportItem): string => t(locale, `import.outcomes.${item.outcome}`);

/** The pipeline's warnings of a row, in words, separated by " | ". */
function warningWords(locale: Locale, item: ImportItem): string {
  return item.warnings.map((w) => t(locale, `warnings.${w.code}`, w.params ?? {})).join(' | ');
}

/** The report's header: one row per file. */
export const IMPORT_REPORT_HEADER = `${CSV_BOM}${[
  'file',
  'userPrincipalName',
  'displayName',
  'matchedBy',
  'plan',
  'outcome',
  'reason',
  'warnings',
  'requestId',
]
  .map(csvCell)
  .join(',')}\r\n`;

/** One report row. */
export function importReportLine(locale: Locale, item: ImportItem): string {
  return `${[
    item.file,
    item.person?.userPrincipalName ?? '',
    item.person?.displayName ?? '',
    item.matchedBy ?? '',
    item.plan,
    item.outcome,
    importReason(locale, item),
    warningWords(locale, item),
    item.requestId ?? '',
  ]
    .map(csvCell)
    .join(',')}\r\n`;
}
