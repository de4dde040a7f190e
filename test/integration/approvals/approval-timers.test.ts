/**
 * Reminders, escalation and expiry, driven by the local tenant's clock as in `npm start`:
 * the service runs on the tenant's virtual time, the test moves it (POST /_control/clock/advance)
 * and runs one scheduler tick. Due times live in SQLite, so they survive restarts too.
 */
import { DEMO_GROUPS, DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { startHarness, type Harness } from '../../support/headshot';
import { cardTexts } from '../../support/teams-chat';
import { as } from '../../support/tab-state';
import {
  approvalCopies,
  approverChat,
  auditJson,
  cardOf,
  photoWrites,
  preview,
  setPolicy,
} from '../../support/approvals';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { clock: 'tenant' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('POST', '/_control/reset'); // the tenant's clock goes back to real time too
  await setPolicy(
    h,
    '--required-for',
    'everyone',
    '--approvers-group',
    DEMO_GROUPS.approvers,
    '--remind-after',
    '1h',
    '--escalate-after',
    '4h',
    '--expire-after',
    '2d',
  );
  await h.service.tick(); // the service notices the clock went back
});

const texts = (card: unknown) => cardTexts(card).join('\n');
const upTo = (message: string) => message.split('{{')[0].trim();

/** Moves the local tenant's clock, then lets the service's scheduler run once. */
async function later(minutes: number): Promise<void> {
  await h.control('POST', '/_control/clock/advance', { seconds: minutes * 60 });
  await h.service.tick();
}

test('nobody acts: a reminder, then escalation to the skip-level manager, then expiry; each told to the people concerned', async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(alex);
  await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId);
  await alex.newCards();

  await later(30);
  expect(await approvalCopies(megan, p.requestId)).toHaveLength(1);

  // After an hour: a fresh card at the bottom of Megan's chat; the older copy says a reminder went out.
  await later(31);
  const reminded = await approvalCopies(megan, p.requestId);
  expect(reminded).toHaveLength(2);
  for (const copy of reminded) {
    expectValidCard(cardOf(copy));
    expect(texts(cardOf(copy))).toContain(upTo(t('fi', 'cards.approval.reminded', { at: '{{' })));
  }
  await later(60);
  expect(await approvalCopies(megan, p.requestId)).toHaveLength(2); // one reminder only

  // After four hours: escalated to Patti (Megan's manager), who gets the card; Alex and Megan are told.
  await later(150);
  const patti = await approverChat(h, DEMO_USERS.patti, 'en-US', p.requestId);
  const [pattiCard] = await approvalCopies(patti, p.requestId);
  expectValidCard(cardOf(pattiCard));
  expect(texts(cardOf(pattiCard))).toContain(
    upTo(t('en', 'cards.approval.escalated', { approvers: 'Patti Fernandez', at: '{{' })),
  );
  const alexTold = (await alex.newCards()).map((c) => texts(c.card)).join('\n');
  expect(alexTold).toContain(t('en', 'approval.escalated_requester', { names: 'Patti Fernandez' }));
  const meganTold = (await megan.newCards()).map((c) => texts(c.card)).join('\n');
  expect(meganTold).toContain(
    t('fi', 'approval.escalated_approver', { requester: 'Alex Wilber', names: 'Patti Fernandez' }),
  );

  // After two days: expired. Every copy says so, Alex is told, and a late click changes nothing.
  await later(2 * 24 * 60);
  for (const copy of [...(await approvalCopies(megan, p.requestId)), pattiCard]) {
    const [now] = (await (copy === pattiCard ? patti : megan).all()).filter((a) => a.id === copy.id);
    expect(texts(cardOf(now))).toContain(
      upTo(t(copy === pattiCard ? 'en' : 'fi', 'cards.approval.expired', { at: '{{' })),
    );
  }
  expect((await alex.newCards()).map((c) => texts(c.card)).join('\n')).toContain(t('en', 'approval.expired'));
  const late = await patti.invoke(pattiCard, 'approval.approve', { requestId: p.requestId });
  expect(texts(late.body.value)).toContain(upTo(t('en', 'cards.approval.closed', { at: '{{' })));
  await h.service.tick();
  expect(await photoWrites(h, DEMO_USERS.alex)).toEqual([]);
  expect((await auditJson(h, '--request', p.requestId)).map((e) => e.action)).toEqual(
    expect.arrayContaining(['approval.request', 'approval.remind', 'approval.escalate', 'approval.expire']),
  );
});

test('a manager without a manager: escalation goes to the approvers group', async () => {
  const lynne = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: 'fi-FI' }); // manager: Patti, who has none
  const p = await preview(lynne);
  await lynne.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  await later(4 * 60 + 1);
  const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId); // the group, minus Patti and Lynne
  const [card] = await approvalCopies(megan, p.requestId);
  await megan.invoke(card, 'approval.approve', { requestId: p.requestId });
  await h.service.tick();
  expect(await photoWrites(h, DEMO_USERS.lynne)).toEqual([200]);
});

test("due times survive a restart: the reminder still comes, on the tenant's time", async () => {
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(alex);
  await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  await h.restart();
  await later(61);
  const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId);
  expect(await approvalCopies(megan, p.requestId)).toHaveLength(2);
});

test('a manager who blocked Headshot: the card goes to the next approver at once, not after the escalation timer', async () => {
  await h.control('PUT', `/_control/users/${DEMO_USERS.megan}/bot-blocked`, { blocked: true });
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(alex);
  await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  // No time passes: Megan (his manager) cannot get the card, so Patti (skip level) is asked now.
  await h.service.approvals.idle();
  const patti = await approverChat(h, DEMO_USERS.patti, 'en-US', p.requestId);
  const [copy] = await approvalCopies(patti, p.requestId);
  expectValidCard(cardOf(copy));
  const escalations = (await auditJson(h)).filter(
    (e: { action: string; requestId?: string }) => e.action === 'approval.escalate' && e.requestId === p.requestId,
  );
  expect(escalations).toHaveLength(1);
  const { value } = await h.control<{ value: { activity: { recipient?: { aadObjectId?: string } } }[] }>(
    'GET',
    '/_control/connector/activities',
  );
  expect(value.some((r) => r.activity.recipient?.aadObjectId === DEMO_USERS.megan)).toBe(false);
});

test('after the tenant clock moves two years, a tab sign-in made then is valid: tokens are checked on its time', async () => {
  await later(2 * 365 * 24 * 60);
  // A token the local tenant signs now carries its virtual time; the service checks it on the same clock.
  const answer = await as(h, DEMO_USERS.patti).get<{ approvalPolicy: unknown }>('/api/admin/settings');
  expect(answer.status).toBe(200);
});
