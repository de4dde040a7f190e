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
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { SqliteDb } from '../../../bot/src/store/sql/sqlite-db';
import { SqlConversationStore } from '../../../bot/src/store/sql-conversation-store';
import { TenantClient } from '../../support/local-tenant';

const CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello' }] };

let t: TenantClient;
let db: SqlDb;
let conversations: SqlConversationStore;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
  db = SqliteDb.open(':memory:');
  conversations = new SqlConversationStore(db);
});
afterEach(() => db.close());

/** The bot's credentials, as the service holds them. */
function tokens(): LocalClientCredentials {
  return new LocalClientCredentials(t.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret);
}

/** A connector client that signs its calls with the bot's token, as Teams requires. */
function connector(timeoutMs = 2_000): BotConnectorClient {
  const source = tokens();
  return new BotConnectorClient({ timeoutMs, token: () => source.getToken('https://api.botframework.com/.default') });
}

function outbox(overrides: Partial<TeamsOutboxDeps> = {}): TeamsOutbox {
  const graph = createGraphClient({ baseUrl: t.url, tokens: tokens() });
  return new TeamsOutbox({
    connector: connector(),
    conversations,
    installer: new GraphAppInstaller(graph, DEMO_TEAMS_APP_ID),
    serviceUrl: async () => t.url,
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
  const stored = (await conversations.get(DEMO_USERS.megan)) as StoredConversation;
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

test('a 429 is "throttled" with the connector\'s Retry-After, a 503 "busy", an unexplained 403 "failed"', async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.alex, CARD, { locale: 'en' })).kind).toBe('sent');
  const chat = (await conversations.get(DEMO_USERS.alex)) as StoredConversation;
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
    const o = outbox({ connector: connector(300) });
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
  const chat = (await conversations.get(DEMO_USERS.alex)) as StoredConversation;
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

/** Removes Headshot for the user through Graph, as the person (or an admin) does in Teams. */
async function uninstall(userId: string): Promise<void> {
  const [installation] = (await t.control('GET', `/_control/users/${userId}/installed-apps`)).json.value;
  const graph = createGraphClient({ baseUrl: t.url, tokens: tokens() });
  await graph.api(`/users/${userId}/teamwork/installedApps/${installation.id}`).delete();
}

test('someone who removed the app: the chat is gone (403 not in the roster), so it is installed again once and the card arrives', async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' })).kind).toBe('sent');
  await uninstall(DEMO_USERS.megan);

  // Without permission to open a chat, the reason is said and the stored chat forgotten.
  expect(await outbox({ installer: undefined }).sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' })).toMatchObject({
    kind: 'not_sent',
    reason: 'not_installed',
    status: 403,
    detail: 'http_403_BotNotInConversationRoster',
  });
  expect(await conversations.get(DEMO_USERS.megan)).toBeNull();

  // With it, the app is installed again and the card reaches the same chat.
  const again = await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' });
  expect(again.kind).toBe('sent');
  expect((await t.control('GET', `/_control/users/${DEMO_USERS.megan}/installed-apps`)).json.value).toHaveLength(1);
  expect(
    (await received()).filter((r) => r.conversationId === (again.kind === 'sent' && again.conversationId)),
  ).toHaveLength(2);
});

test('someone who blocked the bot: "blocked" (403 ConversationBlockedByUser), nothing installed or sent, the chat kept', async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' })).kind).toBe('sent');
  await t.control('PUT', `/_control/users/${DEMO_USERS.megan}/bot-blocked`, { blocked: true });
  expect(await o.sendTo(DEMO_USERS.megan, CARD, { locale: 'fi' })).toMatchObject({
    kind: 'not_sent',
    reason: 'blocked',
    status: 403,
  });
  expect(await conversations.get(DEMO_USERS.megan)).not.toBeNull();
  // Someone never reached who blocked the bot: opening the chat is refused the same way.
  await t.control('PUT', `/_control/users/${DEMO_USERS.adele}/bot-blocked`, { blocked: true });
  expect(await o.sendTo(DEMO_USERS.adele, CARD, { locale: 'nl' })).toMatchObject({
    kind: 'not_sent',
    reason: 'blocked',
  });
  expect(await received()).toHaveLength(1);
});

test('a card over Teams\' message size is refused before sending ("too_large"); the connector would answer 413', async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.alex, CARD, { locale: 'en' })).kind).toBe('sent');
  const chat = (await conversations.get(DEMO_USERS.alex)) as StoredConversation;
  const big = { ...CARD, body: [{ type: 'Image', url: `data:image/jpeg;base64,${'A'.repeat(150 * 1024)}` }] };
  expect(await o.send(chat, big)).toMatchObject({ kind: 'not_sent', reason: 'too_large' });
  expect(await o.update(chat.reference, 'x', big)).toMatchObject({ kind: 'not_sent', reason: 'too_large' });
  expect(await received()).toHaveLength(1);

  // What Teams answers to the same message sent anyway.
  const answer = await connector().send(t.url, chat.conversationId, { type: 'message', attachments: [big] });
  expect(answer).toMatchObject({ ok: false, status: 413, code: 'MessageSizeTooBig' });
});

test("the connector refuses calls without the bot's token (401), and unknown conversations (404)", async () => {
  const o = outbox();
  expect((await o.sendTo(DEMO_USERS.alex, CARD, { locale: 'en' })).kind).toBe('sent');
  const chat = (await conversations.get(DEMO_USERS.alex)) as StoredConversation;
  expect(await new BotConnectorClient().send(t.url, chat.conversationId, { type: 'message' })).toMatchObject({
    ok: false,
    status: 401,
  });
  expect(await connector().send(t.url, 'a:never-made', { type: 'message' })).toMatchObject({
    ok: false,
    status: 404,
    code: 'ConversationNotFound',
  });
});
