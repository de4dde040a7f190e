/**
 * The time-to-visible report in words: JSON for the tab and `headshot status --report --json` (machine codes plus
 * the localised words), and the text the CLI prints. One builder, so the page and the command say the same.
 */
import type { Locale } from '../core/locale';
import type { TimeToVisibleReport } from '../core/status/time-to-visible';
import type { TimeToVisibleJson } from '../api/tab-contract';
import { t } from './i18n';
import { plainDate } from './status-messages';

/** Minutes as people read a duration: "4 min", "6.5 h", "2.1 d"; "–" without a figure. */
export function formatMinutes(locale: Locale, minutes: number | null): string {
  if (minutes === null) return t(locale, 'follow_up.report.none');
  const n = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);
  if (minutes < 60) return t(locale, 'follow_up.report.minutes', { n: n(minutes) });
  if (minutes < 48 * 60) return t(locale, 'follow_up.report.hours', { n: n(minutes / 60) });
  return t(locale, 'follow_up.report.days', { n: n(minutes / 1440) });
}

/** What the report's words need besides the report. */
export interface TimeToVisibleWordsArgs {
  /** How long Teams may keep an old photo (TEAMS_PHOTO_CACHE_DAYS). */
  teamsCacheDays: number;
  lateAfterHours: number;
  /** Display names of people in the late list, when known. */
  names?: ReadonlyMap<string, string>;
  /** Whether follow-through runs (FOLLOW_THROUGH); when off, the report says so above its figures. */
  enabled: boolean;
}

/** The report as JSON, with every word in `locale`. */
export function timeToVisibleJson(
  locale: Locale,
  report: TimeToVisibleReport,
  args: TimeToVisibleWordsArgs,
): TimeToVisibleJson {
  const date = plainDate(locale);
  const name = (system: string) => t(locale, `status.system.${system}`);
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    changes: report.changes,
    enabled: args.enabled,
    lateAfterHours: args.lateAfterHours,
    systems: report.systems.map((s) => ({
      ...s,
      name: name(s.system),
      median: formatMinutes(locale, s.medianMinutes),
      p95: formatMinutes(locale, s.p95Minutes),
    })),
    teams: {
      measured: false,
      cacheDays: args.teamsCacheDays,
      text: t(locale, 'follow_up.report.teams', { days: args.teamsCacheDays }),
    },
    late: report.late.map((c) => ({
      id: c.id,
      userId: c.userId,
      userPrincipalName: c.upn ?? null,
      displayName: args.names?.get(c.userId) ?? null,
      kind: c.kind,
      kindText: t(locale, `follow_up.report.kind_${c.kind}`),
      changedAt: c.changedAt.toISOString(),
      changedAtText: date(c.changedAt),
      state: c.state,
      stateText: t(locale, `follow_up.report.state_${c.state}`),
      waiting: c.waiting.map((w) => ({
        system: w.system,
        name: name(w.system),
        reason: w.reason ?? null,
        text: w.reason ? t(locale, `status.reason.${w.reason}`) : t(locale, 'follow_up.report.no_reason'),
      })),
    })),
    text: {
      heading: t(locale, 'follow_up.report.heading', {
        from: date(report.from),
        to: date(report.to),
        count: report.changes,
      }),
      lateHeading: t(locale, 'follow_up.report.late_heading', {
        hours: args.lateAfterHours,
        count: report.late.length,
      }),
      lateNone: t(locale, 'follow_up.report.late_none', { hours: args.lateAfterHours }),
      ...(args.enabled ? {} : { off: t(locale, 'follow_up.report.off') }),
      columns: {
        system: t(locale, 'follow_up.report.system'),
        shown: t(locale, 'follow_up.report.shown'),
        median: t(locale, 'follow_up.report.median'),
        p95: t(locale, 'follow_up.report.p95'),
        waiting: t(locale, 'follow_up.report.waiting'),
        notShown: t(locale, 'follow_up.report.not_shown'),
        notApplicable: t(locale, 'follow_up.report.not_applicable'),
        unknown: t(locale, 'follow_up.report.unknown'),
      },
    },
  };
}

/** The report as lines for a terminal. */
export function timeToVisibleText(json: TimeToVisibleJson): string {
  const c = json.text.columns;
  const header = [c.system, c.shown, c.median, c.p95, c.waiting, c.notShown, c.notApplicable, c.unknown];
  const rows = json.systems.map((s) => [
    s.name,
    String(s.visible),
    s.median,
    s.p95,
    String(s.waiting),
    String(s.notVisible),
    String(s.notApplicable),
    String(s.unknown),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const out = [
    ...(json.text.off ? [json.text.off, ''] : []),
    json.text.heading,
    '',
    line(header),
    ...rows.map(line),
    '',
    json.teams.text,
    '',
  ];
  if (json.late.length === 0) out.push(json.text.lateNone);
  else {
    out.push(json.text.lateHeading);
    for (const c of json.late) {
      const who = c.displayName
        ? `${c.displayName} (${c.userPrincipalName ?? c.userId})`
        : (c.userPrincipalName ?? c.userId);
      out.push(`  ${c.changedAtText}  ${who}  ${c.kindText}, ${c.stateText}`);
      for (const w of c.waiting) out.push(`    ${w.name}: ${w.text}`);
    }
  }
  return `${out.join('\n')}\n`;
}
