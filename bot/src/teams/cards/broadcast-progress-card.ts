/** The admin's progress card, updated in place while a campaign sends; ends as the report. */
import type { Locale } from '../../core/locale';
import type { CampaignAudience, CampaignProgress, FunnelSummary } from '../../core/broadcast/broadcast-types';
import { formatNumber, t } from '../../i18n/i18n';
import { cardInstant } from './approval-card';
import { ADMIN_VERBS, bar } from './coverage-card';
import { card, facts, heading, execute, text } from './elements';
import { plain } from './plain-text';
import type { AdaptiveCard } from './types';

/** The audience in words. */
export function audienceLabel(locale: Locale, a: CampaignAudience): string {
  const base =
    a.kind === 'category'
      ? t(locale, `admin.category.${a.category ?? 'no_photo'}`)
      : a.kind === 'group'
        ? t(locale, 'admin.progress.group', { id: plain(a.groupId ?? '') })
        : a.kind === 'followup'
          ? t(locale, 'admin.progress.followup')
          : a.kind === 'refresh'
            ? t(locale, 'admin.progress.refresh', { months: a.olderThanMonths ?? 0 })
            : t(locale, 'admin.compose.audience_everyone');
  const extra = [
    a.includeGuests ? t(locale, 'admin.compose.guests') : '',
    a.includeDisabled ? t(locale, 'admin.compose.disabled') : '',
  ]
    .filter(Boolean)
    .join(', ');
  return extra ? `${base} (${extra})` : base;
}

/** The progress card of a campaign. */
export function progressCard(locale: Locale, p: CampaignProgress): AdaptiveCard {
  const n = (v: number) => formatNumber(locale, v);
  const active = p.state === 'scheduled' || p.state === 'enqueuing' || p.state === 'sending';
  const title = t(locale, `admin.progress.state.${p.state}`);
  const rows: Array<[string, string]> = [
    [t(locale, 'admin.progress.audience'), audienceLabel(locale, p.audience)],
    [t(locale, 'admin.progress.sent'), `${n(p.sent)} / ${n(p.total)}`],
    [t(locale, 'admin.progress.failed'), n(p.failed)],
  ];
  if (p.waiting > 0 || active) rows.push([t(locale, 'admin.progress.waiting'), n(p.waiting)]);
  if (p.outsideWorkingHours > 0) rows.push([t(locale, 'admin.progress.outside_hours'), n(p.outsideWorkingHours)]);
  if (p.cancelled > 0) rows.push([t(locale, 'admin.progress.cancelled'), n(p.cancelled)]);
  // While everyone left waits for their working hours there is no speed to show.
  const held = p.waiting > 0 && p.waiting === p.outsideWorkingHours;
  if (active && p.state !== 'scheduled' && !held) {
    rows.push([t(locale, 'admin.progress.rate'), t(locale, 'admin.progress.rate_value', { rate: n(p.ratePerSecond) })]);
    if (p.secondsLeft !== null)
      rows.push([
        t(locale, 'admin.progress.left'),
        t(locale, 'admin.progress.left_value', { minutes: n(Math.max(1, Math.ceil(p.secondsLeft / 60))) }),
      ]);
  }
  if (p.throttled > 0) rows.push([t(locale, 'admin.progress.throttled'), n(p.throttled)]);
  const body = [
    heading(t(locale, 'admin.progress.title')),
    text(title, { weight: 'bolder', spacing: 'small', color: p.state === 'done' ? 'good' : 'default' }),
  ];
  if (p.state === 'scheduled')
    body.push(text(t(locale, 'admin.progress.starts', { at: cardInstant(p.sendAt) }), { spacing: 'small' }));
  body.push(
    text(bar(p.total > 0 ? (p.sent + p.failed + p.cancelled) / p.total : 0), { color: 'accent', spacing: 'small' }),
  );
  body.push(facts(rows));
  if (p.funnel) body.push(...funnelSection(locale, p.funnel));
  const actions = active
    ? [execute(t(locale, 'admin.progress.cancel'), ADMIN_VERBS.cancel, { campaignId: p.id }, 'destructive')]
    : [
        execute(t(locale, 'admin.progress.report'), ADMIN_VERBS.report, { campaignId: p.id }),
        execute(t(locale, 'admin.funnel.refresh'), ADMIN_VERBS.refresh, { campaignId: p.id }),
      ];
  return card(body, actions, title);
}

/** What recipients did after the reminder: each step with its count and share of those who got it. */
function funnelSection(locale: Locale, f: FunnelSummary): AdaptiveCard['body'] {
  const n = (v: number) => formatNumber(locale, v);
  const share = (v: number) =>
    f.delivered > 0
      ? ` (${formatNumber(locale, v / f.delivered, { style: 'percent', maximumFractionDigits: 0 })})`
      : '';
  const rows: Array<[string, string]> = [
    [t(locale, 'admin.funnel.delivered'), n(f.delivered)],
    [t(locale, 'admin.funnel.opened'), `${n(f.opened)}${share(f.opened)}`],
    [t(locale, 'admin.funnel.photo_sent'), `${n(f.photo_sent)}${share(f.photo_sent)}`],
    [t(locale, 'admin.funnel.approved'), `${n(f.approved)}${share(f.approved)}`],
    [t(locale, 'admin.funnel.visible'), `${n(f.visible)}${share(f.visible)}`],
  ];
  if (f.waitingApproval > 0) rows.push([t(locale, 'admin.funnel.waiting_approval'), n(f.waitingApproval)]);
  if (f.rejected > 0) rows.push([t(locale, 'admin.funnel.rejected'), n(f.rejected)]);
  if (f.failed > 0) rows.push([t(locale, 'admin.funnel.failed'), n(f.failed)]);
  if (f.notChecked > 0) rows.push([t(locale, 'admin.funnel.not_checked_count'), n(f.notChecked)]);
  const note = f.visibleAsOf
    ? t(locale, 'admin.funnel.as_of', { at: cardInstant(f.visibleAsOf) })
    : t(locale, 'admin.funnel.not_checked');
  return [
    text(t(locale, 'admin.funnel.title'), { weight: 'bolder', spacing: 'medium' }),
    facts(rows),
    text(note, { isSubtle: true, size: 'small', spacing: 'small' }),
  ];
}
