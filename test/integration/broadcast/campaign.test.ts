/**
 * A campaign end to end: the admin composes it in the chat, a few hundred recipients get the
 * reminder in their own language (installed through Graph, conversation created), the local
 * tenant enforces a rate limit below the configured pace and injects 429s and 503s, and yet
 * every recipient gets it exactly once, the progress card updates in place and the counts add up.
 */
import { t } from '../../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../../support/headshot';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts, type AdaptiveCardJson } from '../../support/teams-chat';
import type { SeedUser } from '../../../emulator';
import { cli, connectorRecords, member, PATTI, pattiChat, seed, seedWith, until } from '../../support/broadcasts';

const N = 300;
const users: SeedUser[] = Array.from({ length: N }, (_, i) => member(`r${String(i).padStart(3, '0')}`, i));
const TITLE: Record<string, string> = {
  'en-US': 'Add your profile photo',
  'fi-FI': 'Lisää profiilikuvasi',
  'nl-NL': 'Voeg je profielfoto toe',
  'pl-PL': 'Dodaj swoje zdjęcie profilowe',
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    COVERAGE_REFRESH_HOURS: '0',
    BROADCAST_RATE: '150',
    BROADCAST_POLL_MS: '50',
    BROADCAST_PROGRESS_SECONDS: '1',
    BROADCAST_BACKOFF_MS: '50',
  });
  await seed(h, seedWith(users));
});
afterAll(() => h.close());

test('a campaign reaches every recipient exactly once, within Teams limits, with 429s and 503s on the way', async () => {
  const patti = pattiChat(h);
  await patti.say('coverage');
  await until(async () => (await h.service.admin.coverage.view())?.state === 'done', 20_000, 'scan');
  await patti.newCards();
  await patti.say('broadcast');
  const [compose] = await patti.newCards();
  expectValidCard(compose?.card);
  const send = cardActions(compose?.card).find((a) => a.verb === 'broadcast.send');

  // Teams' documented 50 requests a second per app, below the pace we configured (150 reminders/s, each a
  // create, a member lookup and a send), plus a burst of 503s and a 429 with its own Retry-After.
  await h.control('PUT', '/_control/connector/rate-limits', { enabled: true, appPerSecond: 50 });
  await h.control('POST', '/_control/faults', {
    method: 'POST',
    path: '^/v3/conversations/19:[^/]+/activities$',
    status: 503,
    times: 5,
  });
  await h.control('POST', '/_control/faults', {
    method: 'POST',
    path: '^/v3/conversations$',
    status: 429,
    retryAfterSeconds: 1,
    times: 1,
  });

  // The inputs come back merged into the button's data, as Teams sends them; a double click creates one campaign,
  // and both clicks are answered with its progress card, which takes the compose card's place.
  const data = { ...send!.data, message: 'reminder', audience: 'category:no_photo' };
  expect(await patti.execute(compose!.activity, 'broadcast.send', data)).toBe(200);
  expect(await patti.execute(compose!.activity, 'broadcast.send', data)).toBe(200);
  const answers = patti.newAnswers();
  expect(answers).toHaveLength(2);
  for (const a of answers) expect(cardActions(a.card).some((x) => x.verb === 'broadcast.cancel')).toBe(true);
  const progress = { activity: compose!.activity, card: answers[0]!.card };
  expectValidCard(progress.card);
  const [campaign] = await h.service.admin.broadcastStores.campaigns.listCampaigns(5);
  expect(await h.service.admin.broadcastStores.campaigns.listCampaigns(5)).toHaveLength(1);

  await h.service.admin.dispatcher!.settle(60_000);
  const p = await h.service.admin.broadcasts.progressNow(campaign!.id);
  const recipients = N + 2; // Alex and Patti have no photo either
  expect(p).toMatchObject({
    state: 'done',
    total: recipients,
    sent: recipients,
    failed: 0,
    waiting: 0,
    cancelled: 0,
  });
  expect(p.throttled).toBeGreaterThan(0);
  const limits = await h.control<{ throttled: number }>('GET', '/_control/connector/rate-limits');
  expect(limits.throttled).toBeGreaterThan(0);

  // Exactly one reminder per recipient, in their language; recipients Headshot never talked to got the app installed.
  const records = await connectorRecords(h);
  const conversations = (
    await h.control<{ value: Array<{ id: string; members: Array<{ id: string }> }> }>(
      'GET',
      '/_control/connector/conversations',
    )
  ).value;
  // A chat's member is the Teams id (29:<object id> in the local tenant) of the person it reached.
  const userOf = new Map(conversations.map((c) => [c.id, c.members[0]?.id.replace(/^29:/, '')]));
  userOf.set(patti.conversationId, PATTI);
  const reminders = records.filter((r) => {
    const content = (r.activity.attachments as Array<{ content?: unknown }> | undefined)?.[0]?.content;
    return Object.values(TITLE).some((title) => cardTexts(content).includes(title));
  });
  const perUser = new Map<string, number>();
  for (const r of reminders)
    perUser.set(userOf.get(r.conversationId) ?? '?', (perUser.get(userOf.get(r.conversationId) ?? '?') ?? 0) + 1);
  expect(perUser.size).toBe(recipients);
  expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  for (const [i, u] of users.entries()) {
    if (i % 50 !== 0) continue;
    const r = reminders.find((x) => userOf.get(x.conversationId) === u.id);
    const card = (r?.activity.attachments as Array<{ content: AdaptiveCardJson }>)[0]?.content;
    expectValidCard(card);
    expect(cardTexts(card)).toContain(TITLE[u.preferredLanguage as string]);
    expect(cardActions(card).map((a) => a.verb)).toEqual(['photo.start', 'reminder.stop']);
    const installed = await h.control<{ value: unknown[] }>('GET', `/_control/users/${u.id}/installed-apps`);
    expect(installed.value).toHaveLength(1);
  }

  // The admin's progress card was updated in place and ends as the report, with the counts.
  await until(
    async () => {
      const card = (await patti.all()).find((a) => a.id === progress?.activity.id);
      return cardTexts(card?.attachments?.[0]?.content).includes('Done');
    },
    5_000,
    'final progress card',
  );
  const final = (await patti.all()).find((a) => a.id === progress?.activity.id);
  expect(final?.updates).toBeGreaterThan(0);
  const finalCard = final?.attachments?.[0]?.content as AdaptiveCardJson;
  expectValidCard(finalCard);
  expect(cardTexts(finalCard)).toContain(`${recipients} / ${recipients}`);
  const report = cardActions(finalCard).find((a) => a.verb === 'broadcast.report');
  expect(report).toBeDefined();

  // The report: one line per recipient, every one sent.
  const csv = await cli(h, 'broadcast', 'report', campaign!.id, '--as', 'pattif@example.com', '--csv');
  // With its error output: this once exited 2 in CI (Node 24) and the reason was lost.
  expect([csv.code, csv.err]).toEqual([0, '']);
  const rows = csv.out
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1);
  expect(rows).toHaveLength(recipients);
  expect(rows.every((r) => r.split(',')[4] === 'sent')).toBe(true);
  // Through the bot, as a signed link.
  expect(await patti.press(final as never, report!)).toBe(200);
  // (Patti has no photo either: her own reminder came in before the link.)
  const link = (await patti.newCards()).pop();
  const url = cardActions(link?.card).find((a) => a.type === 'Action.OpenUrl')?.url as string;
  const body = await (await fetch(url)).text();
  expect(body.trim().split('\r\n')).toHaveLength(recipients + 1);
  // Operators see the deliveries in the counters.
  const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`^headshot_broadcast_sends_total\\{outcome="delivered"\\} ${recipients}$`, 'm'));
}, 60_000);

