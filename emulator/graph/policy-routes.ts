import type { Server } from 'restify';
import { graphRoute } from '../http/route';
import { authenticateGraph } from '../identity/graph-auth';
import { isAllowed } from '../identity/permissions';
import { badRequest, requestDenied } from '../http/graph-error';
import { readJson } from '../http/read-body';
import { sendJson } from '../http/responses';
import { photoUpdateSettingsPatchSchema } from '../seed/org-seed';
import { stableGuid } from '../state/object-ids';
import type { TenantState } from '../state/tenant-state';

const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#admin/people/photoUpdateSettings/$entity';

/** The policy as Graph beta renders it. */
function policyJson(state: TenantState): Record<string, unknown> {
  const p = state.directory.photoPolicy.settings;
  // An entity (beta CSDL: photoUpdateSettings derives from entity), so it has an id.
  return {
    '@odata.context': CONTEXT,
    id: stableGuid('photoUpdateSettings', state.directory.tenantId),
    source: p.source,
    allowedRoles: [...p.allowedRoles],
  };
}

/** Registers `GET`/`PATCH /beta/admin/people/photoUpdateSettings` (beta only, as in Graph). */
export function registerPolicyRoutes(server: Server, state: TenantState): void {
  const path = '/beta/admin/people/photoUpdateSettings';
  server.get(
    path,
    graphRoute(async (req, res) => {
      if (!isAllowed(await authenticateGraph(state, req), 'peopleSettings.read')) throw requestDenied();
      sendJson(res, 200, policyJson(state));
    }),
  );
  server.patch(
    path,
    graphRoute(async (req, res) => {
      if (!isAllowed(await authenticateGraph(state, req), 'peopleSettings.write')) throw requestDenied();
      const body = await readJson(req);
      const parsed = body.ok ? photoUpdateSettingsPatchSchema.safeParse(body.value) : undefined;
      if (parsed === undefined || !parsed.success) {
        throw badRequest('BadRequest', "Expected { source?: 'cloud' | 'onPremises', allowedRoles?: string[] }.");
      }
      state.directory.photoPolicy.change(parsed.data, state.clock.nowMs());
      sendJson(res, 200, policyJson(state));
    }),
  );
}
