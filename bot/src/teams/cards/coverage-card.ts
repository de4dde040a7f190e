/** The admin's coverage card: counts per category with bars, progress while a scan runs, and what to do next. */
import type { Locale } from '../../core/locale';
import { COVERAGE_CATEGORIES, type CoverageView } from '../../core/coverage/coverage-types';
import { formatNumber, t } from '../../i18n/i18n';
import { cardInstant } from './approval-card';
import { card, heading, execute, text } from './elements';
import type { AdaptiveCard, CardVerb, JsonObject } from './types';

/** Verbs of the admin cards (Action.Submit). */
export const ADMIN_VERBS = {
  coverageRefresh: 'coverage.refresh',
  coverageCsv: 'coverage.csv',
  compose: 'broadcast.compose',
  preview: 'broadcast.preview',
  send: 'broadcast.send',
  cancel: 'broadcast.cancel',
  report: 'broadcast.report',
  refresh: 'broadcast.refresh',
} as const satisfies Record<string, CardVerb>;

const BAR_CELLS = 20;

/** A text bar chart cell: filled share of BAR_CELLS (Adaptive Cards 1.5 has no chart element). */
export function bar(share: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * BAR_CELLS);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}`;
}

/** The coverage card of a scan (null: none ran yet). */
export function coverageCard(locale: Locale, view: CoverageView | null): AdaptiveCard {
  const body: JsonObject[] = [heading(t(locale, 'admin.coverage.title'))];
  if (!view) {
    body.push(text(t(locale, 'admin.coverage.none')));
    return card(
      body,
      [execute(t(locale, 'admin.coverage.refresh'), ADMIN_VERBS.coverageRefresh)],
      t(locale, 'admin.coverage.none'),
    );
  }
  const scanned = formatNumber(locale, view.scanned);
  const status =
    view.state === 'running'
      ? t(locale, 'admin.coverage.running', { people: scanned })
      : view.state === 'failed'
        ? t(locale, 'admin.coverage.failed')
        : t(locale, 'admin.coverage.done', { people: scanned, at: cardInstant(view.finishedAt ?? view.startedAt) });
  body.push(
    text(status, {
      spacing: 'small',
      isSubtle: view.state !== 'failed',
      color: view.state === 'failed' ? 'warning' : 'default',
    }),
  );
  if (view.coverage !== null)
    body.push(
      text(
        t(locale, 'admin.coverage.share', {
          percent: formatNumber(locale, view.coverage, { style: 'percent', maximumFractionDigits: 0 }),
        }),
        { weight: 'bolder', size: 'medium' },
      ),
    );
  const total = Math.max(1, view.scanned);
  for (const category of COVERAGE_CATEGORIES) {
    const n = view.counts[category];
    if (category === 'unknown' && n === 0) continue;
    body.push({
      type: 'ColumnSet',
      spacing: 'small',
      columns: [
        { type: 'Column', width: 'stretch', items: [text(t(locale, `admin.category.${category}`), { size: 'small' })] },
        {
          type: 'Column',
          width: 'auto',
          items: [text(bar(n / total), { size: 'small', color: category === 'has_photo' ? 'good' : 'accent' })],
        },
        { type: 'Column', width: 'auto', items: [text(formatNumber(locale, n), { size: 'small', weight: 'bolder' })] },
      ],
    });
  }
  const actions: JsonObject[] = [execute(t(locale, 'admin.coverage.refresh'), ADMIN_VERBS.coverageRefresh)];
  if (view.state === 'done') {
    actions.push(execute(t(locale, 'admin.coverage.csv'), ADMIN_VERBS.coverageCsv, { scanId: view.scanId }));
    if (view.counts.no_photo + view.counts.placeholder_or_stale + view.counts.hybrid_stuck > 0)
      actions.push(execute(t(locale, 'admin.coverage.remind'), ADMIN_VERBS.compose, { audience: 'category:no_photo' }));
  }
  return card(body, actions, status);
}
