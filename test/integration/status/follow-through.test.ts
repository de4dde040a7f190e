/**
 * Follow-through on the local tenant's virtual clock, as `npm start` runs it: after a photo change Headshot checks
 * Entra ID, Exchange and SharePoint at 1, 5, 15 and 60 minutes, then every 6 hours up to 72, and tells the person
 * once when the photo shows everywhere that can be checked (or, after the limit, what still differs and why).
 * The test moves the tenant's clock (POST /_control/clock/advance) and runs the service's scheduler tick.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import type { Locale } from '../../../bot/src/core/locale';
import { createLogger } from '../../../bot/src/logger';
import { startHeadshot } from '../../../bot/src/wiring/service';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { approvalCopies, approverChat, preview, setPolicy } from '../../support/approvals';
import { changePhoto, later as laterOn } from '../../support/follow-through';
import { captureLogs, startHarness, type Harness } from '../../support/headshot';
import { askStatus, useLegacySharePoint, verbsOf } from '../../support/status-reports';
import { cardActions, cardTexts, type AdaptiveCardJson, type TeamsChat } from '../../support/teams-chat';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ FOLLOW_THROUGH: '1' }, { clock: 'tenant' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('POST', '/_control/reset'); // the tenant's clock goes back to real time too
  await h.service.tick(); // the service notices
});

const later = (minutes: number) => laterOn(h, minutes);

/** The follow-up messages among the chat's new cards (valid cards, in the person's language). */
async function followUps(chat: TeamsChat, locale: Locale): Promise<{ kind: string; card: AdaptiveCardJson }[]> {
  const out: { kind: string; card: AdaptiveCardJson }[] = [];
  for (const { card } of await chat.newCards()) {
    expectValidCard(card);
    const texts = cardTexts(card).join('\n');
    if (texts.includes(t(locale, 'follow_up.visible_title'))) out.push({ kind: 'visible', card });
    else if (texts.includes(t(locale, 'status.title'))) out.push({ kind: 'status', card });
    else out.push({ kind: 'other', card });
  }
  return out;
}

const textOf = (card: AdaptiveCardJson): string => cardTexts(card).join('\n');

test('a mailbox user in a modern tenant: visible everywhere at the first check, one message, nothing after', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const requestId = await changePhoto(alex);
  expect(await followUps(alex, 'en')).toEqual([]);

  await later(1);
  const [message, ...more] = await followUps(alex, 'en');
  expect(more).toEqual([]);
  expect(message?.kind).toBe('visible');
  const text = textOf(message!.card);
  expect(text).toContain('Your new photo now shows in Outlook, SharePoint and Delve, and your Microsoft 365 profile.');
  expect(text).toContain('Teams may keep the old one');

  const f = await h.service.followUps.get(requestId);
  expect(f).toMatchObject({ state: 'visible', checks: 1, kind: 'self_service', messages: ['visible'] });
  expect(f?.subject).toEqual({ upn: 'alexw@example.com', guest: false, hybrid: false, mailbox: 'online' });
  for (const system of ['entra', 'exchange', 'sharepoint'] as const)
    expect(f?.systems[system]).toEqual({ state: 'visible', at: f?.lastCheckedAt });

  await later(3 * 24 * 60);
  expect(await followUps(alex, 'en')).toEqual([]);
});

