/**
 * Admin page, audit log: newest first, 50 at a time, "Older" fetches the next page; `refresh()` reloads the
 * newest after an action on the page. Who and whom by name, what as a sentence in the admin's language,
 * a refusal with its reason. On a narrow screen each row reads as a short list (the cells carry their labels).
 */
import type { AuditEntryJson, AuditPage } from '../../../bot/src/api/tab-contract';
import {
  adminSection,
  button,
  el,
  formatInstant,
  showFailure,
  uid,
  type RefreshableSection,
  type SectionHost,
} from './admin-dom';

/** Entries per page. */
const AUDIT_PAGE = 50;

/** Builds the audit section and loads the newest entries. */
export function auditSection(host: SectionHost): RefreshableSection {
  const { ctx } = host;
  const { t, locale } = ctx;
  const section = adminSection('audit', t('auditTitle'));
  const captionId = uid('audit-caption');
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'hs-table hs-audit-table hs-stack', 'aria-labelledby': captionId },
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

  const headers = ['auditTime', 'auditActor', 'auditAction', 'auditSubject', 'auditOutcome'].map((key) => t(key));
  const cell = (index: number, ...children: Array<Node | string>) =>
    el('td', { 'data-label': headers[index] }, ...children);

  const who = (id: string, name: string | undefined): string => {
    if (name) return name;
    if (id === 'headshot' || id.startsWith('headshot:')) return t('auditHeadshot');
    if (id.startsWith('cli:')) return `${t('auditCli')} (${id.slice(4)})`;
    return id;
  };

  const action = (entry: AuditEntryJson): string => {
    const key = `auditAction_${entry.action.replace(/\./g, '_')}`;
    const text = t(key);
    return text === key ? entry.action : text;
  };

  const whom = (entry: AuditEntryJson): string => {
    if (entry.subjectName) return entry.subjectName;
    if (entry.action.startsWith('campaign.') && typeof entry.detail?.audience === 'string') {
      const d = entry.detail;
      const audience =
        d.audience === 'everyone'
          ? t('audienceEveryone')
          : d.audience === 'group'
            ? t('audienceGroup')
            : d.audience === 'followup'
              ? t('audienceFollowUp')
              : t(`audience_${String(d.category)}`);
      return t('auditCampaignSubject', { audience });
    }
    if (entry.subjectId && entry.subjectId === entry.actorId) return who(entry.actorId, entry.actorName);
    return '–';
  };

  const row = (entry: AuditEntryJson) => {
    const outcomeKey = `auditOutcome_${entry.outcome}`;
    const outcome = t(outcomeKey) === outcomeKey ? entry.outcome : t(outcomeKey);
    return el(
      'tr',
      { 'data-action': entry.action, 'data-outcome': entry.outcome },
      cell(0, el('time', { datetime: entry.at }, formatInstant(entry.at, locale))),
      cell(1, who(entry.actorId, entry.actorName)),
      cell(2, action(entry)),
      cell(3, whom(entry)),
      cell(
        4,
        el(
          'span',
          { class: `hs-outcome hs-outcome-${entry.outcome}` },
          entry.why ? t('auditRefusedWhy', { why: entry.why }) : outcome,
        ),
      ),
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

  const refresh = async () => {
    try {
      const rows = body.children.length;
      body.replaceChildren();
      await load(null);
      if (rows === 0 && body.children.length === 0) empty.hidden = false;
    } catch (err) {
      showFailure(host, err, alert);
    }
  };
  return { element: section, ready: refresh(), refresh };
}
