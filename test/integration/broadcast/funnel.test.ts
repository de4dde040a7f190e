/**
 * A campaign's funnel counts what each recipient really did after the reminder, through the real bot endpoint,
 * approvals, the photo pipeline, the coverage scan and the local tenant: one only talked to the bot, one opened the
 * tab, one sent a photo that needed no approval, one whose photo a manager approved, one still waiting for a
 * manager, and one without a mailbox (whose photo no coverage scan checks). The numbers agree in the service, the
 * tab's API, the progress card and the CSV report, in all and per department.
 */
import { DEMO_GROUPS, DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import type { CampaignFunnelJson } from '../../../bot/src/api/tab-contract';
import { as, type ErrorBody } from '../../support/tab-state';
import { useHarness } from '../../support/headshot';
import { approverChat, preview, setPolicy } from '../../support/approvals';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardTexts, type TeamsChat } from '../../support/teams-chat';
import { cli, PATTI, pattiChat, until } from '../../support/broadcasts';

const h = useHarness(
  { COVERAGE_REFRESH_HOURS: '0', BROADCAST_POLL_MS: '50', BROADCAST_BACKOFF_MS: '50' },
  {},
  async (h) => {
    // Marketing's photos go to a manager; everyone else's are applied at once.
    await setPolicy(
      h,
      '--required-for',
      'groups',
      '--groups',
      DEMO_GROUPS.marketing,
      '--approvers-group',
      DEMO_GROUPS.approvers,
    );
  },
);
const everyone = { kind: 'everyone', includeGuests: false, includeDisabled: false } as const;
const U = DEMO_USERS;

