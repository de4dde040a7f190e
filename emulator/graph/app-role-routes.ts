import type { Server } from 'restify';
import { badRequest, resourceNotFound } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { SeedApp } from '../seed/org-seed';
import { stableGuid } from '../state/object-ids';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, requireTenantPermission, subjectUser, type GraphCall } from './graph-call';
import { GRAPH_METADATA } from './user-json';

const guid = stableGuid;

/** Every app role any seed user holds: the seed's `roles` are app roles on each registered app. */
function roleNames(state: TenantState): string[] {
  return [...new Set(state.directory.users.flatMap((u) => u.roles ?? []))].sort();
}

function servicePrincipalJson(state: TenantState, app: SeedApp): Record<string, unknown> {
  return {
    id: guid('sp', app.clientId),
    appId: app.clientId,
    displayName: app.displayName,
    appRoles: roleNames(state).map((value) => ({
      id: guid('role', value),
      value,
      displayName: value,
      allowedMemberTypes: ['User'],
      isEnabled: true,
      description: value,
    })),
  };
}

/** `GET /servicePrincipals?$filter=appId eq '…'`: the enterprise app of a registration, with its app roles. */
async function listServicePrincipals(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'application.read');
  const filter = queryParam(call, '$filter');
  const m = filter === undefined ? null : /^\s*appId\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (filter !== undefined && m === null)
    throw badRequest('Request_UnsupportedQuery', "The local tenant supports only $filter=appId eq '{id}' here.");
  const apps = state(call).directory.apps.filter(
    (a) => m === null || a.clientId.toLowerCase() === (m[1] as string).toLowerCase(),
  );
  const select = queryParam(call, '$select')
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const value = apps.map((a) => {
    const full = servicePrincipalJson(state(call), a);
    if (select === undefined) return full;
    const unknown = select.find((p) => !(p in full));
    if (unknown !== undefined)
      throw badRequest(
        'Request_BadRequest',
        `Could not find a property named '${unknown}' on type 'microsoft.graph.servicePrincipal'.`,
      );
    return Object.fromEntries(select.map((p) => [p, full[p]]));
  });
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#servicePrincipals`,
    value,
  });
}

/** `GET /users/{id}/appRoleAssignments[?$filter=resourceId eq {id}]`: the user's roles on every registered app. */
async function listAssignments(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'user.appRoleAssignments');
  const filter = queryParam(call, '$filter');
  const m = filter === undefined ? null : /^\s*resourceId\s+eq\s+'?([0-9a-f-]+)'?\s*$/i.exec(filter);
  if (filter !== undefined && m === null)
    throw badRequest('Request_UnsupportedQuery', 'The local tenant supports only $filter=resourceId eq {id} here.');
  const value = state(call)
    .directory.apps.map((app) => ({ app, spId: guid('sp', app.clientId) }))
    .filter(({ spId }) => m === null || spId === (m[1] as string).toLowerCase())
    .flatMap(({ app, spId }) =>
      (user.roles ?? []).map((role) => ({
        id: guid('assignment', `${user.id}/${app.clientId}/${role}`),
        appRoleId: guid('role', role),
        principalId: user.id,
        principalDisplayName: user.displayName,
        principalType: 'User',
        resourceId: spId,
        resourceDisplayName: app.displayName,
      })),
    );
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/appRoleAssignments`,
    value,
  });
}

/** `GET /servicePrincipals/{id}/appRoleAssignedTo`: the users granted the app's roles (Application.Read.All). */
async function listAssignedTo(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'application.read');
  const spId = String((call.req.params as Record<string, string | undefined>).spId ?? '').toLowerCase();
  const app = state(call).directory.apps.find((a) => guid('sp', a.clientId) === spId);
  if (app === undefined) throw resourceNotFound(spId);
  const all = state(call).directory.users.flatMap((user) =>
    (user.roles ?? []).map((role) => ({
      id: guid('assignment', `${user.id}/${app.clientId}/${role}`),
      appRoleId: guid('role', role),
      createdDateTime: '2024-01-01T00:00:00Z',
      deletedDateTime: null,
      principalId: user.id,
      principalDisplayName: user.displayName,
      principalType: 'User',
      resourceId: spId,
      resourceDisplayName: app.displayName,
    })),
  );
  const top = Math.min(999, Math.max(1, Number(queryParam(call, '$top') ?? 100) || 100));
  const skip = Number(queryParam(call, '$skiptoken') ?? 0) || 0;
  const page = all.slice(skip, skip + top);
  const next = skip + top < all.length;
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#servicePrincipals('${spId}')/appRoleAssignedTo`,
    value: page,
    ...(next
      ? {
          '@odata.nextLink': `${state(call).baseUrl}/${call.version}/servicePrincipals/${spId}/appRoleAssignedTo?$top=${top}&$skiptoken=${skip + top}`,
        }
      : {}),
  });
}

const state = (call: GraphCall): TenantState => call.state;

/** Registers service principals (app roles) and users' app role assignments. */
export function registerAppRoleRoutes(server: Server, tenant: TenantState): void {
  graphEndpoint(server, tenant, 'get', '/servicePrincipals', listServicePrincipals);
  graphEndpoint(server, tenant, 'get', '/users/:id/appRoleAssignments', listAssignments);
  graphEndpoint(server, tenant, 'get', '/servicePrincipals/:spId/appRoleAssignedTo', listAssignedTo);
}
