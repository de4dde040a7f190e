/**
 * Photo status and what stands in the way: the tenant photo policy (before any upload, and at
 * confirm), Graph failing (a report, not an error page), Teams caching, and what one status costs.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { cardActions, cardTexts } from '../../support/teams-chat';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { askStatus, photoState, putGraphPhoto, syncClocks, verbsOf } from '../../support/status-reports';

const h = useHarness({}, {}, async (h) => {
  await syncClocks(h);
});

interface Logged {
  method: string;
  path: string;
  status: number;
}
const requests = async (): Promise<Logged[]> =>
  (await h.control<{ value: Logged[] }>('GET', '/_control/requests')).value;

test('policy onPremises: the bot says so before any upload, refuses at confirm, and the status shows it', async () => {
  await h.control('PUT', '/_control/photo-policy', { source: 'onPremises' });
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'nl-NL' });

  await chat.say('mijn foto bijwerken');
  const [blocked] = await chat.newCards();
  expectValidCard(blocked.card);
  expect(cardTexts(blocked.card)).toContain(t('nl', 'status.blocked'));
  expect(cardActions(blocked.card)).toEqual([]); // no upload page on offer

  // A photo sent anyway gets a preview, but confirming it is refused with the policy reason, and nothing is written.
  await chat.sendFile(image('exif-orientation-examples/Landscape_3.jpg'), 'me.jpg');
  const [preview] = await chat.newCards();
  const confirm = cardActions(preview.card).find((a) => a.verb === 'photo.confirm');
  await chat.press(preview.activity, confirm!);
  const refused = [...(await chat.newCards()), ...chat.newAnswers()].flatMap((c) => cardTexts(c.card)).join(' ');
  expect(refused).toContain(t('nl', 'errors.m365.blocked_by_policy'));
  expect((await requests()).filter((r) => r.method === 'PUT' && r.path.includes('/photo'))).toEqual([]);

  const status = await askStatus(chat, 'nl');
  expect(status.rows.policy.state).toBe('blocked_by_policy');
  expect(status.rows.policy.text).toContain(t('nl', 'status.reason.policy_on_premises'));
  expect(status.rows.exchange.state).toBe('blocked_by_policy');
  expect(verbsOf(status.card)).not.toContain('photo.start');
});

test('Graph failing with 503 gives "unknown" for what it hides and a report for the rest, not an error page', async () => {
  await h.control('POST', '/_control/faults', {
    method: 'GET',
    path: '^/v1.0/users/[^/]+/photos?(/|$)',
    status: 503,
    retryAfterSeconds: 0,
    times: 50,
  });
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'en-US' });
  const status = await askStatus(chat, 'en');
  for (const system of ['entra', 'exchange', 'teams'] as const) {
    expect(status.rows[system].state).toBe('unknown');
    expect(status.rows[system].text).toContain(t('en', 'status.reason.service_failed'));
  }
  expect(status.rows.policy.state).toBe('in_sync');
  // SharePoint answered: what it shows is reported, though without Graph's photo there is nothing to compare it with.
  expect(status.card.body?.some((b) => JSON.stringify(b).includes(t('en', 'status.alt_sharepoint')))).toBe(true);
  expect(cardTexts(status.card)).not.toContain(t('en', 'cards.message.title_error'));
});

test('one status costs a fixed number of requests: one $batch of four, one policy read, two SharePoint reads', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  await askStatus(chat, 'fi'); // tokens are fetched and cached on the first
  await h.control('DELETE', '/_control/requests');
  await askStatus(chat, 'fi');
  const log = (await requests()).filter((r) => !r.path.startsWith('/v3/'));
  const summary = log.map((r) => `${r.method} ${r.path.replace(DEMO_USERS.megan, '{id}')}`).sort();
  expect(summary).toEqual(
    [
      'POST /v1.0/$batch',
      'GET /v1.0/users/{id}',
      'GET /v1.0/users/{id}/photo',
      'GET /v1.0/users/{id}/photos/48x48/$value',
      'GET /v1.0/users/{id}/mailboxSettings',
      'GET /beta/admin/people/photoUpdateSettings',
      'GET /sp/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor(accountName=@v)',
      'GET /sp/_layouts/15/userphoto.aspx',
    ].sort(),
  );
});

test('Teams: after a change it may show the old photo (the local tenant shows it until the cache refreshes or the user signs in again)', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'en-US' });
  const old = (await photoState(h, DEMO_USERS.megan)).graph.photo?.etag;
  await chat.say('update my photo');
  await chat.newCards();
  await chat.sendFile(image('exif-orientation-examples/Portrait_3.jpg'), 'me.jpg');
  const [preview] = await chat.newCards();
  await chat.press(
    preview.activity,
    cardActions(preview.card).find((a) => a.verb === 'photo.confirm')!,
  );
  await chat.newCards();

  const fresh = (await photoState(h, DEMO_USERS.megan)).graph.photo?.etag;
  expect(fresh).not.toBe(old);
  expect((await photoState(h, DEMO_USERS.megan)).teams.photo?.etag).toBe(old);
  const status = await askStatus(chat, 'en');
  expect(status.rows.teams.state).toBe('stale');
  expect(status.rows.teams.text).toContain(t('en', 'status.instruction.sign_out_in'));

  await h.control('POST', `/_control/teams/sign-in/${DEMO_USERS.megan}`);
  expect((await photoState(h, DEMO_USERS.megan)).teams.photo?.etag).toBe(fresh);
  // Or, without signing in again, once the cache is due.
  await putGraphPhoto(h, DEMO_USERS.megan, image('exif-orientation-examples/Landscape_5.jpg'));
  await h.control('PUT', '/_control/teams/cache', { refreshAfterSeconds: 3600 });
  await h.control('POST', '/_control/clock/advance', { seconds: 3601 });
  expect((await photoState(h, DEMO_USERS.megan)).teams.photo?.etag).toBe(
    (await photoState(h, DEMO_USERS.megan)).graph.photo?.etag,
  );
});
