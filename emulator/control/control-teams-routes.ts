import type { Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';

/** Registers control routes about Teams: the apps installed for a user (and their bot chats). */
export function registerControlTeamsRoutes(server: Server, state: TenantState): void {
  server.get(
    '/_control/users/:id/installed-apps',
    plainRoute(async (req, res) => {
      const user = state.directory.find(param(req, 'id'));
      if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${param(req, 'id')}' in the seed.`);
      sendJson(res, 200, { value: state.teamsApps.list(user.id) });
    }),
  );
}
