import { CloudAdapter, MessageFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { createLocalBotAuthentication } from '../../../bot/src/m365/bot-framework-auth';
import { TenantClient } from '../../support/local-tenant';

/*
 * The Bot Connector stand-in is exercised with botbuilder's own CloudAdapter with local mode's
 * authentication (the bot's token on every connector call), i.e. exactly the client the bot uses.
 */

let t: TenantClient;
let adapter: CloudAdapter;
beforeAll(async () => {
  t = await TenantClient.start();
  adapter = new CloudAdapter(
    createLocalBotAuthentication({
      tokens: { getToken: (scope) => t.certificateToken(scope) },
      connectorScope: 'https://api.botframework.com',
      signFor: t.url,
    }),
  );
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
  // The chats these tests write to exist because the person opened Headshot in Teams.
  for (const [conversationId, userId] of [
    ['a:1Xy_z;messageid=1699999999999@thread.skype', DEMO_USERS.alex],
    ['a:one', DEMO_USERS.alex],
    ['a:two', DEMO_USERS.adele],
    ['a:busy', DEMO_USERS.alex],
  ] as const)
    await t.control('POST', '/_control/teams/chats', { userId, conversationId });
});

const bot = { id: '28:headshot-bot', name: 'Headshot' };

function reference(conversationId: string, activityId?: string): Partial<ConversationReference> {
  return {
    serviceUrl: t.url,
    channelId: 'msteams',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    bot,
    user: { id: `29:${DEMO_USERS.alex}`, name: 'Alex Wilber' },
    activityId,
  };
}

/** The connector client botbuilder created for this turn (what `TeamsInfo` and proactive code use). */
interface ConversationsApi {
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
}
function conversationsOf(ctx: TurnContext): ConversationsApi {
  return (ctx.turnState.get(ctx.adapter.ConnectorClientKey) as { conversations: ConversationsApi }).conversations;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded activities are arbitrary JSON read field by field
async function activities(conversationId?: string): Promise<any[]> {
  const q = conversationId === undefined ? '' : `?conversationId=${encodeURIComponent(conversationId)}`;
  return (await t.control('GET', `/_control/connector/activities${q}`)).json.value;
}

describe('Bot Connector stand-in', () => {
  test('proactive create + send, then update in place and delete, all recorded', async () => {
    let conversationId = '';
    let sentId = '';
    await adapter.createConversationAsync(
      '',
      'msteams',
      t.url,
      '',
      {
        isGroup: false,
        bot,
        members: [{ id: `29:${DEMO_USERS.alex}`, name: '' }],
        tenantId: DEMO_TENANT_ID,
        channelData: { tenant: { id: DEMO_TENANT_ID } },
        activity: undefined as never,
      },
      async (ctx: TurnContext) => {
        conversationId = ctx.activity.conversation.id;
        const sent = await ctx.sendActivity(MessageFactory.text('Time to update your photo'));
        sentId = sent?.id ?? '';
      },
    );
    // Teams answers with the personal chat that came with Alex's installation of the app.
    const [installation] = (await t.control('GET', `/_control/users/${DEMO_USERS.alex}/installed-apps`)).json.value;
    expect(conversationId).toBe(installation.chatId);
    expect(sentId).not.toBe('');

    const conversations = (await t.control('GET', '/_control/connector/conversations')).json.value;
    expect(conversations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: conversationId,
          tenantId: DEMO_TENANT_ID,
          members: [{ id: `29:${DEMO_USERS.alex}` }],
        }),
      ]),
    );

    await adapter.continueConversationAsync('', reference(conversationId), async (ctx) => {
      const updated = MessageFactory.text('Updated text');
      updated.id = sentId;
      await ctx.updateActivity(updated);
    });
    let recorded = await activities(conversationId);
    expect(recorded).toHaveLength(1);
    // botbuilder posts proactive turn sends as replies to its synthetic continuation activity.
    expect(recorded[0]).toMatchObject({ id: sentId, conversationId, kind: 'reply', updates: 1, deleted: false });
    expect(recorded[0].activity.text).toBe('Updated text');
    expect(recorded[0].history[0].text).toBe('Time to update your photo');

    await adapter.continueConversationAsync('', reference(conversationId), async (ctx) => ctx.deleteActivity(sentId));
    recorded = await activities(conversationId);
    expect(recorded[0].deleted).toBe(true);
  });

  test('the same 1:1 pair gets the same conversation id (as Teams does); without the app, 403', async () => {
    const create = (seen: (id: string) => void = () => undefined) =>
      adapter.createConversationAsync(
        '',
        'msteams',
        t.url,
        '',
        {
          isGroup: false,
          bot,
          members: [{ id: `29:${DEMO_USERS.megan}`, name: '' }],
          tenantId: DEMO_TENANT_ID,
          activity: undefined as never,
          channelData: {},
        },
        async (ctx) => seen(ctx.activity.conversation.id),
      );
    await expect(create()).rejects.toMatchObject({ statusCode: 403, code: 'ForbiddenOperationException' });
    await t.control('POST', '/_control/teams/chats', { userId: DEMO_USERS.megan });
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) await create((id) => ids.push(id));
    expect(ids[0]).toBe(ids[1]);
  });

  test('sendToConversation and replyToActivity are recorded with replyToId; ids with colons, semicolons and @ survive', async () => {
    const conversationId = 'a:1Xy_z;messageid=1699999999999@thread.skype';
    const ids: Array<string | undefined> = [];
    await adapter.continueConversationAsync('', reference(conversationId), async (ctx) => {
      const api = conversationsOf(ctx);
      ids.push(
        (
          await api.sendToConversation(conversationId, {
            type: 'message',
            text: 'Proactive hello',
            from: bot,
            conversation: { id: conversationId } as never,
          })
        ).id,
      );
      ids.push(
        (
          await api.replyToActivity(conversationId, 'incoming-42', {
            type: 'message',
            text: 'Got your photo',
            replyToId: 'incoming-42',
            from: bot,
          })
        ).id,
      );
    });
    const recorded = await activities(conversationId);
    expect(recorded.map((r) => r.id)).toEqual(ids);
    expect(recorded[0]).toMatchObject({
      conversationId,
      replyToId: null,
      kind: 'send',
      activity: { text: 'Proactive hello' },
    });
    expect(recorded[1]).toMatchObject({
      conversationId,
      replyToId: 'incoming-42',
      kind: 'reply',
      activity: { type: 'message', text: 'Got your photo', id: ids[1] },
    });
    expect(await activities('some-other-conversation')).toEqual([]);
  });

  test('arrival order across conversations, clearing, and member lookup', async () => {
    for (const [conv, text] of [
      ['a:one', 'first'],
      ['a:two', 'second'],
      ['a:one', 'third'],
    ] as const) {
      await adapter.continueConversationAsync('', reference(conv), async (ctx) => {
        await ctx.sendActivity(text);
      });
    }
    expect((await activities()).map((a) => a.activity.text)).toEqual(['first', 'second', 'third']);
    expect((await activities('a:one')).map((a) => a.activity.text)).toEqual(['first', 'third']);

    const member = (id: string) =>
      t.certificateToken('https://api.botframework.com/.default').then((token) =>
        fetch(`${t.url}/v3/conversations/a%3Aone/members/${encodeURIComponent(`29:${id}`)}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
    expect(await (await member(DEMO_USERS.alex)).json()).toMatchObject({
      aadObjectId: DEMO_USERS.alex,
      userPrincipalName: 'alexw@example.com',
      tenantId: DEMO_TENANT_ID,
    });
    // Adele is in the tenant but not in Alex's chat.
    expect((await member(DEMO_USERS.adele)).status).toBe(404);

    await t.control('DELETE', '/_control/connector/activities');
    expect(await activities()).toEqual([]);
  });

  test('an injected 429 reaches botbuilder, which waits Retry-After and retries; unknown activity update is 404', async () => {
    await t.control('POST', '/_control/faults', {
      method: 'POST',
      path: '^/v3/conversations/[^/]+/activities',
      status: 429,
      retryAfterSeconds: 1,
    });
    await adapter.continueConversationAsync('', reference('a:busy'), async (ctx) => {
      await ctx.sendActivity('hello');
    });
    const log = (await t.control('GET', `/_control/requests?path=${encodeURIComponent('^/v3/')}`)).json.value as Array<{
      status: number;
      at: string;
    }>;
    expect(log.map((r) => r.status)).toEqual([429, 201]);
    expect(Date.parse(log[1]?.at ?? '') - Date.parse(log[0]?.at ?? '')).toBeGreaterThanOrEqual(900);
    expect(await activities('a:busy')).toHaveLength(1);

    const missing = await t.control('PUT', '/v3/conversations/a%3Abusy/activities/nope', {
      type: 'message',
      text: 'x',
    });
    expect(missing.status).toBe(401); // no bot token
    const signed = await fetch(`${t.url}/v3/conversations/a%3Abusy/activities/nope`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await t.certificateToken('https://api.botframework.com/.default')}`,
      },
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    expect(signed.status).toBe(404);
    expect(((await signed.json()) as { error: { code: string } }).error.code).toBe('ActivityNotFoundInConversation');
  });
});
