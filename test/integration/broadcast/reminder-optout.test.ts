/**
 * "Stop reminding me": a person asks in the chat (any of the four languages) or presses the reminder's button, and
 * every later campaign leaves them out, when it counts its audience and when it sends; "remind me again" takes them
 * back. The real bot endpoint, the real dispatcher and store, the local tenant's Bot Connector.
 */
import { t } from '../../../bot/src/i18n/i18n';
import { DEMO_USERS } from '../../../emulator';
import { useHarness } from '../../support/headshot';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts } from '../../support/teams-chat';
import { connectorRecords, PATTI } from '../../support/broadcasts';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import { reminderCard } from '../../../bot/src/teams/cards/reminder-card';

const h = useHarness({ COVERAGE_REFRESH_HOURS: '0', BROADCAST_POLL_MS: '50', BROADCAST_BACKOFF_MS: '50' });
const everyone = { kind: 'everyone', includeGuests: false, includeDisabled: false } as const;
const size = () => h.service.admin.broadcasts.audienceSize(everyone);

test('said in the chat: recorded once, left out of the count and of a campaign, and reversible', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const before = await size();
  expect(before).toBe(7);

  await alex.say('stop reminding me');
  const [stopped] = await alex.newCards();
  expectValidCard(stopped.card);
  expect(cardTexts(stopped.card)).toContain(t('en', 'reminders.stopped'));
  await alex.say('please stop the reminders');
  expect(cardTexts((await alex.newCards())[0].card)).toContain(t('en', 'reminders.already_stopped'));
  expect(await size()).toBe(before! - 1);

  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: everyone,
  });
  await h.service.admin.dispatcher!.settle(30_000);
  expect(await h.service.admin.broadcasts.progressNow(campaign.id)).toMatchObject({
    state: 'done',
    total: before! - 1,
    sent: before! - 1,
  });
  const toAlex = (await connectorRecords(h)).filter(
    (r) =>
      r.conversationId === alex.conversationId &&
      cardTexts((r.activity.attachments as { content?: unknown }[] | undefined)?.[0]?.content).includes(
        t('en', 'admin.reminder.title'),
      ),
  );
  expect(toAlex).toEqual([]);
  // Audited as his own wish.
  expect(await new SqlAuditLog(h.service.db).list({ actorId: DEMO_USERS.alex })).toEqual(
    expect.arrayContaining([expect.objectContaining({ action: 'reminders.opt_out', subjectId: DEMO_USERS.alex })]),
  );

  await alex.say('remind me again');
  expect(cardTexts((await alex.newCards())[0].card)).toContain(t('en', 'reminders.resumed'));
  expect(await size()).toBe(before);
  await alex.say('remind me again');
  expect(cardTexts((await alex.newCards())[0].card)).toContain(t('en', 'reminders.not_stopped'));
});

test.each([
  ['fi-FI', 'fi', 'lopeta muistutukset', 'muistuta taas'],
  ['nl-NL', 'nl', 'stop herinneringen', 'herinner me weer'],
  ['pl-PL', 'pl', 'wyłącz przypomnienia', 'przypominaj znowu'],
] as const)('in %s too', async (tag, locale, stop, again) => {
  const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: tag });
  await megan.say(stop);
  expect(cardTexts((await megan.newCards())[0].card)).toContain(t(locale, 'reminders.stopped'));
  await megan.say(again);
  expect(cardTexts((await megan.newCards())[0].card)).toContain(t(locale, 'reminders.resumed'));
});

test("the reminder's own button stops them, and the reminder becomes the note that says so", async () => {
  const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'nl-NL' });
  const stop = cardActions(reminderCard('nl', { kind: 'reminder' })).find((a) => a.verb === 'reminder.stop');
  expect(stop).toMatchObject({ type: 'Action.Execute', title: t('nl', 'admin.reminder.stop') });
  const answer = await megan.invoke({ id: 'reminder-1' }, 'reminder.stop', {});
  expect(answer.body.statusCode).toBe(200);
  expectValidCard(answer.body.value);
  expect(cardTexts(answer.body.value)).toContain(t('nl', 'reminders.stopped'));
  // The way to update the photo is still on it.
  expect(cardActions(answer.body.value).map((a) => a.verb)).toEqual(['photo.start']);
  expect(await size()).toBe(6);
});
