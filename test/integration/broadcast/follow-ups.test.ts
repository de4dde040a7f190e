/**
 * "Remind those who haven't acted": a campaign with follow-ups after 3 and 7 days. Each follow-up reaches only the
 * people the first one reached who have not sent a photo by then, leaves out who said "stop reminding me", and
 * nobody gets more than BROADCAST_MAX_REMINDERS (here 2) in 30 days. Stopping a campaign stops its follow-ups.
 * The real dispatcher, store and bot endpoint, the local tenant's connector, the test clock moved by days.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { preview } from '../../support/approvals';
import { as, type ErrorBody } from '../../support/tab-state';
import { connectorRecords, PATTI } from '../../support/broadcasts';
import { cardTexts } from '../../support/teams-chat';

const h = useHarness({
  COVERAGE_REFRESH_HOURS: '0',
  BROADCAST_POLL_MS: '50',
  BROADCAST_BACKOFF_MS: '50',
  BROADCAST_MAX_REMINDERS: '2',
});
const everyone = { kind: 'everyone', includeGuests: false, includeDisabled: false } as const;
const DAY = 86_400_000;
const U = DEMO_USERS;

/** Reminder cards each person got, by their Teams id, as the connector recorded them. */
async function remindersPerPerson(): Promise<Map<string, number>> {
  const titles = (['en', 'fi', 'nl', 'pl'] as const).map((l) => t(l, 'admin.reminder.title'));
  const per = new Map<string, number>();
  for (const r of await connectorRecords(h)) {
    const content = (r.activity.attachments as Array<{ content?: unknown }> | undefined)?.[0]?.content;
    if (!titles.some((title) => cardTexts(content).includes(title))) continue;
    const to = (r.activity.recipient as { aadObjectId?: string } | undefined)?.aadObjectId ?? r.conversationId;
    per.set(to, (per.get(to) ?? 0) + 1);
  }
  return per;
}

test('follow-ups reach only who has not sent a photo, respect the opt-out and the limit per person', async () => {
  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: everyone,
    followUpDays: [7, 3],
  });
  const all = await h.service.admin.broadcastStores.campaigns.listCampaigns(10);
  const followUps = all.filter((c) => c.audience.kind === 'followup');
  expect(
    followUps.map((c) => [c.state, c.sendAt.getTime() - campaign.sendAt.getTime(), c.audience.campaignId]),
  ).toEqual(
    expect.arrayContaining([
      ['scheduled', 3 * DAY, campaign.id],
      ['scheduled', 7 * DAY, campaign.id],
    ]),
  );
  await h.service.admin.dispatcher!.settle(30_000);
  const first = await h.service.admin.broadcasts.progressNow(campaign.id);
  expect(first.state).toBe('done');

  // Isaiah sends a photo; Grady only talks to the bot; Alex asks for no more reminders.
  const isaiah = h.chat({ aadObjectId: U.isaiah, locale: 'en-US' });
  const p = await preview(isaiah);
  expect(await isaiah.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  await h.chat({ aadObjectId: U.grady, locale: 'en-US' }).say('help');
  await h.chat({ aadObjectId: U.alex, locale: 'en-US' }).say('stop reminding me');

  // Three days later: the first follow-up reaches everyone the first campaign reached, but Isaiah and Alex.
  h.clock.advance(3 * DAY + 1000);
  await h.service.admin.dispatcher!.settle(30_000);
  const [after3] = (await h.service.admin.broadcastStores.campaigns.listCampaigns(10)).filter(
    (c) => c.audience.kind === 'followup' && c.state === 'done',
  );
  expect(after3).toBeDefined();
  const second = await h.service.admin.broadcasts.progressNow(after3!.id);
  expect(second).toMatchObject({ state: 'done', total: first.sent - 2, sent: first.sent - 2 });
  let per = await remindersPerPerson();
  expect(per.get(U.isaiah)).toBe(1);
  expect(per.get(U.alex)).toBe(1);
  expect(per.get(U.grady)).toBe(2);

  // Seven days after: everyone still without a photo already got 2 reminders in 30 days, the most: nobody gets a third.
  h.clock.advance(4 * DAY);
  await h.service.admin.dispatcher!.settle(30_000);
  const done = (await h.service.admin.broadcastStores.campaigns.listCampaigns(10)).filter(
    (c) => c.audience.kind === 'followup',
  );
  expect(done.map((c) => c.state)).toEqual(['done', 'done']);
  const third = await h.service.admin.broadcasts.progressNow(done.find((c) => c.id !== after3!.id)!.id);
  expect(third).toMatchObject({ state: 'done', total: 0 });
  per = await remindersPerPerson();
  expect(Math.max(...per.values())).toBe(2);
  // The tab and the progress card name the audience.
  const list = await as(h, PATTI).get<Array<{ id: string; audience: { kind: string } }>>('/api/admin/campaigns');
  expect(list.json.filter((c) => c.audience.kind === 'followup')).toHaveLength(2);
});

test('stopping a campaign stops its follow-ups; a bad schedule is refused in the caller’s language', async () => {
  const later = new Date(h.clock.now().getTime() + DAY);
  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: everyone,
    sendAt: later,
    followUpDays: [3],
  });
  expect(await h.service.admin.broadcasts.cancel(PATTI, campaign.id)).toBe(true);
  const states = (await h.service.admin.broadcastStores.campaigns.listCampaigns(20))
    .filter((c) => c.id === campaign.id || c.audience.campaignId === campaign.id)
    .map((c) => c.state);
  expect(states).toEqual(['cancelled', 'cancelled']);

  const patti = as(h, PATTI, 'nl');
  const before = (await h.service.admin.broadcastStores.campaigns.listCampaigns(50)).length;
  const twice = await patti.post<ErrorBody>('/api/admin/campaigns', {
    body: { message: { kind: 'reminder' }, audience: { kind: 'everyone' }, followUpDays: [3, 3] },
  });
  expect([twice.status, twice.json.error.code]).toEqual([400, 'broadcast.invalid']);
  expect(twice.json.error.message).toBe(t('nl', 'errors.broadcast.invalid'));
  const tooLate = await patti.post<ErrorBody>('/api/admin/campaigns', {
    body: { message: { kind: 'reminder' }, audience: { kind: 'everyone' }, followUpDays: [90] },
  });
  expect(tooLate.status).toBe(400);
  const unknown = await patti.post<ErrorBody>('/api/admin/campaigns', {
    body: { message: { kind: 'reminder' }, audience: { kind: 'followup', campaignId: 'no-such-campaign' } },
  });
  expect(unknown.json.error.code).toBe('broadcast.not_found');
  expect(unknown.json.error.message).toBe(t('nl', 'errors.broadcast.not_found'));
  // Nothing was created by the refused drafts.
  expect(await h.service.admin.broadcastStores.campaigns.listCampaigns(50)).toHaveLength(before);
});
