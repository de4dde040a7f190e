/**
 * Admin page, import (docs/import.md): choose a zip of photos and how file names are matched, see the table the
 * check makes before anything is written (who each file is for, how it matched, the photo's notes, what will
 * happen), then import with a confirmation and follow the progress live (polled every second); afterwards the
 * CSV report and undo. The newest import is shown when the page opens, so a running one can be followed again.
 */
import type {
  DownloadLink,
  ImportFolderBody,
  ImportItemJson,
  ImportProgressJson,
} from '../../../bot/src/api/tab-contract';
import { checkbox, confirmDialog, nativeInput, nativeSelect } from '../controls';
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
  type FluentButton,
  type SectionHost,
} from './admin-dom';

const POLL_MS = 1000;
/** Rows the table shows at most (the report has them all). */
const TABLE_MAX = 2000;
const MATCHES = ['auto', 'upn', 'mail', 'employeeId', 'name'] as const;
/** Plans that mean the admin should look. */
const ATTENTION = new Set(['no_match', 'ambiguous', 'duplicate', 'refused', 'invalid', 'changed_elsewhere']);
const RUNNING = new Set(['checking', 'applying', 'undoing']);

/** Builds the import section and shows the newest import. */
export function importSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const n = (value: number) => formatNumber(value, locale);
  const section = adminSection('import', t('importTitle'));

  // --- the form
  const file = nativeInput(t('importFile'), { type: 'file', accept: '.zip,application/zip', name: 'zip' });
  // Local mode only: a folder on the machine the service runs on.
  const folder = ctx.config.mode === 'local' ? nativeInput(t('importFolder'), { type: 'text', name: 'folder' }) : null;
  const match = nativeSelect(
    t('importMatch'),
    'match',
    MATCHES.map((m) => ({ value: m, label: t(`importMatch_${m}`) })),
  );
  const onlyMissing = checkbox(t('importOnlyMissing'));
  const overwrite = checkbox(t('importOverwrite'));
  const approval = checkbox(t('importApproval'));
  const check = button(t('importCheck'), null, { type: 'submit', appearance: 'primary' });
  const formAlert = el('p', { class: 'error hs-alert', role: 'alert' });
  const form = el(
    'form',
    { class: 'hs-import-form', novalidate: true },
    el('p', { class: 'hint' }, t('importHint')),
    file.element,
    ...(folder ? [folder.element] : []),
    match.element,
    el('div', { class: 'hs-options' }, onlyMissing.element, overwrite.element, approval.element),
    el('div', { class: 'actions' }, check),
    formAlert,
  );

  // --- the import shown
  const headingId = uid('import');
  const heading = el('h3', { id: headingId, tabindex: -1 });
  const stateText = el('p', { class: 'hs-import-state', 'aria-live': 'polite' });
  const progress = el('fluent-progress-bar', { max: 1, value: 0, 'aria-labelledby': headingId });
  const numbers = el('dl', { class: 'hs-numbers' });
  const applyButton: FluentButton = button(t('importApply'), null, { type: 'button', appearance: 'primary' });
  const cancelButton = button(t('importCancel'), null, { type: 'button' });
  const undoButton = button(t('importUndo'), null, { type: 'button' });
  const reportButton = button(t('importReport'), null, { type: 'button' });
  const link = el('p', { class: 'hs-download' });
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const attentionOnly = checkbox(t('importAttentionOnly'));
  const captionId = uid('import-caption');
  const headers = ['importColFile', 'importColPerson', 'importColMatchedBy', 'importColPlan', 'importColNotes'].map(
    (k) => t(k),
  );
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'hs-table hs-import-table hs-stack', 'aria-labelledby': captionId },
    el('caption', { id: captionId, class: 'visually-hidden' }, t('importCaption')),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
  const more = el('p', { class: 'hint', hidden: true });
  const current = el(
    'article',
    { class: 'card hs-import', 'aria-labelledby': headingId, hidden: true },
    heading,
    stateText,
    progress,
    numbers,
    el('div', { class: 'actions' }, applyButton, cancelButton, reportButton, undoButton),
    link,
    alert,
    attentionOnly.element,
    el('div', { class: 'hs-table-wrap' }, table),
    more,
  );
  section.append(form, current);

  let shown: ImportProgressJson | null = null;
  let rows: ImportItemJson[] = [];
  let rowsOf = '';
  let polling = false;

  const cell = (index: number, ...children: Array<Node | string>) =>
    el('td', { 'data-label': headers[index] }, ...children);

  const drawRows = () => {
    const list = attentionOnly.box.checked ? rows.filter((r) => ATTENTION.has(r.plan)) : rows;
    body.replaceChildren(
      ...list.map((r) =>
        el(
          'tr',
          { 'data-plan': r.plan, 'data-outcome': r.outcome },
          cell(0, r.file),
          cell(1, r.person ? `${r.person.displayName} (${r.person.userPrincipalName})` : '–'),
          cell(2, r.matchedBy ? t(`importBy_${r.matchedBy}`) : '–'),
          cell(
            3,
            el('span', { class: `hs-plan hs-plan-${r.plan}` }, r.planText),
            r.outcome !== 'not_written' && r.outcome !== 'waiting' ? ` · ${r.outcomeText}` : '',
          ),
          cell(4, r.reasonText, ...r.warningTexts.map((w) => el('span', { class: 'hint hs-import-warning' }, w))),
        ),
      ),
    );
  };

  const loadRows = async (p: ImportProgressJson) => {
    const all: ImportItemJson[] = [];
    for (let after = 0; all.length < TABLE_MAX;) {
      const page = await ctx.api.get<ImportItemJson[]>(
        `/api/admin/imports/${encodeURIComponent(p.job.id)}/items?after=${after}&limit=500`,
      );
      if (page.length === 0) break;
      all.push(...page);
      after = page[page.length - 1]!.seq;
    }
    rows = all.slice(0, TABLE_MAX);
    rowsOf = `${p.job.id}:${p.job.state}:${p.counts.outcomes.applied}:${p.counts.outcomes.undone}`;
    more.hidden = p.counts.files <= TABLE_MAX;
    more.textContent = t('importMore', { shown: n(TABLE_MAX), total: n(p.counts.files) });
    drawRows();
  };

  const show = (p: ImportProgressJson) => {
    shown = p;
    current.hidden = false;
    current.dataset.state = p.job.state;
    const { job, counts } = p;
    heading.textContent = t('importHeading', { name: job.sourceName, at: formatInstant(job.createdAt, locale) });
    const toWrite =
      counts.plans.new + counts.plans.changed + (job.options.overwriteChanged ? counts.plans.changed_elsewhere : 0);
    const written = counts.outcomes.applied + counts.outcomes.sent_for_approval;
    const ended = written + counts.outcomes.failed + counts.outcomes.cancelled;
    if (job.state === 'checking') {
      stateText.textContent = t('importChecking', { done: n(job.checkedFiles), total: n(job.totalFiles ?? 0) });
      progress.setAttribute('max', String(Math.max(1, job.totalFiles ?? 1)));
      progress.setAttribute('value', String(job.checkedFiles));
    } else if (job.state === 'applying') {
      stateText.textContent = t('importApplying', { done: n(ended), total: n(ended + p.toWrite) });
      progress.setAttribute('max', String(Math.max(1, ended + p.toWrite)));
      progress.setAttribute('value', String(ended));
    } else if (job.state === 'undoing') {
      stateText.textContent = t('importUndoing');
      progress.removeAttribute('value');
    } else {
      stateText.textContent =
        job.state === 'checked'
          ? t('importChecked', { count: n(toWrite) })
          : job.state === 'failed'
            ? t('importFailed')
            : t(`importState_${job.state}`);
      progress.setAttribute('max', '1');
      progress.setAttribute('value', job.state === 'checked' ? '0' : '1');
    }
    const pairs: Array<[string, string]> = [[t('importFiles'), n(counts.files)]];
    // The plans in the service's own order (its counts name every plan).
    for (const [plan, count] of Object.entries(counts.plans))
      if (count > 0) pairs.push([t(`importPlan_${plan}`), n(count)]);
    if (written > 0) pairs.push([job.options.approval ? t('importSentForApproval') : t('importWritten'), n(written)]);
    if (counts.outcomes.failed > 0) pairs.push([t('importFailedRows'), n(counts.outcomes.failed)]);
    if (counts.outcomes.undone + counts.outcomes.kept > 0) {
      pairs.push([t('importUndone'), n(counts.outcomes.undone)]);
      pairs.push([t('importKept'), n(counts.outcomes.kept)]);
    }
    if (job.state === 'applying') {
      pairs.push([t('importRate'), t('importRateValue', { rate: n(p.perMinute) })]);
      if (p.throttled > 0) pairs.push([t('importThrottled'), n(p.throttled)]);
    }
    numbers.replaceChildren(...pairs.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, value))));
    applyButton.hidden = job.state !== 'checked';
    applyButton.textContent = t('importApplyCount', { count: n(toWrite) });
    applyButton.toggleAttribute('disabled', toWrite === 0);
    cancelButton.hidden = !['checking', 'checked', 'applying'].includes(job.state);
    undoButton.hidden = !((job.state === 'done' || job.state === 'cancelled') && counts.outcomes.applied > 0);
    reportButton.hidden = job.state === 'checking' || job.state === 'failed';
    attentionOnly.element.hidden = job.state === 'checking' || counts.files === 0;
  };

  const refresh = async (): Promise<void> => {
    if (!shown) return;
    const p = await ctx.api.get<ImportProgressJson>(`/api/admin/imports/${encodeURIComponent(shown.job.id)}`);
    if (ctx.signal.aborted) return;
    const before = shown.job.state;
    show(p);
    const key = `${p.job.id}:${p.job.state}:${p.counts.outcomes.applied}:${p.counts.outcomes.undone}`;
    if (p.job.state !== 'checking' && key !== rowsOf && (!RUNNING.has(p.job.state) || p.counts.files <= 200))
      await loadRows(p);
    if (before !== p.job.state) {
      ctx.announce(stateText.textContent ?? '');
      if (!RUNNING.has(p.job.state)) host.changed();
    }
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      while (!ctx.signal.aborted && shown && RUNNING.has(shown.job.state)) {
        await pause(POLL_MS, ctx.signal);
        if (ctx.signal.aborted) return;
        try {
          await refresh();
        } catch (err) {
          showFailure(host, err, alert);
          return;
        }
      }
    } finally {
      polling = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      formAlert.textContent = '';
      const chosen = file.input.files?.[0];
      const folderPath = folder?.input.value.trim() ?? '';
      if (!chosen && !folderPath) {
        formAlert.textContent = t('importNoFile');
        file.input.focus();
        return;
      }
      const query = new URLSearchParams({
        name: chosen?.name ?? '',
        match: match.select.value,
        onlyMissing: String(onlyMissing.box.checked),
        overwriteChanged: String(overwrite.box.checked),
        approval: String(approval.box.checked),
      });
      check.toggleAttribute('disabled', true);
      try {
        const folderBody: ImportFolderBody = {
          path: folderPath,
          match: match.select.value as ImportFolderBody['match'],
          onlyMissing: onlyMissing.box.checked,
          overwriteChanged: overwrite.box.checked,
          approval: approval.box.checked,
        };
        const p = chosen
          ? await ctx.api.upload<ImportProgressJson>(
              `/api/admin/imports?${query.toString()}`,
              chosen,
              'application/zip',
            )
          : await ctx.api.post<ImportProgressJson>('/api/admin/imports/folder', folderBody);
        if (ctx.signal.aborted) return;
        rows = [];
        rowsOf = '';
        body.replaceChildren();
        link.replaceChildren();
        show(p);
        heading.focus();
        ctx.announce(stateText.textContent ?? '');
        void poll();
      } catch (err) {
        showFailure(host, err, formAlert);
      } finally {
        check.toggleAttribute('disabled', false);
      }
    })();
  });

  const act = async (action: 'apply' | 'cancel' | 'undo') => {
    if (!shown) return;
    alert.textContent = '';
    try {
      const p = await ctx.api.post<ImportProgressJson>(
        `/api/admin/imports/${encodeURIComponent(shown.job.id)}/${action}`,
      );
      if (ctx.signal.aborted) return;
      show(p);
      ctx.announce(stateText.textContent ?? '');
      host.changed();
      void poll();
    } catch (err) {
      showFailure(host, err, alert);
    }
  };

  applyButton.addEventListener('click', () => {
    void (async () => {
      if (!shown) return;
      const count = applyButton.textContent ?? '';
      const ok = await confirmDialog({
        title: count,
        body: [el('p', {}, shown.job.options.approval ? t('importApplyConfirmApproval') : t('importApplyConfirm'))],
        confirm: t('importApplyYes'),
        cancel: t('importNo'),
      });
      if (ok) await act('apply');
    })();
  });
  cancelButton.addEventListener('click', () => {
    void (async () => {
      const ok = await confirmDialog({
        title: t('importCancel'),
        body: [el('p', {}, t('importCancelConfirm'))],
        confirm: t('importCancelYes'),
        cancel: t('importNo'),
        primary: false,
      });
      if (ok) await act('cancel');
    })();
  });
  undoButton.addEventListener('click', () => {
    void (async () => {
      const ok = await confirmDialog({
        title: t('importUndo'),
        body: [el('p', {}, t('importUndoConfirm'))],
        confirm: t('importUndoYes'),
        cancel: t('importNo'),
        primary: false,
      });
      if (ok) await act('undo');
    })();
  });
  reportButton.addEventListener('click', () => {
    void (async () => {
      if (!shown) return;
      alert.textContent = '';
      try {
        const answer = await ctx.api.post<DownloadLink>(
          `/api/admin/imports/${encodeURIComponent(shown.job.id)}/report-link`,
        );
        if (ctx.signal.aborted) return;
        const ready = t('linkReady', { minutes: answer.minutes });
        link.replaceChildren(ready, ' ', el('a', { href: answer.url, download: true }, t('importReport')));
        ctx.announce(ready);
        window.location.assign(answer.url);
      } catch (err) {
        showFailure(host, err, alert);
      }
    })();
  });
  attentionOnly.box.addEventListener('change', drawRows);

  const ready = (async () => {
    try {
      const jobs = await ctx.api.get<ImportProgressJson[]>('/api/admin/imports');
      const newest = jobs[0];
      if (!newest || ctx.signal.aborted) return;
      show(newest);
      if (newest.job.state !== 'checking') await loadRows(newest);
      void poll();
    } catch (err) {
      showFailure(host, err, formAlert);
    }
  })();
  return { element: section, ready };
}