test('preview shows the admin the card and who gets it; a cancelled campaign stops and says so', async () => {
  const patti = pattiChat(h);
  await patti.say('broadcast');
  const [compose] = await patti.newCards();
  const preview = cardActions(compose?.card).find((a) => a.verb === 'broadcast.preview');
  const data = {
    ...preview!.data,
    message: 'custom',
    customText: 'Hi! Please add a photo.',
    audience: 'category:no_photo',
  };
  expect(await patti.execute(compose!.activity, 'broadcast.preview', data)).toBe(200);
  // The compose card stays (to change and preview again); the sample and the confirmation follow.
  expect(patti.newAnswers()).toEqual([]);
  const [sample, confirm] = await patti.newCards();
  expectValidCard(sample?.card);
  expectValidCard(confirm?.card);
  expect(cardTexts(sample?.card)).toContain('Hi! Please add a photo.');
  expect(cardTexts(confirm?.card).join(' ')).toContain(`It will go to ${N + 2} people.`);

  // Scheduled for later: nothing is sent before the time; cancelling ends it with nobody messaged.
  const send = cardActions(confirm?.card).find((a) => a.verb === 'broadcast.send');
  expect(
    await patti.execute(confirm!.activity, 'broadcast.send', {
      ...send!.data,
      sendDate: '2999-01-01',
      sendTime: '09:00',
    }),
  ).toBe(200);
  // The confirmation becomes the progress card.
  const [progress] = patti.newAnswers();
  expectValidCard(progress?.card);
  expect(cardTexts(progress?.card)).toContain('Scheduled');
  const cancel = cardActions(progress?.card).find((a) => a.verb === 'broadcast.cancel');
  expect(await patti.press(confirm!.activity, cancel!)).toBe(200);
  const [cancelled] = await patti.newCards();
  expect(cardTexts(cancelled?.card).join(' ')).toContain('Sending stopped');
  // And the progress card shows the stopped campaign, with its report instead of "Stop sending".
  const [stopped] = patti.newAnswers();
  expect(cardTexts(stopped?.card)).toContain(t('en', 'admin.progress.state.cancelled'));
  expect(cardActions(stopped?.card).map((a) => a.verb)).toEqual(['broadcast.report', 'broadcast.refresh']);
  const id = cancel!.data!.campaignId as string;
  expect(await h.service.admin.broadcasts.progressNow(id)).toMatchObject({ state: 'cancelled', total: 0, sent: 0 });
});
