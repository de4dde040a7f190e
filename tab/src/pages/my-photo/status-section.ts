/** "Where your photo shows": the status report, system by system, with its fixes and a Refresh button. */
import type { FixName, StatusReportJson } from '../../../../bot/src/api/tab-contract';
import type { PageContext } from '../../page-context';
import { button, el, present, type FluentButton } from '../../dom';

/** Fixes the service runs itself (the others happen on the page). */
const SERVER_FIXES: readonly FixName[] = ['fix_sharepoint', 'apply_again'];

/** The status section; `element` goes into the page. */
export class StatusSection {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly refreshButton: FluentButton;

  constructor(
    private readonly ctx: PageContext,
    /** The "upload" fix: take the person to the editor. */
    private readonly focusEditor: () => void,
  ) {
    const { t } = ctx;
    this.body = el(
      'div',
      { class: 'status-body', 'aria-busy': 'true' },
      el('p', { class: 'loading' }, t('common.loading')),
    );
    this.refreshButton = button(t('status.refresh'), () => void this.load(true), { class: 'secondary' });
    this.element = el(
      'section',
      { class: 'card status', 'aria-labelledby': 'status-title' },
      el('div', { class: 'section-head' }, el('h2', { id: 'status-title' }, t('status.title')), this.refreshButton),
      this.body,
    );
  }

  /** Fetches and draws the report; `announce` says when it is done (after Refresh). */
  async load(announce = false): Promise<void> {
    this.refreshButton.disabled = true;
    this.body.setAttribute('aria-busy', 'true');
    try {
      this.draw(await this.ctx.api.get<StatusReportJson>('/api/me/status'));
      if (announce) this.ctx.announce(this.ctx.t('status.refreshed'));
    } catch (err) {
      if (this.ctx.signal.aborted) return;
      this.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, (err as Error).message));
    } finally {
      this.refreshButton.disabled = false;
      this.body.setAttribute('aria-busy', 'false');
    }
  }

  private draw(report: StatusReportJson): void {
    const { t, locale } = this.ctx;
    const rows = report.systems.map((s) =>
      el(
        'tr',
        { 'data-system': s.system, 'data-state': s.state },
        el('th', { scope: 'row' }, s.text.system),
        el(
          'td',
          { 'data-label': t('status.state') },
          el('span', { class: `state state-${stateTone(s.state)}` }, s.text.state),
        ),
        el(
          'td',
          { 'data-label': t('status.details') },
          s.text.reasons.length || s.text.instructions.length
            ? el('ul', { class: 'plain' }, ...[...s.text.reasons, ...s.text.instructions].map((r) => el('li', {}, r)))
            : '',
        ),
      ),
    );
    const table = el(
      'table',
      { class: 'status-table hs-stack' },
      el('caption', { class: 'visually-hidden' }, t('status.caption')),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, t('status.system')),
          el('th', { scope: 'col' }, t('status.state')),
          el('th', { scope: 'col' }, t('status.details')),
        ),
      ),
      el('tbody', {}, ...rows),
    );
    const fixes = report.fixes.map(({ fix, title }) =>
      button(title, () => void this.runFix(fix), { class: 'secondary', 'data-fix': fix }),
    );
    const checked = new Date(report.checkedAt);
    this.body.replaceChildren(
      ...present(
        table,
        fixes.length ? el('div', { class: 'actions', role: 'group', 'aria-label': t('status.fixes') }, ...fixes) : null,
        Number.isNaN(checked.getTime())
          ? null
          : el(
              'p',
              { class: 'hint' },
              t('status.checkedAt', {
                time: checked.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }),
              }),
            ),
      ),
    );
  }

  private async runFix(fix: FixName): Promise<void> {
    const { api, t } = this.ctx;
    if (fix === 'upload') {
      this.focusEditor();
      return;
    }
    try {
      if (fix === 'ad_photo') {
        await api.download('/api/me/ad-photo', 'headshot-ad-photo-96x96.jpg');
        this.ctx.announce(t('status.adPhotoDownloaded'));
        return;
      }
      if (SERVER_FIXES.includes(fix)) {
        this.draw(await api.post<StatusReportJson>(`/api/me/status/fixes/${fix}`));
        this.ctx.announce(t('status.fixDone'));
      }
    } catch (err) {
      this.body.prepend(el('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  }
}

/** A colour family for a machine state (the words come from the server). */
function stateTone(state: string): 'ok' | 'wait' | 'bad' | 'none' {
  if (state === 'in_sync') return 'ok';
  if (state === 'not_applicable') return 'none';
  if (/pending|syncing|unknown|waiting/.test(state)) return 'wait';
  return 'bad';
}
