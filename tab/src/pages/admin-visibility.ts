/**
 * Admin page, time to visible (follow-through): per system how many new photos showed and how long it took (median
 * and 95th percentile over the last 30 days), why Teams is not measured, and the changes still not visible everywhere
 * after 24 hours with the reason. The server sends the words in the admin's language; "Refresh" loads it again.
 */
import type { TimeToVisibleJson } from '../../../bot/src/api/tab-contract';
import {
  adminSection,
  button,
  el,
  formatNumber,
  showFailure,
  uid,
  type AdminSection,
  type SectionHost,
} from './admin-dom';

const COLUMNS = ['system', 'shown', 'median', 'p95', 'waiting', 'notShown', 'notApplicable', 'unknown'] as const;

/** Builds the section and loads the report. */
export function visibilitySection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('visibility', t('visibilityTitle'));
  const off = el('p', { class: 'hs-visibility-off', role: 'status', hidden: true });
  const heading = el('p', { class: 'hs-visibility-heading' });
  const captionId = uid('visibility-caption');
  const head = el('tr', {});
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'hs-table hs-visibility-table hs-stack', 'aria-labelledby': captionId },
    el('caption', { id: captionId, class: 'visually-hidden' }, t('visibilityCaption')),
    el('thead', {}, head),
    body,
  );
  const teams = el('p', { class: 'hs-visibility-teams' });
  const lateHeadingId = uid('visibility-late');
  const lateHeading = el('h3', { id: lateHeadingId });
  const late = el('ul', { class: 'hs-visibility-late', 'aria-labelledby': lateHeadingId });
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const refreshButton = button(t('visibilityRefresh'), null, { type: 'button', class: 'secondary' });
  section.append(
    el('p', { class: 'hs-hint' }, t('visibilityIntro')),
    off,
    heading,
    el('div', { class: 'hs-table-wrap' }, table),
    teams,
    lateHeading,
    late,
    el('div', { class: 'actions' }, refreshButton),
    alert,
  );

  const show = (r: TimeToVisibleJson) => {
    off.hidden = r.enabled;
    off.textContent = r.text.off ?? '';
    heading.textContent = r.text.heading;
    const labels = COLUMNS.map((c) => r.text.columns[c]);
    head.replaceChildren(...labels.map((label) => el('th', { scope: 'col' }, label)));
    body.replaceChildren(
      ...r.systems.map((s) => {
        const cells = [
          s.name,
          formatNumber(s.visible, locale),
          s.median,
          s.p95,
          formatNumber(s.waiting, locale),
          formatNumber(s.notVisible, locale),
          formatNumber(s.notApplicable, locale),
          formatNumber(s.unknown, locale),
        ];
        return el(
          'tr',
          { 'data-system': s.system },
          el('th', { scope: 'row', 'data-label': labels[0] }, cells[0] as string),
          ...cells.slice(1).map((c, i) => el('td', { 'data-label': labels[i + 1] }, c)),
        );
      }),
    );
    teams.textContent = r.teams.text;
    lateHeading.textContent = r.late.length ? r.text.lateHeading : r.text.lateNone;
    late.hidden = r.late.length === 0;
    late.replaceChildren(
      ...r.late.map((c) =>
        el(
          'li',
          { 'data-user': c.userId },
          el(
            'span',
            { class: 'hs-late-who' },
            c.displayName ? `${c.displayName} (${c.userPrincipalName ?? c.userId})` : (c.userPrincipalName ?? c.userId),
          ),
          ` · ${c.changedAtText} · ${c.kindText}, ${c.stateText}`,
          el('ul', {}, ...c.waiting.map((w) => el('li', {}, el('strong', {}, `${w.name}: `), w.text))),
        ),
      ),
    );
  };

  const load = async () => {
    alert.textContent = '';
    refreshButton.disabled = true;
    try {
      const report = await ctx.api.get<TimeToVisibleJson>('/api/admin/follow-through');
      if (ctx.signal.aborted) return;
      show(report);
    } catch (err) {
      showFailure(host, err, alert);
    } finally {
      refreshButton.disabled = false;
    }
  };
  refreshButton.addEventListener('click', async () => {
    await load();
    if (!alert.textContent) ctx.announce(t('visibilityLoaded'));
  });
  return { element: section, ready: load() };
}
