import type { Request, Response, Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { SeedUser } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import type { ActivityJson, ActivityKind, RecordedConversation } from './activity-log';
import { authenticateBot } from './connector-auth';
import type { ConnectorOperation } from './rate-limit';

/*
 * The Teams Bot Connector as a bot meets it ("Status codes from bot conversational APIs",
 * https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability):
 * - every call needs the bot's token (connector-auth.ts);
 * - a conversation exists only when Teams made it: the personal chat that comes with an app
 *   installation, or a chat a test's Teams client opened (`POST /_control/teams/chats`); anything
 *   else is 404 `ConversationNotFound`;
 * - a personal chat takes writes only while the person has the app and has not blocked the bot:
 *   403 `ConversationBlockedByUser` / `BotNotInConversationRoster`, both with the subCode
 *   `MessageWritesBlocked` that Teams documents for "blocked or uninstalled"
 *   (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages);
 * - `POST /v3/conversations` opens a 1:1 only with someone who has the app (403
 *   `ForbiddenOperationException` otherwise), and no group chats;
 * - a message over about 100 KB is 413 `MessageSizeTooBig` (domain.md);
 * - the rate limits of rate-limit.ts, per operation.
 */

/** The largest activity Teams takes (domain.md: "about 100 KB"). */
const MAX_MESSAGE_BYTES = 100 * 1024;
/** Bodies beyond this are not read at all. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

function connectorError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): GraphError {
  return new GraphError(status, code, message, {}, extra);
}

/** Reads an activity; 413 `MessageSizeTooBig` beyond Teams' message size when `sized`. */
async function activityBody(req: Request, sized: boolean): Promise<ActivityJson> {
  const body = await readBody(req, MAX_READ_BYTES);
  if (!body.ok || (sized && body.bytes.length > MAX_MESSAGE_BYTES))
    throw connectorError(413, 'MessageSizeTooBig', 'Message size too large.');
  let value: unknown;
  try {
    value = JSON.parse(body.bytes.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw connectorError(400, 'BadArgument', 'Expected an activity object as JSON.');
  return value as ActivityJson;
}

/** Applies the rate limits; throws the connector's 429 (with or without `Retry-After`) when they say no. */
function checkRate(state: TenantState, botId: string, operation: ConnectorOperation, conversationId: string): void {
  const decision = state.connectorLimiter.check(botId, operation, conversationId, state.clock.nowMs());
  if (!decision.allowed) {
    throw new GraphError(
      429,
      'Throttled',
      'Too many requests.',
      decision.retryAfterSeconds === null ? {} : { 'Retry-After': String(decision.retryAfterSeconds) },
    );
  }
}

/** The conversation, or 404. */
function conversationOf(state: TenantState, conversationId: string): RecordedConversation {
  const conv = state.connector.conversation(conversationId);
  if (conv === undefined) throw connectorError(404, 'ConversationNotFound', 'Conversation not found.');
  return conv;
}

/** The 403 Teams gives for a person who blocked the bot. */
function blockedByUser(): GraphError {
  return connectorError(403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.', {
    subCode: 'MessageWritesBlocked',
  });
}

/** Throws the 403 Teams gives when the person of a personal chat blocked the bot or no longer has the app. */
function checkWritable(state: TenantState, conv: RecordedConversation): void {
  if (conv.userId === undefined) return;
  if (state.teamsApps.isBlocked(conv.userId)) throw blockedByUser();
  if (!state.teamsApps.installedFor(conv.userId))
    throw connectorError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.', {
      subCode: 'MessageWritesBlocked',
    });
}

async function record(
  state: TenantState,
  req: Request,
  res: Response,
  kind: ActivityKind,
  replyToId: string | null,
): Promise<void> {
  const botId = await authenticateBot(state, req);
  const conversationId = param(req, 'conversationId');
  const conv = conversationOf(state, conversationId);
  checkWritable(state, conv);
  const activity = await activityBody(req, true);
  checkRate(state, botId, 'send', conversationId);
  const rec = state.connector.record(conversationId, replyToId, kind, activity, state.clock.nowMs());
  sendJson(res, 201, { id: rec.id });
}

/** The Teams member view of a directory user (`TeamsInfo.getMember`). */
function teamsMember(state: TenantState, u: SeedUser): Record<string, unknown> {
  return {
    id: `29:${u.id}`,
    name: u.displayName,
    aadObjectId: u.id,
    givenName: u.givenName,
    surname: u.surname,
    email: u.mail,
    userPrincipalName: u.upn,
    tenantId: state.directory.tenantId,
    userRole: u.userType === 'Guest' ? 'guest' : 'user',
  };
}

