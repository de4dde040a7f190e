/**
 * The words of a photo status report in one language: the system's name, its state, the
 * reasons and instructions with their dates, and the evidence line. Shared by the status
 * card and the `headshot status` command, which format dates their own way.
 */
import type { Locale } from '../core/locale';
import type { FixAction, StatusReport, SystemVerdict } from '../core/status/status-types';
import { t, type MessageParams } from './i18n';

/** A verdict in words. */
export interface VerdictText {
  system: string;
  state: string;
  reasons: string[];
  /** Facts (size, which picture, last change), each short. */
  evidence: string[];
  instructions: string[];
}

/** Params a reason or instruction takes from the evidence. */
function paramsFor(v: SystemVerdict, formatDate: (d: Date) => string): MessageParams {
  const e = v.evidence;
  const params: MessageParams = {};
  if (e.lastChange) params.date = formatDate(e.lastChange);
  if (e.until) params.until = formatDate(e.until);
  if (e.days !== undefined) params.days = e.days;
  return params;
}

/** The words of one verdict. */
export function describeVerdict(locale: Locale, v: SystemVerdict, formatDate: (d: Date) => string): VerdictText {
  const params = paramsFor(v, formatDate);
  const stateKey =
    v.system === 'policy' && v.state === 'in_sync' ? 'status.state.policy_in_sync' : `status.state.${v.state}`;
  const evidence: string[] = [];
  const e = v.evidence;
  if (e.width && e.height) evidence.push(t(locale, 'status.evidence.size', { width: e.width, height: e.height }));
  if (e.picture === 'same') evidence.push(t(locale, 'status.evidence.same_picture'));
  if (e.picture === 'different') evidence.push(t(locale, 'status.evidence.different_picture'));
  if (e.picture === 'none') evidence.push(t(locale, 'status.evidence.no_picture'));
  // The Teams and SharePoint reasons already say when it changed.
  if (e.lastChange && !v.reasons.some((r) => r === 'teams_cache' || r === 'sharepoint_legacy_sync')) {
    evidence.push(t(locale, 'status.evidence.last_change', { date: formatDate(e.lastChange) }));
  }
  return {
    system: t(locale, `status.system.${v.system}`),
    state: t(locale, stateKey),
    reasons: v.reasons.map((r) => t(locale, `status.reason.${r}`, params)),
    evidence,
    instructions: v.instructions.map((i) =>
      t(locale, `status.instruction.${i}`, i === 'view_profile_after' ? { date: params.until ?? '' } : params),
    ),
  };
}

/** The button title of a fix. */
export function fixTitle(locale: Locale, fix: FixAction): string {
  return t(locale, `status.fix.${fix}`);
}

/** A date for text outside Teams (CLI, API): the locale's medium date and short time, in UTC. */
export function plainDate(locale: Locale): (d: Date) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return (d) => `${format.format(d)} UTC`;
}

/** A report as JSON for scripts and the tab: the machine codes plus the same words the card shows. */
export function reportJson(
  locale: Locale,
  report: StatusReport,
  formatDate: (d: Date) => string = plainDate(locale),
): Record<string, unknown> {
  return {
    user: {
      id: report.userId,
      userPrincipalName: report.upn ?? null,
      displayName: report.displayName ?? null,
      mailbox: report.mailbox ?? null,
    },
    checkedAt: report.checkedAt.toISOString(),
    photo:
      report.photo === undefined
        ? 'unknown'
        : report.photo === null
          ? null
          : { width: report.photo.width, height: report.photo.height, hash: report.photo.picture?.hash ?? null },
    sharePointPicture: report.sharePointPicture
      ? { hash: report.sharePointPicture.hash }
      : (report.sharePointPicture ?? 'unknown'),
    systems: report.systems.map((v) => {
      const words = describeVerdict(locale, v, formatDate);
      return {
        system: v.system,
        state: v.state,
        reasons: v.reasons,
        fixes: v.fixes,
        instructions: v.instructions,
        evidence: {
          ...v.evidence,
          lastChange: v.evidence.lastChange?.toISOString(),
          until: v.evidence.until?.toISOString(),
        },
        text: words,
      };
    }),
    fixes: report.fixes.map((fix) => ({ fix, title: fixTitle(locale, fix) })),
  };
}
