/**
 * Admins and coverage through the real /api/messages endpoint and the real local tenant: who is
 * an admin is configured (Patti holds the HeadshotAdmin app role in the seed), everyone else is
 * refused in the chat and in the CLI; the coverage card counts exactly what the tenant holds.
 */
import { startHarness, type Harness } from '../../support/headshot';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts, type AdaptiveCardJson } from '../../support/teams-chat';
import type { SeedUser } from '../../../emulator';
import { ALEX, cli, member, pattiChat, seed, seedWith, until } from '../../support/broadcasts';

const EACH = 24;
const users: SeedUser[] = [];
for (let i = 0; i < EACH; i++) {
  users.push(member(`has-${i}`, i, { photo: { size: 648, color: '#336699' } }));
  users.push(member(`none-${i}`, i));
  users.push(member(`stale-${i}`, i, { photo: { size: 96, color: '#996633' } }));
  users.push(member(`hybrid-${i}`, i, { onPremisesSyncEnabled: true }));
}
for (let i = 0; i < 12; i++) {
  users.push(
    member(`guest-${i}`, i, {
      userType: 'Guest',
      upn: `guest-${i}_contoso.com#EXT#@example.com`,
      mailbox: 'none',
      licensed: false,
    }),
  );
  users.push(member(`disabled-${i}`, i, { accountEnabled: false }));
  users.push(member(`unlicensed-${i}`, i, { mailbox: 'none', licensed: false }));
}
// Megan (has a photo), Alex and Patti (none) come with the demo.
const EXPECTED = {
  has_photo: EACH + 1,
  no_photo: EACH + 2,
  placeholder_or_stale: EACH,
  hybrid_stuck: EACH,
  not_applicable: 36,
  unknown: 0,
};
const TOTAL = 4 * EACH + 36 + 3;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ COVERAGE_REFRESH_HOURS: '0' });
  await seed(h, seedWith(users));
});
afterAll(() => h.close());

const cardsOf = (cards: { card: AdaptiveCardJson }[]) => cards.map((c) => c.card);
const texts = (card: unknown) => cardTexts(card).join(' | ');

test('someone who is not an admin is refused, in the chat and in the CLI', async () => {
  const alex = h.chat({ aadObjectId: ALEX, locale: 'fi-FI', name: 'Alex Wilber' });
  expect(await alex.say('coverage')).toBe(200);
  const [refused] = cardsOf(await alex.newCards());
  expectValidCard(refused);
  expect(texts(refused)).toContain('Vain Headshotin ylläpitäjät voivat tehdä tämän');
  // Pressing an admin button from a forwarded card does not help either.
  expect(
    await alex.post({
      ...(await baseOf(alex)),
      type: 'message',
      value: { verb: 'broadcast.send', audience: 'everyone' },
    }),
  ).toBe(200);
  const [again] = cardsOf(await alex.newCards());
  expect(texts(again)).toContain('Vain Headshotin ylläpitäjät');
  expect(await h.service.admin.broadcastStores.campaigns.listCampaigns(10)).toEqual([]);

  const cmd = await cli(h, 'coverage', '--as', 'alexw@example.com', '--json');
  expect(cmd.code).toBe(77);
  expect(cmd.err).toContain('Only Headshot admins can do this');
  expect(
    (await cli(h, 'broadcast', '--as', 'alexw@example.com', '--audience', 'everyone', '--message', 'reminder')).code,
  ).toBe(77);
});

test('the admin sees coverage counted exactly as the tenant holds it, updated in place while it runs', async () => {
  const patti = pattiChat(h);
  expect(await patti.say('coverage')).toBe(200);
  const [first] = await patti.newCards();
  expectValidCard(first?.card);
  await until(async () => (await h.service.admin.coverage.view())?.state === 'done', 20_000, 'scan');
  const view = await h.service.admin.coverage.view();
  expect(view).toMatchObject({ state: 'done', scanned: TOTAL, counts: EXPECTED });
  expect(view?.coverage).toBeCloseTo(EXPECTED.has_photo / (TOTAL - 36), 5);

  // The card that said "checking" now shows the numbers (updated in place, not a new message).
  await until(
    async () => {
      const now = (await patti.all()).find((a) => a.id === first?.activity.id);
      const card = now?.attachments?.[0]?.content as AdaptiveCardJson | undefined;
      // The finished card, not a progress update that already counts everyone while the scan still runs.
      return (
        texts(card).includes(`${EXPECTED.placeholder_or_stale}`) &&
        (now?.updates ?? 0) > 0 &&
        !!card &&
        cardActions(card).some((x) => x.verb === 'coverage.csv')
      );
    },
    5_000,
    'card update',
  );
  const updated = (await patti.all()).find((a) => a.id === first?.activity.id)?.attachments?.[0]
    ?.content as AdaptiveCardJson;
  expectValidCard(updated);
  expect(texts(updated)).toContain('Placeholder or outdated photo');
  const verbs = cardActions(updated).map((a) => a.verb);
  expect(verbs).toEqual(expect.arrayContaining(['coverage.refresh', 'coverage.csv', 'broadcast.compose']));

  // CSV through a short-lived signed link.
  const csvVerb = cardActions(updated).find((a) => a.verb === 'coverage.csv');
  expect(await patti.press(first!.activity, csvVerb!)).toBe(200);
  const [link] = cardsOf(await patti.newCards());
  expectValidCard(link);
  const url = cardActions(link).find((a) => a.type === 'Action.OpenUrl')?.url as string;
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const lines = (await res.text()).trim().split('\r\n');
  expect(lines).toHaveLength(TOTAL + 1);
  expect(lines.filter((l) => l.includes(',hybrid_stuck,'))).toHaveLength(EACH);
  // A forged or altered ticket gets nothing.
  expect((await fetch(url.replace(/ticket=.{4}/, 'ticket=AAAA'))).status).toBe(401);
});

test('the CLI gives the same numbers as JSON and CSV', async () => {
  const json = await cli(h, 'coverage', '--as', 'pattif@example.com', '--json');
  expect([json.code, json.err]).toEqual([0, '']);
  expect(JSON.parse(json.out)).toMatchObject({ state: 'done', scanned: TOTAL, counts: EXPECTED });
  const csv = await cli(h, 'coverage', '--as', 'pattif@example.com', '--csv', '--cached');
  expect(csv.code).toBe(0);
  const rows = csv.out
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(rows[0]).toBe(
    'userId,userPrincipalName,displayName,category,reason,photoSide,userType,accountEnabled,faceCheck',
  );
  expect(rows).toHaveLength(TOTAL + 1);
  expect(rows.find((r) => r.startsWith('stale-3,'))).toContain(',placeholder_or_stale,small_photo,96,');
});

async function baseOf(chat: ReturnType<Harness['chat']>): Promise<Record<string, unknown>> {
  const user = chat.user;
  return {
    id: `x-${Date.now()}`,
    channelId: 'msteams',
    serviceUrl: h.tenant.url,
    locale: user.locale,
    from: { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: '28:headshot-bot', name: 'Headshot' },
    conversation: { id: chat.conversationId, conversationType: 'personal', tenantId: user.tenantId },
    channelData: { tenant: { id: user.tenantId } },
  };
}
