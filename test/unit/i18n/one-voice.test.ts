/**
 * One voice: a thing the bot's cards and the tab both name (a campaign's state, a coverage category, a counter)
 * has the same name in both, in every language. The bot's words are bot/src/i18n/locales, the tab's its own
 * bundles; each pair below is one thing shown in both places. Placeholders stay as written ({{x}}).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../../../bot/src/core/locale';
import { adminStrings } from '../../../tab/src/pages/admin-strings';
import { approvalsStrings } from '../../../tab/src/pages/approvals-strings';
import { MY_PHOTO_STRINGS } from '../../../tab/src/pages/my-photo/my-photo-strings';

const LOCALES: readonly Locale[] = ['en', 'fi', 'nl', 'pl'];
const CATEGORIES = ['has_photo', 'no_photo', 'placeholder_or_stale', 'hybrid_stuck', 'not_applicable', 'unknown'];
const CAMPAIGN_STATES = ['scheduled', 'enqueuing', 'sending', 'done', 'cancelled'];

/** [the bot's key, the Admin page's key]. */
const ADMIN_PAIRS: readonly [string, string][] = [
  ...CATEGORIES.map((c): [string, string] => [`admin.category.${c}`, `category_${c}`]),
  ...CAMPAIGN_STATES.map((s): [string, string] => [`admin.progress.state.${s}`, `campaignState_${s}`]),
  ['admin.progress.starts', 'campaignStarts'],
  ['admin.progress.audience', 'campaignAudience'],
  ['admin.progress.sent', 'campaignSent'],
  ['admin.progress.failed', 'campaignFailed'],
  ['admin.progress.waiting', 'campaignWaiting'],
  ['admin.progress.cancelled', 'campaignCancelled'],
  ['admin.progress.rate', 'campaignRate'],
  ['admin.progress.rate_value', 'campaignRateValue'],
  ['admin.progress.left', 'campaignLeft'],
  ['admin.progress.left_value', 'campaignLeftValue'],
  ['admin.progress.throttled', 'campaignThrottled'],
  ['admin.progress.cancel', 'campaignCancel'],
  ['admin.progress.followup', 'audienceFollowUp'],
  ['admin.compose.followup_label', 'followUpLabel'],
  ['admin.compose.followup_days', 'followUpDays'],
  ['admin.compose.followup_hint', 'followUpHint'],
  ['admin.funnel.title', 'funnelTitle'],
  ['admin.funnel.delivered', 'funnelDelivered'],
  ['admin.funnel.opened', 'funnelOpened'],
  ['admin.funnel.photo_sent', 'funnelPhotoSent'],
  ['admin.funnel.approved', 'funnelApproved'],
  ['admin.funnel.visible', 'funnelVisible'],
  ['admin.funnel.waiting_approval', 'funnelWaitingApproval'],
  ['admin.funnel.rejected', 'funnelRejected'],
  ['admin.funnel.failed', 'funnelFailed'],
  ['admin.funnel.not_checked_count', 'funnelNotCheckedCount'],
  ['admin.funnel.as_of', 'funnelAsOf'],
  ['admin.funnel.not_checked', 'funnelNotChecked'],
  ['admin.funnel.refresh', 'funnelRefresh'],
  ['admin.funnel.recipients', 'funnelRecipients'],
  ['admin.coverage.title', 'coverageTitle'],
  ['admin.coverage.done', 'coverageDone'],
  ['admin.coverage.failed', 'coverageFailed'],
  ['admin.coverage.share', 'coverageShare'],
  ['admin.coverage.refresh', 'scanNow'],
  ['admin.coverage.csv', 'downloadCsv'],
  ['admin.compose.message_label', 'messageLabel'],
  ['admin.compose.audience_label', 'audienceLabel'],
  ['admin.compose.audience_everyone', 'audienceEveryone'],
  ['admin.compose.guests', 'includeGuests'],
  ['admin.compose.disabled', 'includeDisabled'],
];

/** [the bot's key, the Approvals page's key]. */
const APPROVAL_PAIRS: readonly [string, string][] = [
  ['cards.approval.approve', 'approve'],
  ['cards.approval.current', 'oldPhoto'],
  ['cards.approval.new', 'newPhoto'],
  ['cards.approval.no_photo', 'noOldPhoto'],
];

/** [the bot's key, the My photo page's key]. */
const PHOTO_PAIRS: readonly [string, string][] = [['status.title', 'status.title']];

const BOT_WORDS = Object.fromEntries(
  LOCALES.map((l) => [
    l,
    JSON.parse(fs.readFileSync(path.join(__dirname, '../../../bot/src/i18n/locales', `${l}.json`), 'utf8')) as object,
  ]),
) as Record<Locale, object>;

/** The bot's words as written (placeholders unfilled). */
function bot(locale: Locale, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], BOT_WORDS[locale]);
}

describe.each(LOCALES)('%s', (locale) => {
  test.each(ADMIN_PAIRS)('the card says %s as the Admin page says %s', (botKey, tabKey) => {
    expect(adminStrings[locale][tabKey]).toBe(bot(locale, botKey));
  });
  test.each(APPROVAL_PAIRS)('the card says %s as the Approvals page says %s', (botKey, tabKey) => {
    expect(approvalsStrings[locale][tabKey]).toBe(bot(locale, botKey));
  });
  test.each(PHOTO_PAIRS)('the card says %s as My photo says %s', (botKey, tabKey) => {
    expect(MY_PHOTO_STRINGS[locale][tabKey as keyof (typeof MY_PHOTO_STRINGS)['en']]).toBe(bot(locale, botKey));
  });
});
