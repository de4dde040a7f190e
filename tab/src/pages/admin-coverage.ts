/** Admin page, coverage: numbers per category, the share with a photo, a bar chart, scans and the CSV. */
import type { CoverageJson, DownloadLink } from '../../../bot/src/api/tab-contract';
import { barChart } from './admin-chart';
import {
  adminSection,
  button,
  el,
  formatInstant,
  formatNumber,
  pause,
  showFailure,
  uid,
  type AdminSection,
  type SectionHost,
} from './admin-dom';

/** The categories in the order the page shows them. */
const CATEGORIES = [
  'has_photo',
  'no_photo',
  'placeholder_or_stale',
  'hybrid_stuck',
  'not_applicable',
  'unknown',
] as const satisfies ReadonlyArray<keyof CoverageJson['counts']>;

/** How often a running scan is asked for its progress. */
const SCAN_POLL_MS = 1000;

/** Builds the coverage section and loads the newest scan. */
export function coverageSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('coverage', t('coverageTitle'));
  // Not a live region: progress would be read out every second; start and end are announced.
  const state = el('p', { class: 'hs-scan-state' });
  const share = el('p', { class: 'hs-share' });
  const faces = el('p', { class: 'hint hs-face-checks' });
  const figure = el('div', { class: 'hs-chart-wrap' });
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const link = el('p', { class: 'hs-download' });
  const scanButton = button(t('scanNow'), null, { type: 'button', class: 'primary' });
  const csvButton = button(t('downloadCsv'), null, { type: 'button', class: 'secondary', disabled: true });
  section.append(state, share, faces, figure, el('div', { class: 'actions' }, scanButton, csvButton), link, alert);

  let current: CoverageJson | null = null;
  let polling = false;

  const show = (view: CoverageJson | null) => {
    current = view;
    scanButton.disabled = view?.state === 'running';
    // The CSV is of a finished scan; while a new one runs, the numbers shown are its progress.
    csvButton.disabled = view?.state !== 'done';
    if (!view) {
      state.textContent = t('coverageNone');
      share.textContent = '';
      figure.replaceChildren();
      return;
    }
    const people = formatNumber(view.scanned, locale);
    if (view.state === 'running') state.textContent = t('coverageRunning', { people });
    else if (view.state === 'failed') state.textContent = t('coverageFailed');
    else
      state.textContent = t('coverageDone', { people, at: formatInstant(view.finishedAt ?? view.startedAt, locale) });
    share.textContent =
      view.coverage === null
        ? t('coverageShareNone')
        : t('coverageShare', { percent: formatNumber(view.coverage, locale, { style: 'percent' }) });
    figure.replaceChildren(...numbers(view));
    faces.textContent = faceLine(view);
  };

  /** What the face checks of the photos Headshot applied found (the CSV has it per person). */
  const faceLine = (view: CoverageJson): string => {
    const f = view.faceChecks;
    if (!f || f.checked === 0) return '';
    const n = (value: number) => formatNumber(value, locale);
    const broken = Object.entries(f.byRule)
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([rule, count]) => `${t(`faceRule_${rule}`)}: ${n(count ?? 0)}`);
    return [
      t('faceChecksLine', { checked: n(f.checked), clean: n(f.clean) }),
      broken.length ? t('faceChecksBroken', { rules: broken.join(', ') }) : '',
      f.unavailable ? t('faceChecksUnavailable', { count: n(f.unavailable) }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  };

  const numbers = (view: CoverageJson): Node[] => {
    const bars = CATEGORIES.map((key) => ({
      key,
      label: t(`category_${key}`),
      value: view.counts[key],
      valueText: formatNumber(view.counts[key], locale),
    }));
    const summary = t('chartSummary', {
      parts: bars.map((b) => `${b.label}: ${b.valueText}`).join(', '),
    });
    const captionId = uid('coverage-table');
    const table = el(
      'table',
      { class: 'hs-table hs-coverage-table', 'aria-labelledby': captionId },
      el('caption', { id: captionId }, t('coverageTableCaption')),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('category')), el('th', { scope: 'col' }, t('people')))),
      el(
        'tbody',
        {},
        ...bars.map((b) =>
          el('tr', { 'data-key': b.key }, el('th', { scope: 'row' }, b.label), el('td', {}, b.valueText)),
        ),
      ),
    );
    return [barChart(bars, summary), table];
  };

  const follow = async () => {
    if (polling) return;
    polling = true;
    try {
      while (!ctx.signal.aborted && current?.state === 'running') {
        await pause(SCAN_POLL_MS, ctx.signal);
        if (ctx.signal.aborted) return;
        const view = await ctx.api.get<CoverageJson | null>('/api/admin/coverage');
        if (ctx.signal.aborted) return;
        show(view);
        if (view && view.state !== 'running') ctx.announce(state.textContent ?? '');
      }
    } catch (err) {
      showFailure(host, err, alert);
      scanButton.disabled = false;
    } finally {
      polling = false;
    }
  };

  scanButton.addEventListener('click', async () => {
    alert.textContent = '';
    link.replaceChildren();
    scanButton.disabled = true;
    try {
      const view = await ctx.api.post<CoverageJson>('/api/admin/coverage/scans');
      if (ctx.signal.aborted) return;
      show(view);
      ctx.announce(state.textContent ?? '');
      void follow();
    } catch (err) {
      scanButton.disabled = false;
      showFailure(host, err, alert);
    }
  });

  csvButton.addEventListener('click', async () => {
    if (!current) return;
    alert.textContent = '';
    try {
      const answer = await ctx.api.post<DownloadLink>(
        `/api/admin/coverage/${encodeURIComponent(current.scanId)}/csv-link`,
      );
      if (ctx.signal.aborted) return;
      link.replaceChildren(
        t('linkReady', { minutes: answer.minutes }),
        ' ',
        el('a', { href: answer.url, download: true }, t('downloadCsv')),
      );
      ctx.announce(t('linkReady', { minutes: answer.minutes }));
      window.location.assign(answer.url);
    } catch (err) {
      showFailure(host, err, alert);
    }
  });

  const ready = (async () => {
    try {
      show(await ctx.api.get<CoverageJson | null>('/api/admin/coverage'));
      void follow();
    } catch (err) {
      showFailure(host, err, alert);
    }
  })();
  return { element: section, ready };
}