/** Opens (or, for the same person, returns) the personal chat with someone who has the app, as Teams does. */
async function createConversation(state: TenantState, req: Request, res: Response): Promise<void> {
  const botId = await authenticateBot(state, req);
  const body = await activityBody(req, true);
  const members = Array.isArray(body.members) ? (body.members as Array<{ id?: unknown }>) : [];
  if (members.length === 0 || members.some((m) => typeof m.id !== 'string' || m.id === ''))
    throw connectorError(400, 'BadArgument', 'Expected members: [{ id }] with at least one member.');
  if (body.isGroup === true || members.length > 1)
    throw connectorError(400, 'BadArgument', 'A bot can only create a one-on-one conversation with one user.');
  const user = state.directory.find(String(members[0]?.id).replace(/^29:/, ''));
  if (user === undefined) throw connectorError(404, 'NotFound', 'The user was not found in the tenant.');
  checkRate(state, botId, 'create', `user:${user.id}`);
  if (state.teamsApps.isBlocked(user.id)) throw blockedByUser();
  const installation = state.teamsApps.list(user.id)[0];
  if (installation === undefined)
    throw connectorError(403, 'ForbiddenOperationException', "Bot is not installed in user's personal scope");
  const conv = conversationOf(state, installation.chatId);
  const answer: Record<string, unknown> = { id: conv.id };
  if (typeof body.activity === 'object' && body.activity !== null) {
    answer.activityId = state.connector.record(
      conv.id,
      null,
      'createConversation',
      body.activity as ActivityJson,
      state.clock.nowMs(),
    ).id;
  }
  sendJson(res, 201, answer);
}

/** Registers `/v3/conversations...`: create, send, reply, update, delete, members. */
export function registerConnectorRoutes(server: Server, state: TenantState): void {
  server.post(
    '/v3/conversations',
    plainRoute((req, res) => createConversation(state, req, res)),
  );
  server.post(
    '/v3/conversations/:conversationId/activities',
    plainRoute((req, res) => record(state, req, res, 'send', null)),
  );
  server.post(
    '/v3/conversations/:conversationId/activities/:activityId',
    plainRoute((req, res) => record(state, req, res, 'reply', param(req, 'activityId'))),
  );

  server.put(
    '/v3/conversations/:conversationId/activities/:activityId',
    plainRoute(async (req, res) => {
      const botId = await authenticateBot(state, req);
      const conversationId = param(req, 'conversationId');
      checkWritable(state, conversationOf(state, conversationId));
      const activity = await activityBody(req, true);
      const rec = state.connector.find(conversationId, param(req, 'activityId'));
      if (rec === undefined || rec.deleted)
        throw connectorError(404, 'ActivityNotFoundInConversation', 'The activity was not found in this conversation.');
      checkRate(state, botId, 'send', conversationId);
      state.connector.update(rec, activity);
      sendJson(res, 200, { id: rec.id });
    }),
  );

  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    plainRoute(async (req, res) => {
      const botId = await authenticateBot(state, req);
      const conversationId = param(req, 'conversationId');
      checkWritable(state, conversationOf(state, conversationId));
      const rec = state.connector.find(conversationId, param(req, 'activityId'));
      if (rec === undefined || rec.deleted)
        throw connectorError(404, 'ActivityNotFoundInConversation', 'The activity was not found in this conversation.');
      checkRate(state, botId, 'send', conversationId);
      rec.deleted = true;
      sendJson(res, 200, {});
    }),
  );

  server.get(
    '/v3/conversations/:conversationId/members',
    plainRoute(async (req, res) => {
      const botId = await authenticateBot(state, req);
      const conv = conversationOf(state, param(req, 'conversationId'));
      checkRate(state, botId, 'members', conv.id);
      const users = conv.members
        .map((m) => state.directory.find(m.id.replace(/^29:/, '')))
        .filter((u): u is SeedUser => u !== undefined);
      sendJson(
        res,
        200,
        users.map((u) => teamsMember(state, u)),
      );
    }),
  );

  server.get(
    '/v3/conversations/:conversationId/members/:memberId',
    plainRoute(async (req, res) => {
      const botId = await authenticateBot(state, req);
      const conv = conversationOf(state, param(req, 'conversationId'));
      checkRate(state, botId, 'members', conv.id);
      const memberId = param(req, 'memberId').replace(/^29:/, '').toLowerCase();
      const user = state.directory.find(memberId);
      if (
        user === undefined ||
        !conv.members.some((m) => m.id.replace(/^29:/, '').toLowerCase() === user.id.toLowerCase())
      )
        throw connectorError(404, 'MemberNotFoundInConversation', 'The member was not found in the conversation.');
      sendJson(res, 200, teamsMember(state, user));
    }),
  );
}
