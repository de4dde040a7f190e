import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { readJson } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { SeedUser } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import type { ActivityJson, ActivityKind } from './activity-log';

/*
 * Bot Connector stand-in for botbuilder's CloudAdapter in unauthenticated local mode:
 * it records what the bot sends so tests can assert on it. Outgoing calls carry no
 * Authorization header in that mode, so none is required here.
 */

const MAX_ACTIVITY_BYTES = 4 * 1024 * 1024;

function connectorError(status: number, code: string, message: string): GraphError {
  return new GraphError(status, code, message);
}

async function activityBody(req: Request): Promise<ActivityJson> {
  const json = await readJson(req, MAX_ACTIVITY_BYTES);
  if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    throw connectorError(400, 'BadArgument', 'Expected an activity object as JSON.');
  }
  return json.value as ActivityJson;
}

/** Applies the rate-limit seam; throws the connector's 429 when it says no. */
function checkRate(state: TenantState, conversationId: string): void {
  const decision = state.connectorLimiter.check(conversationId, state.clock.nowMs());
  if (!decision.allowed) {
    throw new GraphError(429, 'TooManyRequests', 'Too many requests for this conversation.', {
      'Retry-After': String(decision.retryAfterSeconds),
    });
  }
}

async function record(
  state: TenantState,
  req: Request,
  res: Response,
  kind: ActivityKind,
  replyToId: string | null,
): Promise<void> {
  const conversationId = param(req, 'conversationId');
  const activity = await activityBody(req);
  checkRate(state, conversationId);
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

/** The chat of the user's app installation (`installedApps/{id}/chat`), for a member id (Entra object id or 29:). */
function installationChat(state: TenantState, memberId: string): string | undefined {
  const user = state.directory.find(memberId.replace(/^29:/, ''));
  return user === undefined ? undefined : state.teamsApps.list(user.id)[0]?.chatId;
}

/** Creates (or, for the same 1:1 pair, returns) a conversation as Teams does. */
async function createConversation(state: TenantState, req: Request, res: Response): Promise<void> {
  const body = await activityBody(req);
  const members = Array.isArray(body.members) ? (body.members as Array<{ id?: unknown }>) : [];
  if (members.length === 0 || members.some((m) => typeof m.id !== 'string' || m.id === '')) {
    throw connectorError(400, 'BadArgument', 'Expected members: [{ id }] with at least one member.');
  }
  const bot = typeof body.bot === 'object' && body.bot !== null ? (body.bot as { id?: unknown }) : {};
  const channelData = (body.channelData ?? {}) as { tenant?: { id?: unknown } };
  const tenantId =
    typeof body.tenantId === 'string'
      ? body.tenantId
      : typeof channelData.tenant?.id === 'string'
        ? channelData.tenant.id
        : null;
  const isGroup = body.isGroup === true;
  const memberIds = members.map((m) => String(m.id));
  // A 1:1 with someone who has the app installed is the installation's chat, as in Teams: one chat per user and bot.
  const installed = !isGroup && memberIds.length === 1 ? installationChat(state, memberIds[0]) : undefined;
  if (installed !== undefined) {
    checkRate(state, installed);
    sendJson(res, 201, { id: installed });
    return;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([bot.id ?? '', tenantId, memberIds, isGroup ? Date.now() : 0]))
    .digest('base64url')
    .slice(0, 32);
  const id = isGroup ? `19:${digest}@thread.v2` : `a:1${digest}`;
  checkRate(state, id);
  state.connector.addConversation({
    id,
    tenantId,
    isGroup,
    members: memberIds.map((m) => ({ id: m })),
    bot: typeof bot.id === 'string' ? { id: bot.id } : null,
    createdAt: state.clock.iso(),
  });
  const answer: Record<string, unknown> = { id };
  if (typeof body.activity === 'object' && body.activity !== null) {
    answer.activityId = state.connector.record(
      id,
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
      const conversationId = param(req, 'conversationId');
      const activity = await activityBody(req);
      const rec = state.connector.find(conversationId, param(req, 'activityId'));
      if (rec === undefined || rec.deleted)
        throw connectorError(404, 'ActivityNotFound', 'The activity was not found in this conversation.');
      checkRate(state, conversationId);
      state.connector.update(rec, activity);
      sendJson(res, 200, { id: rec.id });
    }),
  );

  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    plainRoute(async (req, res) => {
      const conversationId = param(req, 'conversationId');
      const rec = state.connector.find(conversationId, param(req, 'activityId'));
      if (rec === undefined || rec.deleted)
        throw connectorError(404, 'ActivityNotFound', 'The activity was not found in this conversation.');
      checkRate(state, conversationId);
      rec.deleted = true;
      sendJson(res, 200, {});
    }),
  );

  server.get(
    '/v3/conversations/:conversationId/members',
    plainRoute(async (req, res) => {
      const conv = state.connector.conversation(param(req, 'conversationId'));
      if (conv === undefined) throw connectorError(404, 'ConversationNotFound', 'The conversation was not found.');
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
      const user = state.directory.find(param(req, 'memberId').replace(/^29:/, ''));
      if (user === undefined)
        throw connectorError(404, 'MemberNotFoundInConversation', 'The member was not found in the conversation.');
      sendJson(res, 200, teamsMember(state, user));
    }),
  );
}
