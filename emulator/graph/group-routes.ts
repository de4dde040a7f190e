import type { Server } from 'restify';
import { badRequest, resourceNotFound } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { SeedGroup } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, requireTenantPermission, subjectUser, type GraphCall } from './graph-call';
import { GRAPH_METADATA, parseSelect, userJson } from './user-json';

const GROUP_PROPERTIES: Record<string, (g: SeedGroup) => unknown> = {
  id: (g) => g.id,
  displayName: (g) => g.displayName,
  description: () => null,
  mail: () => null,
  mailEnabled: () => false,
  securityEnabled: () => true,
  groupTypes: () => [],
};

/** A group with the selected properties (all known ones by default), as a directoryObject. */
function groupJson(g: SeedGroup, select: string | undefined): Record<string, unknown> {
  const names =
    select === undefined || select.trim() === ''
      ? Object.keys(GROUP_PROPERTIES)
      : select.split(',').map((n) => n.trim());
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.group' };
  for (const raw of names) {
    const name = Object.keys(GROUP_PROPERTIES).find((k) => k.toLowerCase() === raw.toLowerCase());
    if (name === undefined)
      throw badRequest(
        'Request_BadRequest',
        `Could not find a property named '${raw}' on type 'microsoft.graph.group'.`,
      );
    out[name] = (GROUP_PROPERTIES[name] as (g: SeedGroup) => unknown)(g);
  }
  return out;
}

function groupOf(call: GraphCall): SeedGroup {
  requireTenantPermission(call, 'group.read');
  const id = String((call.req.params as Record<string, string | undefined>).groupId ?? '');
  const group = call.state.directory.findGroup(id);
  if (group === undefined) throw resourceNotFound(id);
  return group;
}

/** `GET /users/{id}/memberOf`: the groups the user is a direct member of. */
async function memberOf(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'user.memberOf');
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects`,
    value: call.state.directory.groupsOf(user).map((g) => groupJson(g, queryParam(call, '$select'))),
  });
}

/** `GET /groups/{id}`. */
async function getGroup(call: GraphCall): Promise<void> {
  const group = groupOf(call);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#groups/$entity`,
    ...groupJson(group, queryParam(call, '$select')),
  });
}

/** `GET /groups/{id}/members`: member users as directoryObjects (`$select` applies to users). */
async function getMembers(call: GraphCall): Promise<void> {
  const group = groupOf(call);
  const select = parseSelect(queryParam(call, '$select'));
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects`,
    value: call.state.directory
      .membersOf(group)
      .map((u) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(u, select) })),
  });
}

/** Registers groups: a user's `memberOf`, a group, and its members. Paging is not modelled (demo groups are small). */
export function registerGroupRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users/:id/memberOf', memberOf);
  graphEndpoint(server, state, 'get', '/groups/:groupId', getGroup);
  graphEndpoint(server, state, 'get', '/groups/:groupId/members', getMembers);
}
