import { DEMO_USERS } from '../../../emulator';
import { TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
});
afterAll(() => t.close());

const settings = (id: string): string => `/v1.0/users/${id}/mailboxSettings`;

describe('mailboxSettings by mailbox kind', () => {
  test('Exchange Online mailbox: 200 with the user language and a Windows time zone', async () => {
    const a = await t.graph(app, 'GET', settings(DEMO_USERS.megan));
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({
      timeZone: 'FLE Standard Time',
      language: { locale: 'fi-FI', displayName: 'Finnish (Finland)' },
    });
    expect(a.json['@odata.context']).toContain('/mailboxSettings');
  });

  test.each([
    ['no mailbox (Lynne)', DEMO_USERS.lynne, 'MailboxNotEnabledForRESTAPI'],
    ['guest (Jordan)', DEMO_USERS.jordan, 'MailboxNotEnabledForRESTAPI'],
    // As Microsoft 365 answers for hybrid on-premises mailboxes: the same code as no mailbox at all.
    ['on-premises mailbox (Grady)', DEMO_USERS.grady, 'MailboxNotEnabledForRESTAPI'],
  ])('%s: 404 %s', async (_label, id, code) => {
    const a = await t.graph(app, 'GET', settings(id));
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe(code);
  });

  test('needs MailboxSettings.Read: an app with only User.Read.All gets 403', async () => {
    const token = await t.appTokenWithRoles(['User.Read.All']);
    expect((await t.graph(token, 'GET', settings(DEMO_USERS.megan))).status).toBe(403);
  });

  test('delegated MailboxSettings.Read works on /me', async () => {
    const adele = await t.userToken(DEMO_USERS.adele, ['MailboxSettings.Read']);
    const a = await t.graph(adele, 'GET', '/v1.0/me/mailboxSettings');
    expect(a.status).toBe(200);
    expect(a.json.language.locale).toBe('nl-NL');
  });
});
