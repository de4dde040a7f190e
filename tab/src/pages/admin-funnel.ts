/**
 * Admin page, reminders: what people did after a campaign's reminder (core/broadcast/funnel.ts), once its sending
 * is over. A bar chart with the same numbers in a table beside it, the photos that stopped on the way, where
 * "shows in Microsoft 365" comes from, and on request the same steps per department. "Update the numbers" asks
 * again: people keep acting on a reminder for days.
 */
import type { CampaignFunnelJson, CampaignProgressJson, FunnelSummaryJson } from '../../../bot/src/api/tab-contract';
import { barChart } from './admin-chart';
import { button, el, formatInstant, formatNumber, showFailure, uid, type SectionHost } from './admin-dom';

/** The steps after "recipients", in order, with the Admin page's words. */
const STEPS = [
  ['delivered', 'funnelDelivered'],
  ['opened', 'funnelOpened'],
  ['photo_sent', 'funnelPhotoSent'],
  ['approved', 'funnelApproved'],
  ['visible', 'funnelVisible'],
] as const;

type Counts = CampaignFunnelJson['total'];

/** A table with a caption, column headers and rows (whose first cell is their header). */
function dataTable(className: string, caption: string, headers: string[], rows: HTMLElement[]): HTMLTableElement {
  const captionId = uid(className);
  return el(
    'table',
    { class: `hs-table ${className}`, 'aria-labelledby': captionId },
    el('caption', { id: captionId }, caption),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows),
  );
}

/** A table row headed by `label`. */
function row(attrs: Record<string, string>, label: string, ...cells: HTMLElement[]): HTMLTableRowElement {
  return el('tr', attrs, el('th', { scope: 'row' }, label), ...cells);
}

/** A campaign's funnel on its card; hidden while the campaign sends. */
export class FunnelView {
  readonly element = el('section', { class: 'hs-funnel', hidden: true });
  private readonly figure = el('div', { class: 'hs-chart-wrap hs-funnel-figure' });
  private readonly note = el('p', { class: 'hint hs-funnel-note' });
  private readonly departments = el('div', { class: 'hs-funnel-departments' });
  private readonly alert = el('p', { class: 'error hs-alert', role: 'alert' });
  private shown = '';

  constructor(
    private readonly host: SectionHost,
    private readonly campaignId: string,
    onFresh: (c: CampaignProgressJson) => void,
  ) {
    const { t } = host.ctx;
    const headingId = uid('funnel');
    this.element.setAttribute('aria-labelledby', headingId);
    const refresh = button(t('funnelRefresh'), () => void this.refresh(onFresh), { type: 'button' });
    const byDepartment = button(t('funnelByDepartment'), () => void this.loadDepartments(), { type: 'button' });
    this.element.append(
      el('h5', { id: headingId }, t('funnelTitle')),
      this.figure,
      this.note,
      el('div', { class: 'actions' }, refresh, byDepartment),
      this.departments,
      this.alert,
    );
  }

  /** Shows `f` (null: the campaign still sends, nothing to show yet); redraws only what changed. */
  show(f: FunnelSummaryJson | null): void {
    this.element.hidden = f === null;
    if (!f) return;
    const key = JSON.stringify(f);
    if (key === this.shown) return;
    this.shown = key;
    const { t, locale } = this.host.ctx;
    this.figure.replaceChildren(...this.chartAndTable(f));
    this.note.textContent = f.visibleAsOf
      ? t('funnelAsOf', { at: formatInstant(f.visibleAsOf, locale) })
      : t('funnelNotChecked');
  }

  private chartAndTable(f: Counts): Node[] {
    const { t, locale } = this.host.ctx;
    const n = (v: number) => formatNumber(v, locale);
    const share = (v: number) =>
      f.delivered > 0 ? formatNumber(v / f.delivered, locale, { style: 'percent', maximumFractionDigits: 0 }) : '–';
    const bars = STEPS.map(([key, label]) => ({
      key,
      label: t(label),
      value: f[key],
      valueText: key === 'delivered' ? n(f[key]) : `${n(f[key])} (${share(f[key])})`,
    }));
    const summary = t('funnelChartSummary', { parts: bars.map((b) => `${b.label}: ${b.valueText}`).join(', ') });
    const stopped: Array<[string, number]> = [
      [t('funnelWaitingApproval'), f.waitingApproval],
      [t('funnelRejected'), f.rejected],
      [t('funnelFailed'), f.failed],
      [t('funnelNotCheckedCount'), f.notChecked],
    ];
    const blank = () => el('td', {}, '');
    const table = dataTable(
      'hs-funnel-table',
      t('funnelTableCaption'),
      [t('funnelStep'), t('funnelPeople'), t('funnelShare')],
      [
        row({ 'data-key': 'recipients' }, t('funnelRecipients'), el('td', {}, n(f.recipients)), blank()),
        ...STEPS.map(([key, label]) =>
          row(
            { 'data-key': key },
            t(label),
            el('td', {}, n(f[key])),
            el('td', {}, key === 'delivered' ? '' : share(f[key])),
          ),
        ),
        ...stopped
          .filter(([, v]) => v > 0)
          .map(([label, v]) => row({ class: 'hs-funnel-stopped' }, label, el('td', {}, n(v)), blank())),
      ],
    );
    return [barChart(bars, summary), table];
  }

  private async refresh(onFresh: (c: CampaignProgressJson) => void): Promise<void> {
    const { ctx } = this.host;
    this.alert.textContent = '';
    try {
      const fresh = await ctx.api.get<CampaignProgressJson>(
        `/api/admin/campaigns/${encodeURIComponent(this.campaignId)}`,
      );
      if (ctx.signal.aborted) return;
      onFresh(fresh);
      if (!this.departments.hidden && this.departments.childElementCount > 0) await this.loadDepartments();
      ctx.announce(ctx.t('funnelTitle'));
    } catch (err) {
      showFailure(this.host, err, this.alert);
    }
  }

  private async loadDepartments(): Promise<void> {
    const { ctx } = this.host;
    const { t, locale } = ctx;
    this.alert.textContent = '';
    try {
      const f = await ctx.api.get<CampaignFunnelJson>(
        `/api/admin/campaigns/${encodeURIComponent(this.campaignId)}/funnel`,
      );
      if (ctx.signal.aborted) return;
      const n = (v: number) => formatNumber(v, locale);
      this.departments.replaceChildren(
        dataTable(
          'hs-funnel-departments-table',
          t('funnelDepartmentCaption'),
          [t('funnelDepartment'), t('funnelRecipients'), ...STEPS.map(([, label]) => t(label))],
          f.departments.map((d) =>
            row(
              { 'data-department': d.department ?? '' },
              d.department ?? t('funnelNoDepartment'),
              el('td', {}, n(d.counts.recipients)),
              ...STEPS.map(([key]) => el('td', {}, n(d.counts[key]))),
            ),
          ),
        ),
      );
      this.departments.hidden = false;
      ctx.announce(t('funnelDepartmentCaption'));
    } catch (err) {
      showFailure(this.host, err, this.alert);
    }
  }
}
