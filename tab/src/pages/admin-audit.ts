/** Admin page, audit log: newest first, 50 at a time, "Older" fetches the next page. */
import type { AuditEntryJson, AuditPage } from '../../../bot/src/api/tab-contract';
import {
  adminSection,
  button,
  el,
  formatInstant,
  showFailure,
  uid,
  type AdminSection,
  type SectionHost,
} from './admin-dom';

/** Entries per page. */
const AUDIT_PAGE = 50;

/** Builds the audit section and loads the newest entries. */
export function auditSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('audit', t('auditTitle'));
  const captionId = uid('audit-caption');
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'hs-table hs-audit-table', 'aria-labelledby': captionId },
    el('caption', { id: captionId, class: 'visually-hidden' }, t('auditCaption')),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['auditTime', 'auditActor', 'auditAction', 'auditSubject', 'auditOutcome'].map((key) =>
          el('th', { scope: 'col' }, t(key)),
        ),
      ),
    ),
    body,
  );
  const empty = el('p', { class: 'hs-empty', hidden: true }, t('auditEmpty'));
  const older = button(t('auditOlder'), null, { type: 'button', class: 'secondary', hidden: true });
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const wrap = el('div', { class: 'hs-table-wrap' }, table);
  section.append(empty, wrap, el('div', { class: 'actions' }, older), alert);

  let nextBefore: string | null = null;

  const row = (entry: AuditEntryJson) => {
    const outcomeKey = `auditOutcome_${entry.outcome}`;
    const outcome = t(outcomeKey);
    return el(
      'tr',
      { 'data-action': entry.action, 'data-outcome': entry.outcome },
      el('td', {}, el('time', { datetime: entry.at }, formatInstant(entry.at, locale))),
      el('td', {}, entry.actorId),
      el('td', {}, entry.action),
      el('td', {}, entry.subjectId ?? entry.requestId ?? '–'),
      el('td', {}, outcome === outcomeKey ? entry.outcome : outcome),
    );
  };

  const load = async (before: string | null) => {
    const query = `limit=${AUDIT_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    const page = await ctx.api.get<AuditPage>(`/api/admin/audit?${query}`);
    if (ctx.signal.aborted) return;
    const firstNew = page.entries.length > 0 ? row(page.entries[0]) : null;
    if (firstNew) body.append(firstNew, ...page.entries.slice(1).map(row));
    nextBefore = page.nextBefore;
    older.hidden = nextBefore === null;
    empty.hidden = body.children.length > 0;
    wrap.hidden = body.children.length === 0;
    return firstNew;
  };

  older.addEventListener('click', async () => {
    alert.textContent = '';
    older.disabled = true;
    try {
      const first = await load(nextBefore);
      // The button may hide (no more pages): keep keyboard users where the new rows start.
      if (first) {
        first.setAttribute('tabindex', '-1');
        first.focus();
      }
      ctx.announce(t('auditLoaded'));
    } catch (err) {
      showFailure(host, err, alert);
    } finally {
      older.disabled = false;
    }
  });

  const ready = (async () => {
    try {
      await load(null);
    } catch (err) {
      showFailure(host, err, alert);
    }
  })();
  return { element: section, ready };
}
