/** CSV exports for admins (RFC 4180, UTF-8 with a BOM so that Excel reads the names right), streamed by pages. */
import type { CoverageEntry } from '../coverage/coverage-types';
import type { ReportLine } from '../broadcast/broadcast-service';

/**
 * A cell that a spreadsheet never runs as a formula (OWASP "CSV injection"): a formula start (= + - @, or a tab or
 * CR that Excel skips before one) is neutralised with a leading `'`, at the start and after every character Excel
 * may split on (`,` in en, `;` in the fi, nl and pl locales, tab, line breaks); any such character, or a quote,
 * makes the cell quoted.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  s = s.replace(/(?<=^|[,;\t\r\n])(?=[=+\-@\t\r])/g, "'");
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line. */
function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The byte order mark that starts every export. */
export const CSV_BOM = '\uFEFF';

/** Header of the coverage export. */
export const COVERAGE_CSV_HEADER = csvLine([
  'userId',
  'userPrincipalName',
  'displayName',
  'category',
  'reason',
  'photoSide',
  'userType',
  'accountEnabled',
  'faceCheck',
]);

/** One coverage row; `faceCheck` is photo-age.ts faceCheckColumn's value ('' when unknown). */
export function coverageCsvLine(e: CoverageEntry, faceCheck = ''): string {
  return csvLine([
    e.user.id,
    e.user.userPrincipalName,
    e.user.displayName,
    e.category,
    e.reason,
    e.photoSide ?? '',
    e.user.userType,
    e.user.accountEnabled ? 'true' : 'false',
    faceCheck,
  ]);
}

/** Header of a campaign's report. */
export const REPORT_CSV_HEADER = csvLine([
  'userId',
  'userPrincipalName',
  'displayName',
  'locale',
  'outcome',
  'attempts',
  'reason',
  'sentAt',
  'activityId',
  'department',
  'furthestStep',
]);

/** One report row: the delivery, then how far the person went after it (funnel.ts). */
export function reportCsvLine(o: ReportLine): string {
  return csvLine([
    o.userId,
    o.upn,
    o.displayName,
    o.locale,
    o.state,
    o.attempts,
    o.reason,
    o.sentAt,
    o.activityId,
    o.department,
    o.step,
  ]);
}
