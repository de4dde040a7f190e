/**
 * /api/messages in m365 mode: only a valid Bot Framework channel token for our app gets in,
 * and the bot's replies carry a bearer token the Bot Connector accepts.
 */
import crypto from 'node:crypto';
import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { startM365Harness, type M365Harness } from '../../support/headshot-m365';

let h: M365Harness;

beforeAll(async () => {
  h = await startM365Harness();
});
afterAll(async () => {
  await h?.close();
});

function activity(conversationId: string): Record<string, unknown> {
  return {
    type: 'message',
    id: crypto.randomUUID(),
    channelId: 'msteams',
    serviceUrl: h.tenant.url,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    text: 'help',
    from: { id: `29:${DEMO_USERS.alex}`, aadObjectId: DEMO_USERS.alex, name: 'Alex' },
    recipient: { id: '28:headshot', name: 'Headshot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  };
}

/** Posts "help" with `authorization`; returns the status and how many activities the bot sent back. */
async function post(authorization?: string): Promise<{ status: number; replies: number }> {
  const conversationId = `a:auth-${crypto.randomBytes(4).toString('hex')}`;
  await h.control('POST', '/_control/teams/chats', { userId: DEMO_USERS.alex, conversationId });
  const res = await fetch(`${h.service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity(conversationId)),
  });
  await res.arrayBuffer();
  const { value } = await h.control<{ value: unknown[] }>(
    'GET',
    `/_control/connector/activities?conversationId=${encodeURIComponent(conversationId)}`,
  );
  return { status: res.status, replies: value.length };
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('a valid channel token gets in, and the bot answers through the connector', async () => {
  expect(await post(`Bearer ${await h.channelToken()}`)).toEqual({ status: 200, replies: 1 });
});

test('replies carry a bearer token from the token endpoint that the Bot Connector verifies', async () => {
  expect(await post(`Bearer ${await h.channelToken()}`)).toEqual({ status: 200, replies: 1 });
  const { value } = await h.control<{ value: { method: string; path: string; status: number }[] }>(
    'GET',
    `/_control/requests?method=POST&path=${encodeURIComponent(`/${DEMO_TENANT_ID}/oauth2/v2.0/token`)}`,
  );
  expect(value.filter((r) => r.status === 200).length).toBeGreaterThan(0);
  // The same connector refuses an unsigned call: the reply above got in on the bot's token.
  const refused = await fetch(`${h.tenant.url}/v3/conversations/x/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text: 'forged' }),
  });
  expect(refused.status).toBe(401);
});

test('no Authorization header: 401 and the bot does nothing', async () => {
  expect(await post()).toEqual({ status: 401, replies: 0 });
});

test('an unsigned token (alg none): 401', async () => {
  const good = await h.channelToken();
  const payload = JSON.parse(Buffer.from(good.split('.')[1] as string, 'base64url').toString('utf8')) as object;
  const unsigned = `${b64url({ alg: 'none', typ: 'JWT', kid: decodeProtectedHeader(good).kid })}.${b64url(payload)}.`;
  expect(await post(`Bearer ${unsigned}`)).toEqual({ status: 401, replies: 0 });
});

test('an expired token: 401', async () => {
  expect(await post(`Bearer ${await h.channelToken({ lifetimeSeconds: -3600 })}`)).toEqual({
    status: 401,
    replies: 0,
  });
});

test('a token signed with another key under the real key id: 401', async () => {
  const good = await h.channelToken();
  const payload = JSON.parse(Buffer.from(good.split('.')[1] as string, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: decodeProtectedHeader(good).kid as string })
    .sign(privateKey);
  expect(await post(`Bearer ${forged}`)).toEqual({ status: 401, replies: 0 });
});

test('a token for another bot (wrong audience): 401', async () => {
  expect(await post(`Bearer ${await h.channelToken({ audience: crypto.randomUUID() })}`)).toEqual({
    status: 401,
    replies: 0,
  });
});

test('a token from another issuer, even signed with the channel key: 401', async () => {
  expect(await post(`Bearer ${await h.channelToken({ issuer: 'https://evil.example.com' })}`)).toEqual({
    status: 401,
    replies: 0,
  });
});

test('a token with an Entra ID issuer (the emulator path botbuilder keeps open): 401', async () => {
  const token = await h.channelToken({ issuer: `https://login.microsoftonline.com/${DEMO_TENANT_ID}/v2.0` });
  expect(await post(`Bearer ${token}`)).toEqual({ status: 401, replies: 0 });
});
