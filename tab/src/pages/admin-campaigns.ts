/**
 * Admin page, reminders: the form to start one and the list of campaigns with live progress
 * (polled every 2 s while any is still scheduled or sending), stop (after a confirmation) and report.
 */
import type { CampaignProgressJson, DownloadLink } from '../../../bot/src/api/tab-contract';
import { campaignForm } from './admin-campaign-form';
import { FunnelView } from './admin-funnel';
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

/** How often campaigns in progress are asked for their numbers. */
const CAMPAIGN_POLL_MS = 2000;

const FINAL_STATES = new Set(['done', 'cancelled']);

/** Whether a campaign still changes (anything but done or cancelled). */
function isActive(c: CampaignProgressJson): boolean {
  return !FINAL_STATES.has(c.state);
}

/** One campaign on the page; updated in place so focus and a pending confirmation survive a refresh. */
class CampaignCard {
  readonly node: HTMLLIElement;
  private readonly heading: HTMLHeadingElement;
  private readonly stateText = el('p', { class: 'hs-campaign-state' });
  private readonly details = el('p', { class: 'hint hs-meta' });
  private readonly progress = el('fluent-progress-bar', { max: 1, value: 0 });
  private readonly numbers = el('dl', { class: 'hs-numbers' });
  private readonly cancelButton: FluentButton;
  private readonly confirm = el('div', { class: 'hs-confirm', hidden: true });
  private readonly link = el('p', { class: 'hs-download' });
  private readonly alert = el('p', { class: 'error hs-alert', role: 'alert' });
  private readonly funnel: FunnelView;
  private campaign: CampaignProgressJson;

  constructor(
    campaign: CampaignProgressJson,
    private readonly host: SectionHost,
  ) {
    const { t } = host.ctx;
    this.campaign = campaign;
    const headingId = uid('campaign');
    this.heading = el('h4', { id: headingId, tabindex: -1 });
    this.progress.setAttribute('aria-labelledby', headingId);
    this.cancelButton = button(t('campaignCancel'), null, { type: 'button' });
    this.funnel = new FunnelView(host, campaign.id, (fresh) => this.update(fresh));
    const reportButton = button(t('campaignReport'), null, { type: 'button' });
    const yes = button(t('campaignCancelYes'), null, { type: 'button', class: 'primary' });
    const no = button(t('campaignCancelNo'), null, { type: 'button' });
    const question = el('p', { id: uid('confirm') }, t('campaignCancelConfirm'));
    this.confirm.setAttribute('role', 'group');
    this.confirm.setAttribute('aria-labelledby', question.id);
    this.confirm.append(question, el('div', { class: 'actions' }, yes, no));

    this.cancelButton.addEventListener('click', () => {
      this.confirm.hidden = false;
      this.cancelButton.hidden = true;
      yes.focus();
    });
    no.addEventListener('click', () => {
      this.confirm.hidden = true;
      this.cancelButton.hidden = !isActive(this.campaign);
      this.cancelButton.focus();
    });
    yes.addEventListener('click', () => void this.cancel());
    reportButton.addEventListener('click', () => void this.report());

    this.node = el(
      'li',
      { 'data-campaign-id': campaign.id },
      el(
        'article',
        { class: 'card hs-campaign', 'aria-labelledby': headingId },
        this.heading,
        this.stateText,
        this.details,
        this.progress,
        this.numbers,
        this.funnel.element,
        el('div', { class: 'actions' }, this.cancelButton, reportButton),
        this.confirm,
        this.link,
        this.alert,
      ),
    );
    this.update(campaign);
  }

  /** The campaign as last shown. */
  get view(): CampaignProgressJson {
    return this.campaign;
  }

