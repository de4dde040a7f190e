import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { TenantClient } from '../../support/local-tenant';

/*
 * The Bot Connector stand-in is exercised with botbuilder's own CloudAdapter in
 * unauthenticated local mode, i.e. exactly the client the bot uses.
 */

let t: TenantClient;
let adapter: CloudAdapter;
beforeAll(async () => {
  t = await TenantClient.start();
  adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
});
afterAll(() => t.close());
beforeEach(() => t.control('POST', '/_control/reset'));

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
    expect(conversationId).toMatch(/^a:/);
    expect(sentId).not.toBe('');

    const conversations = (await t.control('GET', '/_control/connector/conversations')).json.value;
    expect(conversations).toEqual([
      expect.objectContaining({
        id: conversationId,
        tenantId: DEMO_TENANT_ID,
        members: [{ id: `29:${DEMO_USERS.alex}` }],
      }),
    ]);

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

  test('the same 1:1 pair gets the same conversation id (as Teams does)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      await adapter.createConversationAsync(
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
        async (ctx) => {
          ids.push(ctx.activity.conversation.id);
        },
      );
    }
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

    const member = await t.control(
      'GET',
      `/v3/conversations/a%3Aone/members/${encodeURIComponent(`29:${DEMO_USERS.adele}`)}`,
    );
    expect(member.json).toMatchObject({
      aadObjectId: DEMO_USERS.adele,
      userPrincipalName: 'adelev@example.com',
      tenantId: DEMO_TENANT_ID,
    });

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
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('ActivityNotFound');
  });
});