async function sendAndConfirm(chat: TeamsChat): Promise<string> {
  const p = await preview(chat);
  expect(await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  return p.requestId;
}

test('the funnel follows each recipient from the reminder to a photo Microsoft 365 shows', async () => {
  // Grady talked to the bot just before the campaign: that is not coming back after it.
  await h.chat({ aadObjectId: U.grady, locale: 'en-US' }).say('help');
  const { campaign } = await h.service.admin.broadcasts.create(PATTI, {
    message: { kind: 'reminder' },
    audience: everyone,
  });
  await h.service.admin.dispatcher!.settle(30_000);
  const sent = await h.service.admin.broadcasts.progressNow(campaign.id);
  expect(sent.state).toBe('done');
  const recipients = sent.total;
  expect(sent.funnel).toMatchObject({ recipients, delivered: recipients, opened: 0, photo_sent: 0, visibleAsOf: null });

  // Grady only talks to the bot; Megan opens the tab.
  await h.chat({ aadObjectId: U.grady, locale: 'en-US' }).say('help');
  expect((await as(h, U.megan, 'fi').get('/api/me')).status).toBe(200);
  // Isaiah's photo needs no approval; Alex's is approved by his manager Megan; Adele's waits; Lynne has no
  // mailbox.
  await sendAndConfirm(h.chat({ aadObjectId: U.isaiah, locale: 'en-US' }));
  const alexRequest = await sendAndConfirm(h.chat({ aadObjectId: U.alex, locale: 'en-US' }));
  await sendAndConfirm(h.chat({ aadObjectId: U.adele, locale: 'nl-NL' }));
  await sendAndConfirm(h.chat({ aadObjectId: U.lynne, locale: 'pl-PL' }));
  const megan = await approverChat(h, U.megan, 'fi-FI', alexRequest);
  const [approvalCard] = (await megan.all()).filter((a) => JSON.stringify(a).includes(alexRequest));
  expect((await megan.invoke(approvalCard!, 'approval.approve', { requestId: alexRequest })).status).toBe(200);
  await h.service.tick();

  // Before any coverage scan: three photos applied, none checked yet.
  const before = (await h.service.admin.broadcasts.funnel(PATTI, campaign.id)).total;
  expect(before).toMatchObject({
    recipients,
    delivered: recipients,
    opened: 6,
    photo_sent: 4,
    approved: 3,
    visible: 0,
    waitingApproval: 1,
    neededApproval: 2,
    notChecked: 3,
  });

  // A coverage scan after the changes sees Isaiah's and Alex's photos; Lynne (unlicensed) is not checked.
  h.clock.advance(60_000);
  await pattiChat(h).say('coverage');
  await until(async () => (await h.service.admin.coverage.view())?.state === 'done', 20_000, 'scan');
  const after = await h.service.admin.broadcasts.funnel(PATTI, campaign.id);
  expect(after.total).toMatchObject({ approved: 3, visible: 2, notChecked: 1 });
  expect(after.visibleAsOf).not.toBeNull();
  // Departments are the directory's: Adele is in the Marketing group (whose photos need approval) but in Retail.
  const department = (name: string) => after.departments.find((d) => d.department === name)?.counts;
  expect(department('Marketing')).toMatchObject({
    recipients: 2,
    delivered: 2,
    opened: 2,
    photo_sent: 1,
    approved: 1,
    visible: 1,
    waitingApproval: 0,
  });
  expect(department('Retail')).toMatchObject({
    recipients: 2,
    opened: 2,
    photo_sent: 2,
    approved: 1,
    visible: 0,
    waitingApproval: 1,
    notChecked: 1,
  });
  expect(after.departments.map((d) => d.department)).toEqual([
    'Executive Management',
    'Marketing',
    'Research & Development',
    'Retail',
    'Sales',
  ]);

  // The tab's API says the same, to admins only.
  const api = await as(h, PATTI).get<CampaignFunnelJson>(`/api/admin/campaigns/${campaign.id}/funnel`);
  expect(api.status).toBe(200);
  expect(api.json.total).toEqual(after.total);
  expect(api.json.visibleAsOf).toBe(after.visibleAsOf?.toISOString());
  const refused = await as(h, U.megan, 'fi').get<ErrorBody>(`/api/admin/campaigns/${campaign.id}/funnel`);
  expect([refused.status, refused.json.error.code]).toEqual([403, 'auth.forbidden']);

  // The progress card's "Update the numbers" shows the funnel, valid against the card schema.
  const admin = pattiChat(h);
  await admin.say('help');
  const [anyCard] = await admin.newCards();
  expect(await admin.execute(anyCard!.activity, 'broadcast.refresh', { campaignId: campaign.id })).toBe(200);
  const [answer] = admin.newAnswers();
  expectValidCard(answer!.card);
  const texts = cardTexts(answer!.card);
  expect(texts).toContain(t('en', 'admin.funnel.title'));
  for (const step of ['delivered', 'opened', 'photo_sent', 'approved', 'visible'] as const)
    expect(texts).toContain(t('en', `admin.funnel.${step}`));
  expect(texts).toContain(t('en', 'admin.funnel.waiting_approval'));
  expect(texts).toContain(t('en', 'admin.funnel.not_checked_count'));

  // The CSV report: each person's department and furthest step.
  const csv = await cli(h, 'broadcast', 'report', campaign.id, '--as', 'pattif@example.com', '--csv');
  expect(csv.code).toBe(0);
  const lines = csv.out
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toContain('department,furthestStep');
  const stepOf = (id: string) =>
    lines
      .find((l) => l.startsWith(`${id},`))
      ?.split(',')
      .slice(-2);
  expect(stepOf(U.alex)).toEqual(['Marketing', 'visible']);
  expect(stepOf(U.adele)).toEqual(['Retail', 'photo_sent']);
  expect(stepOf(U.lynne)).toEqual(['Retail', 'approved']);
  expect(stepOf(U.isaiah)).toEqual(['Sales', 'visible']);
  expect(stepOf(U.megan)).toEqual(['Marketing', 'opened']);
  expect(stepOf(U.grady)).toEqual(['Research & Development', 'opened']);
  // Henrietta's account is disabled: the campaign left her out.
  expect(stepOf(U.henrietta)).toBeUndefined();
}, 90_000);
