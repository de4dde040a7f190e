/**
 * The outbox against the real local tenant (Graph installs, the Bot Connector stand-in) and a real
 * SQLite conversation store: how a chat is opened, and each outcome of the closed union, from what
 * the connector actually received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_APP, DEMO_TEAMS_APP_ID, DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import type { StoredConversation } from '../../../bot/src/core/conversations/conversation-ports';
import { BotConnectorClient } from '../../../bot/src/m365/bot-connector-client';
import { GraphAppInstaller } from '../../../bot/src/m365/graph-app-installer';
import { createGraphClient } from '../../../bot/src/m365/graph-client';
import { LocalClientCredentials } from '../../../bot/src/m365/token-source';
import { TeamsOutbox, type TeamsOutboxDeps } from '../../../bot/src/outbox/teams-outbox';
import { openDatabase, type Db } from '../../../bot/src/store/database';
import { SqliteConversationStore } from '../../../bot/src/store/sqlite-conversation-store';
import { TenantClient } from '../../support/local-tenant';

const CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello' }] };

let t: TenantClient;
let db: Db;
let conversations: SqliteConversationStore;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
  db = openDatabase(':memory:');
  conversations = new SqliteConversationStore(db);
});
afterEach(() => db.close());

function outbox(overrides: Partial<TeamsOutboxDeps> = {}): TeamsOutbox {
  const graph = createGraphClient({
    baseUrl: t.url,
    tokens: new LocalClientCredentials(t.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret),
  });
  return new TeamsOutbox({
    connector: new BotConnectorClient({ timeoutMs: 2_000 }),
    conversations,
    installer: new GraphAppInstaller(graph, DEMO_TEAMS_APP_ID),
    serviceUrl: () => t.url,
    botAppId: 'headshot-bot',
    tenantId: DEMO_TENANT_ID,
    now: () => new Date(),
    ...overrides,
  });
}

async function received(): Promise<Array<{ conversationId: string; activity: Record<string, unknown> }>> {
  return (await t.control('GET', '/_control/connector/activities')).json.value;
}

test('someone Headshot never talked to: the app is installed, the chat is theirs, the card reaches them', async () => {
  const o = outbox();
  const outcome = await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi', teamsId: true });
  expect(outcome).toMatchObject({ kind: 'sent', activityId: expect.any(String) });

  const installed = (await t.control('GET', `/_control/users/${DEMO_USERS.megan}/installed-apps`)).json.value;
  expect(installed).toHaveLength(1);
  // Teams has one chat per person and bot: the conversation opened is the installation's chat.
  expect(outcome.kind === 'sent' && outcome.conversationId).toBe(installed[0].chatId);
  const stored = conversations.get(DEMO_USERS.megan) as StoredConversation;
  expect(stored).toMatchObject({ conversationId: installed[0].chatId, locale: 'fi', serviceUrl: t.url });
  // The Teams id (what refresh.userIds lists) came from the connector, not from guessing.
  expect(JSON.parse(stored.reference).user).toMatchObject({
    id: `29:${DEMO_USERS.megan}`,
    aadObjectId: DEMO_USERS.megan,
  });

  const [sent] = await received();
  expect(sent?.conversationId).toBe(installed[0].chatId);
  expect(sent?.activity).toMatchObject({
    type: 'message',
    recipient: { aadObjectId: DEMO_USERS.megan },
    from: { id: '28:headshot-bot' },
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: CARD }],
  });

  // The next message uses the stored chat: no second installation.
  expect((await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' })).kind).toBe('sent');
  const installs = (await t.control('GET', '/_control/requests')).json.value.filter(
    (r: { method: string; path: string }) => r.method === 'POST' && r.path.includes('/teamwork/installedApps'),
  );
  expect(installs).toHaveLength(1);
});

test('without a chat and without being asked to open one, nothing is sent', async () => {
  expect(await outbox().sendTo(DEMO_USERS.alex, CARD)).toEqual({
    kind: 'not_sent',
    reason: 'no_conversation',
    detail: 'no_conversation',
  });
  expect(await outbox({ installer: undefined }).sendTo(DEMO_USERS.alex, CARD, { locale: 'en' })).toMatchObject({
    kind: 'not_sent',
    reason: 'no_conversation',
  });
  expect(await received()).toEqual([]);
});

test('a 429 is "throttled" with the connector\'s Retry-After, a 503 "busy", a 403 "failed"', async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.alex, CARD, { locale: 'en' })).kind).toBe('sent');
  const chat = conversations.get(DEMO_USERS.alex) as StoredConversation;
  const fault = (status: number, retryAfterSeconds?: number) =>
    t.control('POST', '/_control/faults', {
      method: 'POST',
      path: '^/v3/conversations/[^/]+/activities$',
      status,
      retryAfterSeconds,
      times: 1,
    });
  await fault(429, 7);
  expect(await o.send(chat, CARD)).toMatchObject({ kind: 'not_sent', reason: 'throttled', retryAfterSeconds: 7 });
  await fault(503);
  expect(await o.send(chat, CARD)).toMatchObject({ kind: 'not_sent', reason: 'busy', status: 503 });
  await fault(403);
  expect(await o.send(chat, CARD)).toMatchObject({ kind: 'not_sent', reason: 'failed', status: 403 });
});

test('a connector that is not there: never sent (safe to retry)', async () => {
  // A port that was just free: nothing listens there now.
  const gone = http.createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
  const closedUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise<void>((r) => gone.close(() => r()));
  const chat: StoredConversation = {
    userId: DEMO_USERS.alex,
    tenantId: DEMO_TENANT_ID,
    conversationId: 'a:1closed',
    serviceUrl: closedUrl,
    locale: 'en',
    reference: JSON.stringify({ serviceUrl: closedUrl, conversation: { id: 'a:1closed' } }),
    updatedAt: new Date(),
  };
  expect(await outbox().send(chat, CARD)).toMatchObject({ kind: 'not_sent', reason: 'busy', detail: 'ECONNREFUSED' });
});

test('a request that left and got no answer: "unknown" (never retried, it may have arrived)', async () => {
  const silent = http.createServer(() => undefined); // takes the request, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    const chat: StoredConversation = {
      userId: DEMO_USERS.alex,
      tenantId: DEMO_TENANT_ID,
      conversationId: 'a:1silent',
      serviceUrl: url,
      locale: 'en',
      reference: JSON.stringify({ serviceUrl: url, conversation: { id: 'a:1silent' } }),
      updatedAt: new Date(),
    };
    const o = outbox({ connector: new BotConnectorClient({ timeoutMs: 300 }) });
    expect(await o.send(chat, CARD)).toMatchObject({ kind: 'unknown' });
    // An update that got no answer changed nothing for certain: it is safe to try again.
    expect(await o.update(chat.reference, 'activity-1', CARD)).toMatchObject({ kind: 'not_sent', reason: 'busy' });
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test('updates replace the message in place; a reference without a chat is refused', async () => {
  const o = outbox();
  const first = await o.sendTo(DEMO_USERS.alex, CARD, { locale: 'en' });
  expect(first.kind).toBe('sent');
  const chat = conversations.get(DEMO_USERS.alex) as StoredConversation;
  const changed = { ...CARD, body: [{ type: 'TextBlock', text: 'Changed' }] };
  const activityId = first.kind === 'sent' ? first.activityId : '';
  expect(await o.update(chat.reference, activityId, changed)).toMatchObject({ kind: 'sent', activityId });
  const [record] = await received();
  expect(JSON.stringify(record?.activity)).toContain('Changed');
  expect(await o.update('{"serviceUrl":"x"}', activityId, changed)).toEqual({
    kind: 'not_sent',
    reason: 'failed',
    detail: 'bad reference',
  });
});