test('legacy SharePoint: Outlook at once; after an hour one status card says why SharePoint waits; then one more when it shows', async () => {
  await useLegacySharePoint(h);
  await h.service.tick();
  const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const requestId = await changePhoto(megan);

  await later(1);
  expect(await followUps(megan, 'fi')).toEqual([]);
  const first = await h.service.followUps.get(requestId);
  expect(first?.systems.exchange.state).toBe('visible');
  expect(first?.systems.entra.state).toBe('visible');
  expect(first?.systems.sharepoint).toEqual({ state: 'waiting', reason: 'sharepoint_legacy_sync' });

  await later(4); // 5 minutes
  await later(10); // 15 minutes
  expect(await followUps(megan, 'fi')).toEqual([]);
  await later(45); // 60 minutes: the partial message
  const [partial, ...more] = await followUps(megan, 'fi');
  expect(more).toEqual([]);
  expect(partial?.kind).toBe('status');
  const intro = textOf(partial!.card);
  expect(intro).toContain('Uusi kuvasi näkyy jo näissä: Outlook ja Microsoft 365 -profiilisi.');
  expect(intro).toContain('Tässä ei vielä: SharePoint ja Delve.');
  // The status card's own words and fix: SharePoint copies at most once a day; Headshot can send it now.
  expect(verbsOf(partial!.card)).toContain('status.fix_sharepoint');

  // She opens her profile a day later: SharePoint copies the photo, and the next check sees it.
  await later(24 * 60);
  expect(await h.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.megan}`)).toMatchObject({
    result: 'synced',
  });
  await later(6 * 60);
  const [done, ...rest] = await followUps(megan, 'fi');
  expect(rest).toEqual([]);
  expect(done?.kind).toBe('visible');
  expect(textOf(done!.card)).toContain('Uusi kuvasi näkyy nyt näissä: Outlook, SharePoint ja Delve ja Microsoft');
  const f = await h.service.followUps.get(requestId);
  expect(f).toMatchObject({ state: 'visible', messages: ['partial', 'visible'] });
  const minutes = (v: unknown) =>
    ((v as { at: Date }).at.getTime() - (f as { changedAt: Date }).changedAt.getTime()) / 60_000;
  expect(minutes(f?.systems.exchange)).toBeCloseTo(1, 0);
  expect(minutes(f?.systems.sharepoint)).toBeCloseTo(60 + 24 * 60 + 6 * 60, 0);
});

test('hybrid users: an on-premises mailbox never gets the photo, and after 72 hours one card says why; Entra ID of a synced mailbox user cannot be read', async () => {
  await useLegacySharePoint(h);
  await h.service.tick();
  // Grady's mailbox is on the organisation's own Exchange: Microsoft 365 (Entra ID) takes the photo, Exchange Online
  // has no mailbox for him, and legacy SharePoint copies only from Exchange Online.
  const grady = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
  const gradyChange = await changePhoto(grady);
  // Isaiah is synced from AD with his mailbox in Exchange Online (the seed's one-time AD import is used up).
  const isaiah = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
  const isaiahChange = await changePhoto(isaiah);

  await later(1);
  const g1 = await h.service.followUps.get(gradyChange);
  expect(g1?.subject).toMatchObject({ hybrid: true, mailbox: 'onPremises' });
  expect(g1?.systems.entra.state).toBe('visible');
  expect(g1?.systems.exchange).toEqual({ state: 'not_applicable', reason: 'mailbox_on_premises' });
  expect(g1?.systems.sharepoint).toEqual({ state: 'waiting', reason: 'sharepoint_own_upload' });
  const i1 = await h.service.followUps.get(isaiahChange);
  expect(i1?.systems.entra).toEqual({ state: 'unknown', reason: 'hybrid_ad_source' });
  expect(i1?.systems.exchange.state).toBe('visible');

  // At the hour both hear what still waits. Isaiah presses "send my photo to SharePoint now" on the card, and the
  // next check sees SharePoint show it: one more message, the last.
  for (const step of [4, 10, 45]) await later(step);
  const [isaiahHour] = await followUps(isaiah, 'pl');
  expect(isaiahHour?.kind).toBe('status');
  expect(textOf(isaiahHour!.card)).toContain('Twoje nowe zdjęcie jest już widoczne w tych miejscach: Outlook.');
  const hourActivity = (await isaiah.all()).filter((a) => a.type === 'message').at(-1)!;
  expect(await isaiah.execute(hourActivity, 'status.fix_sharepoint', {})).toBe(200);
  await isaiah.newCards(); // "done", and the status card in place of the clicked one
  const [hour] = await followUps(grady, 'en');
  expect(hour?.kind).toBe('status');
  expect(textOf(hour!.card)).toContain(
    "Your new photo already shows in your Microsoft 365 profile. It doesn't show in SharePoint and Delve yet",
  );
  await later(5 * 60); // 6 hours
  const [isaiahDone, ...isaiahMore] = await followUps(isaiah, 'pl');
  expect(isaiahMore).toEqual([]);
  expect(isaiahDone?.kind).toBe('visible');
  expect(textOf(isaiahDone!.card)).toContain(
    'Twoje nowe zdjęcie jest już widoczne w tych miejscach: Outlook i SharePoint i Delve.',
  );
  expect(await h.service.followUps.get(isaiahChange)).toMatchObject({
    state: 'visible',
    messages: ['partial', 'visible'],
  });

  // Every 6 hours up to 72: nothing more, then one last card with the reasons and fixes.
  for (let hours = 12; hours < 72; hours += 6) await later(6 * 60);
  expect(await followUps(grady, 'en')).toEqual([]);
  await later(6 * 60);
  const [last, ...more] = await followUps(grady, 'en');
  expect(more).toEqual([]);
  expect(last?.kind).toBe('status');
  const text = textOf(last!.card);
  expect(text).toContain(
    "I've checked for 3 days since your photo changed, and it still doesn't show in SharePoint and Delve.",
  );
  expect(text).toContain(t('en', 'status.reason.mailbox_on_premises').slice(0, 40));
  expect(verbsOf(last!.card)).toEqual(expect.arrayContaining(['status.ad_photo', 'status.fix_sharepoint']));
  const g = await h.service.followUps.get(gradyChange);
  expect(g).toMatchObject({ state: 'not_visible', checks: 16, messages: ['partial', 'not_visible'] });
  expect(g?.systems.sharepoint.state).toBe('waiting');
  await later(24 * 60);
  expect(await followUps(grady, 'en')).toEqual([]);
});

test('"stop" mutes follow-up messages, and the checks go on', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  expect(await alex.say('stop reminding me')).toBe(200);
  await alex.newCards();
  const requestId = await changePhoto(alex);
  await later(1);
  expect(await followUps(alex, 'en')).toEqual([]);
  expect(await h.service.followUps.get(requestId)).toMatchObject({ state: 'visible', messages: ['muted'] });
  expect(await alex.say('remind me again')).toBe(200);
  await alex.newCards();
});

test('a second change supersedes the first: only the newer photo is followed and told about', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const first = await changePhoto(alex);
  const second = await changePhoto(alex, 'exif-orientation-examples/Landscape_1.jpg');
  await later(1);
  expect((await followUps(alex, 'en')).map((m) => m.kind)).toEqual(['visible']);
  expect(await h.service.followUps.get(first)).toMatchObject({ state: 'superseded', checks: 0 });
  expect(await h.service.followUps.get(second)).toMatchObject({ state: 'visible' });
});

test('read budget: three changes checked together cost one Graph $batch and one SharePoint read each', async () => {
  const people = [
    h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' }),
    h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' }),
    h.chat({ aadObjectId: DEMO_USERS.patti, locale: 'en-US' }),
  ];
  for (const chat of people) await changePhoto(chat);
  await h.control('DELETE', '/_control/requests');
  await later(1);
  type Logged = { method: string; path: string };
  const { value } = await h.control<{ value: Logged[] }>('GET', '/_control/requests');
  const batches = value.filter((r) => r.method === 'POST' && /\/\$batch$/.test(r.path));
  const inner = value.filter((r) => r.method === 'GET' && /\/users\//.test(r.path));
  const sharePoint = value.filter((r) => /userphoto\.aspx/i.test(r.path));
  // First checks: user, mailbox settings and the 48x48 photo for each of the three: 9 inner requests, one batch.
  expect(batches).toHaveLength(1);
  expect(inner.filter((r) => /photos\/48x48/.test(r.path))).toHaveLength(3);
  expect(inner.filter((r) => /mailboxSettings/.test(r.path))).toHaveLength(3);
  expect(inner).toHaveLength(9);
  expect(sharePoint).toHaveLength(3);
  for (const chat of people) await chat.newCards();
});

test('a restart between the change and its checks loses nothing; a check a dead process held is taken over once its lease runs out', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const adele = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  const alexChange = await changePhoto(alex);
  await h.restart();
  await later(1);
  expect((await followUps(alex, 'en')).map((m) => m.kind)).toEqual(['visible']);
  expect(await h.service.followUps.get(alexChange)).toMatchObject({ state: 'visible', checks: 1 });

  // A process claims Adele's first check and dies before saving it.
  const adeleChange = await changePhoto(adele);
  const { now } = await h.control<{ now: string }>('GET', '/_control/clock');
  const at = (minutes: number) => new Date(Date.parse(now) + minutes * 60_000);
  const held = await h.service.followUps.claimDue('dead-process', 10, at(6), at(1));
  expect(held.map((f) => f.id)).toEqual([adeleChange]);
  await later(1);
  expect(await followUps(adele, 'nl')).toEqual([]);
  await later(5); // the lease ran out
  const [message, ...more] = await followUps(adele, 'nl');
  expect(more).toEqual([]);
  expect(textOf(message!.card)).toContain(
    'Je nieuwe foto is nu te zien in Outlook, SharePoint en Delve en je Microsoft 365-profiel.',
  );
  expect(await h.service.followUps.get(adeleChange)).toMatchObject({ state: 'visible', checks: 1 });
});

test('two instances on one store: each change is checked by one of them, and the message is sent once', async () => {
  const { sink } = captureLogs();
  const second = await startHeadshot(h.service.config, {
    localTenantUrl: h.tenant.url,
    logger: createLogger('warn', sink),
    shutdownGraceMs: 200,
  });
  try {
    const people = [
      { chat: h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' }), locale: 'en' as const },
      { chat: h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' }), locale: 'nl' as const },
      { chat: h.chat({ aadObjectId: DEMO_USERS.patti, locale: 'en-US' }), locale: 'en' as const },
    ];
    for (const p of people) await changePhoto(p.chat);
    await h.control('POST', '/_control/clock/advance', { seconds: 60 });
    await Promise.all([h.service.tick(), second.tick(), h.service.tick(), second.tick()]);
    for (const p of people) expect((await followUps(p.chat, p.locale)).map((m) => m.kind)).toEqual(['visible']);
  } finally {
    await second.close();
  }
});

test('an approved photo is followed as an approval: the requester hears once it shows', async () => {
  await setPolicy(h, '--required-for', 'everyone');
  try {
    const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    const p = await preview(alex);
    expect(await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
    const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId);
    const [card] = await approvalCopies(megan, p.requestId);
    expect((await megan.invoke(card!, 'approval.approve', { requestId: p.requestId })).status).toBe(200);
    await h.service.tick(); // the approved photo is written
    await alex.newCards();
    await later(1);
    expect((await followUps(alex, 'en')).map((m) => m.kind)).toEqual(['visible']);
    expect(await h.service.followUps.get(p.requestId)).toMatchObject({ kind: 'approval', state: 'visible' });
  } finally {
    await setPolicy(h, '--required-for', 'nobody');
  }
});

test('an undo that brings the old photo back, and "apply again", are followed too', async () => {
  // Megan has a photo: her change, then Undo on the applied card, restores it.
  const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const p = await preview(megan);
  expect(await megan.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  const [applied] = (await megan.newCards()).filter((c) => cardTexts(c.card).includes(t('fi', 'cards.applied.title')));
  const undo = cardActions(applied!.card).find((a) => a.verb === 'photo.undo');
  expect((await megan.invoke(applied!.activity, 'photo.undo', undo?.data ?? {})).body.statusCode).toBe(200);
  await megan.newCards();
  expect(await h.service.followUps.get(p.requestId)).toMatchObject({ state: 'superseded' });
  const undone = (await h.service.followUps.since(new Date(0), 1000)).filter(
    (f) => f.userId === DEMO_USERS.megan && f.state === 'watching',
  );
  expect(undone.map((f) => f.kind)).toEqual(['undo']);
  await later(1);
  expect((await followUps(megan, 'fi')).map((m) => m.kind)).toEqual(['visible']);

  // "Apply again" on the status card writes the same photo once more: a new change to follow.
  const status = await askStatus(megan, 'fi');
  expect(await megan.execute(status.activity, 'status.apply_again', {})).toBe(200);
  await megan.newCards();
  const again = (await h.service.followUps.since(new Date(0), 1000)).filter(
    (f) => f.userId === DEMO_USERS.megan && f.state === 'watching',
  );
  expect(again.map((f) => [f.kind, f.locale])).toEqual([['apply_again', 'fi']]);
  await later(1);
  expect((await followUps(megan, 'fi')).map((m) => m.kind)).toEqual(['visible']);
});