  /** Shows `c`'s numbers. */
  update(c: CampaignProgressJson): void {
    const { t, locale } = this.host.ctx;
    const n = (value: number) => formatNumber(value, locale);
    this.campaign = c;
    this.node.dataset.state = c.state;
    this.heading.textContent = t('campaignHeading', { at: formatInstant(c.createdAt, locale) });
    const stateKey = `campaignState_${c.state}`;
    const stateLabel = t(stateKey);
    this.stateText.textContent =
      c.state === 'scheduled'
        ? `${stateLabel}. ${t('campaignStarts', { at: formatInstant(c.sendAt, locale) })}`
        : stateLabel === stateKey
          ? c.state
          : stateLabel;
    this.details.textContent = `${t('campaignAudience')}: ${this.audienceText(c)} · ${t('campaignMessage')}: ${
      c.message.kind === 'custom'
        ? c.message.text
        : c.message.kind === 'refresh'
          ? t('messageRefresh')
          : t('messageReminder')
    }`;
    const finished = c.sent + c.failed + c.unknown + c.cancelled;
    this.progress.setAttribute('max', String(Math.max(c.total, 1)));
    this.progress.setAttribute('value', String(c.total > 0 ? finished : isActive(c) ? 0 : 1));
    this.progress.setAttribute('aria-valuetext', `${n(finished)} / ${n(c.total)}`);
    const pairs: Array<[string, string]> = [
      [t('campaignTotal'), n(c.total)],
      [t('campaignSent'), n(c.sent)],
      [t('campaignFailed'), n(c.failed + c.unknown)],
      [t('campaignWaiting'), n(c.waiting)],
    ];
    if (c.outsideWorkingHours > 0) pairs.push([t('campaignOutsideHours'), n(c.outsideWorkingHours)]);
    if (c.cancelled > 0) pairs.push([t('campaignCancelled'), n(c.cancelled)]);
    // While everyone left waits for their working hours there is no speed or time left to show.
    if (isActive(c) && !(c.waiting > 0 && c.waiting === c.outsideWorkingHours)) {
      pairs.push([t('campaignRate'), t('campaignRateValue', { rate: formatNumber(c.ratePerSecond, locale) })]);
      pairs.push([
        t('campaignLeft'),
        c.secondsLeft === null
          ? '–'
          : t('campaignLeftValue', { minutes: n(Math.max(1, Math.ceil(c.secondsLeft / 60))) }),
      ]);
    }
    if (c.throttled > 0) pairs.push([t('campaignThrottled'), n(c.throttled)]);
    this.numbers.replaceChildren(
      ...pairs.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, value))),
    );
    this.funnel.show(c.funnel);
    if (!isActive(c)) {
      this.cancelButton.hidden = true;
      this.confirm.hidden = true;
    } else if (this.confirm.hidden) {
      this.cancelButton.hidden = false;
    }
  }

  private audienceText(c: CampaignProgressJson): string {
    const { t } = this.host.ctx;
    const a = c.audience;
    const extras = [a.includeGuests ? t('includeGuests') : '', a.includeDisabled ? t('includeDisabled') : '']
      .filter(Boolean)
      .join(', ');
    let who: string;
    if (a.kind === 'group') who = t('audienceGroupValue', { id: a.groupName ?? t('groupMissing') });
    else if (a.kind === 'everyone') who = t('audienceEveryone');
    else if (a.kind === 'followup') who = t('audienceFollowUp');
    else if (a.kind === 'refresh') who = t('audienceRefresh', { months: String(a.olderThanMonths ?? '') });
    else who = a.category ? t(`category_${a.category}`) : '';
    return extras ? `${who} (${extras})` : who;
  }

  private async cancel(): Promise<void> {
    const { ctx } = this.host;
    this.alert.textContent = '';
    try {
      const answer = await ctx.api.post<CampaignProgressJson>(
        `/api/admin/campaigns/${encodeURIComponent(this.campaign.id)}/cancel`,
      );
      if (ctx.signal.aborted) return;
      this.confirm.hidden = true;
      this.update(answer);
      this.heading.focus();
      ctx.announce(ctx.t('campaignCancelledNow'));
      this.host.changed();
    } catch (err) {
      showFailure(this.host, err, this.alert);
    }
  }

  private async report(): Promise<void> {
    const { ctx } = this.host;
    this.alert.textContent = '';
    try {
      const answer = await ctx.api.post<DownloadLink>(
        `/api/admin/campaigns/${encodeURIComponent(this.campaign.id)}/report-link`,
      );
      if (ctx.signal.aborted) return;
      const ready = ctx.t('linkReady', { minutes: answer.minutes });
      this.link.replaceChildren(ready, ' ', el('a', { href: answer.url, download: true }, ctx.t('campaignReport')));
      ctx.announce(ready);
      window.location.assign(answer.url);
    } catch (err) {
      showFailure(this.host, err, this.alert);
    }
  }
}

/** Builds the reminders section and loads the campaigns. */
export function campaignsSection(host: SectionHost): AdminSection {
  const { ctx } = host;
  const { t } = ctx;
  const section = adminSection('campaigns', t('campaignsTitle'));
  const listId = uid('campaign-list');
  const list = el('ul', { class: 'hs-campaign-list', 'aria-labelledby': listId });
  const empty = el('p', { class: 'hs-empty' }, t('campaignsEmpty'));
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const cards = new Map<string, CampaignCard>();
  let polling = false;

  const show = (campaigns: CampaignProgressJson[]) => {
    // Newest first, as the server sends them; new ones go on top.
    campaigns.forEach((c, i) => {
      let card = cards.get(c.id);
      if (card) card.update(c);
      else {
        card = new CampaignCard(c, host);
        cards.set(c.id, card);
      }
      if (list.children[i] !== card.node) list.insertBefore(card.node, list.children[i] ?? null);
    });
    empty.hidden = cards.size > 0;
  };

  const get = () => ctx.api.get<CampaignProgressJson[]>('/api/admin/campaigns');
  const anyActive = () => Array.from(cards.values()).some((card) => isActive(card.view));

  const follow = async () => {
    if (polling) return;
    polling = true;
    try {
      while (!ctx.signal.aborted && anyActive()) {
        await pause(CAMPAIGN_POLL_MS, ctx.signal);
        if (ctx.signal.aborted) return;
        show(await get());
      }
    } catch (err) {
      showFailure(host, err, alert);
    } finally {
      polling = false;
    }
  };

  const form = campaignForm(host, (created) => {
    host.changed();
    if (!cards.has(created.id)) {
      const card = new CampaignCard(created, host);
      cards.set(created.id, card);
      list.prepend(card.node);
      empty.hidden = true;
    }
    void follow();
  });

  section.append(form, el('h3', { id: listId }, t('campaignsListTitle')), empty, list, alert);
  const ready = (async () => {
    try {
      show(await get());
      void follow();
    } catch (err) {
      showFailure(host, err, alert);
    }
  })();
  return { element: section, ready };
}
