import type { Server } from 'restify';
import { badRequest, resourceNotFound } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { SeedGroup } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, requireTenantPermission, subjectUser, type GraphCall } from './graph-call';
import { servicePrincipalId, stableGuid } from '../state/object-ids';
import { pageOf } from './paging';
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

/**
 * `GET /users/{id}/memberOf`: the groups the user is a direct member of (directory objects: the product must read
 * `@odata.type`), paged like every directory collection (100 by default, `@odata.nextLink`).
 */
async function memberOf(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'user.memberOf');
  const groups = call.state.directory.groupsOf(user).map((g) => groupJson(g, queryParam(call, '$select')));
  const { page, nextLink } = pageOf(call, groups);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects`,
    ...(nextLink !== undefined ? { '@odata.nextLink': nextLink } : {}),
    value: page,
  });
}

/** `startswith(displayName,'…')`, the filter Graph takes on groups without advanced query parameters ('' doubles a quote). */
const STARTS_WITH = /^\s*startswith\(\s*displayName\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i;

/**
 * `GET /groups`: every group, or those whose display name starts with a prefix (`$filter=startswith(displayName,'…')`,
 * case-insensitive as in Entra ID), `$select`, `$top` and paging. Other filters, `$search` and `$orderby` are
 * refused as unsupported rather than ignored.
 */
async function listGroups(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'group.read');
  for (const opt of ['$search', '$orderby', '$expand', '$skip'])
    if (queryParam(call, opt) !== undefined)
      throw badRequest('Request_UnsupportedQuery', `The query option '${opt}' is not supported by the local tenant.`);
  const raw = queryParam(call, '$filter');
  let prefix = '';
  if (raw !== undefined) {
    const m = STARTS_WITH.exec(raw);
    if (m === null) throw badRequest('Request_UnsupportedQuery', `Unsupported or invalid query filter clause: ${raw}`);
    prefix = (m[1] as string).replace(/''/g, "'").toLowerCase();
  }
  const matching = call.state.directory.groups.filter((g) => g.displayName.toLowerCase().startsWith(prefix));
  const { page, nextLink } = pageOf(
    call,
    matching.map((g) => groupJson(g, queryParam(call, '$select'))),
  );
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#groups`,
    ...(nextLink !== undefined ? { '@odata.nextLink': nextLink } : {}),
    value: page.map(({ ['@odata.type']: _type, ...rest }) => rest),
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

/** Only the selected properties an object of another type has (Graph leaves out what a type does not have). */
function narrowed(json: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (select === undefined) return json;
  return Object.fromEntries(Object.entries(json).filter(([k]) => k === '@odata.type' || select.includes(k)));
}

/**
 * `GET /groups/{id}/members`: direct members as directory objects, users and also nested groups, devices and
 * service principals (`$select` applies to each as far as its type has the property), paged.
 */
async function getMembers(call: GraphCall): Promise<void> {
  const group = groupOf(call);
  const select = parseSelect(queryParam(call, '$select'));
  const { directory } = call.state;
  const members = group.memberIds.flatMap((id): Array<Record<string, unknown>> => {
    const user = directory.find(id);
    if (user !== undefined) return [{ '@odata.type': '#microsoft.graph.user', ...userJson(user, select) }];
    const nested = directory.findGroup(id);
    if (nested !== undefined) return [narrowed(groupJson(nested, undefined), select)];
    const device = directory.devices.find((d) => d.id.toLowerCase() === id.toLowerCase());
    if (device !== undefined)
      return [
        narrowed(
          {
            '@odata.type': '#microsoft.graph.device',
            id: device.id,
            displayName: device.displayName,
            accountEnabled: true,
            deviceId: stableGuid('device', device.id),
            operatingSystem: device.operatingSystem,
          },
          select,
        ),
      ];
    const app = directory.apps.find((a) => servicePrincipalId(a.clientId) === id.toLowerCase());
    if (app !== undefined)
      return [
        narrowed(
          {
            '@odata.type': '#microsoft.graph.servicePrincipal',
            id: servicePrincipalId(app.clientId),
            appId: app.clientId,
            displayName: app.displayName,
          },
          select,
        ),
      ];
    return [];
  });
  const { page, nextLink } = pageOf(call, members);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects`,
    ...(nextLink !== undefined ? { '@odata.nextLink': nextLink } : {}),
    value: page,
  });
}

/** Registers groups: a user's `memberOf`, the group list (with a display-name prefix), a group, and its members. */
export function registerGroupRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users/:id/memberOf', memberOf);
  graphEndpoint(server, state, 'get', '/groups', listGroups);
  graphEndpoint(server, state, 'get', '/groups/:groupId', getGroup);
  graphEndpoint(server, state, 'get', '/groups/:groupId/members', getMembers);
}
