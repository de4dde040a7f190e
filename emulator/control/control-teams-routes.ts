import type { Server } from 'restify';
import { z } from 'zod';
import { GraphError } from '../http/graph-error';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { controlBadRequest, controlBody } from './control-body';

const chatSchema = z.object({
  userId: z.string().min(1),
  /** The chat's id as the test's Teams client names it; the installation's chat when absent. */
  conversationId: z.string().min(1).optional(),
});
const blockSchema = z.object({ blocked: z.boolean() });

/**
 * Registers control routes about Teams: the apps installed for a user (and their bot chats), a person
 * opening the bot in Teams, and a person blocking the bot.
 */
export function registerControlTeamsRoutes(server: Server, state: TenantState): void {
  const userOf = (id: string) => {
    const user = state.directory.find(id);
    if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${id}' in the seed.`);
    return user;
  };

  server.get(
    '/_control/users/:id/installed-apps',
    plainRoute(async (req, res) => {
      sendJson(res, 200, { value: state.teamsApps.list(userOf(param(req, 'id')).id) });
    }),
  );

  // A person opens Headshot's chat in Teams: Teams installs the app for them (if it is not) and the chat exists.
  server.post(
    '/_control/teams/chats',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, chatSchema);
      const user = userOf(body.userId);
      const app = state.directory.teamsApps[0];
      if (app === undefined) throw controlBadRequest('The seed has no Teams app in its catalog.');
      let installation = state.teamsApps.list(user.id)[0];
      if (installation === undefined) {
        const installed = state.teamsApps.install(user.id, app.id, app.externalId, state.clock.iso());
        if (installed === 'conflict') throw controlBadRequest('The app is already installed.');
        installation = installed;
      }
      const chat = (id: string) => ({
        id,
        tenantId: state.directory.tenantId,
        userId: user.id,
        botId: app.externalId,
        createdAt: state.clock.iso(),
      });
      state.connector.addPersonalChat(chat(installation.chatId));
      const id = body.conversationId ?? installation.chatId;
      const existing = state.connector.conversation(id);
      if (existing !== undefined && existing.userId?.toLowerCase() !== user.id.toLowerCase())
        throw controlBadRequest(`Conversation '${id}' belongs to someone else.`);
      state.connector.addPersonalChat(chat(id));
      sendJson(res, 201, { id, installationId: installation.id });
    }),
  );

  // A person blocks (or unblocks) the bot in their chat with it.
  server.put(
    '/_control/users/:id/bot-blocked',
    plainRoute(async (req, res) => {
      const user = userOf(param(req, 'id'));
      const body = await controlBody(req, blockSchema);
      state.teamsApps.setBlocked(user.id, body.blocked);
      sendJson(res, 200, { userId: user.id, blocked: body.blocked });
    }),
  );
}
