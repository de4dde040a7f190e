import type { Server } from 'restify';
import { GraphError, badRequest, resourceNotFound } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, requireTenantPermission, subjectUser, type GraphCall } from './graph-call';
import type { SeedUser } from '../seed/org-seed';
import { pageOf } from './paging';
import { compileUserFilter } from './user-filter';
import { GRAPH_METADATA, parseSelect, userJson, usersContext } from './user-json';

/** Query options the local tenant does not implement: refused loudly rather than ignored. */
const UNSUPPORTED_OPTIONS = ['$expand', '$search', '$skip'];

function rejectUnsupported(call: GraphCall): void {
  for (const opt of UNSUPPORTED_OPTIONS) {
    if (queryParam(call, opt) !== undefined)
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `The query option '${opt}' is not supported by the local tenant.`,
      );
  }
}

/** `ConsistencyLevel: eventual` on the request: what Graph's advanced queries on directory objects need. */
function eventual(call: GraphCall): boolean {
  return String(call.req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

/** `$orderby`: displayName and userPrincipalName, as Graph sorts users without advanced query parameters. */
function orderOf(call: GraphCall): ((a: SeedUser, b: SeedUser) => number) | undefined {
  const raw = queryParam(call, '$orderby');
  if (raw === undefined) return undefined;
  const m = /^\s*(displayName|userPrincipalName)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  if (m === null) throw badRequest('Request_UnsupportedQuery', `Sorting by '${raw}' is not supported on users.`);
  const key = (m[1] as string).toLowerCase() === 'displayname' ? 'displayName' : 'upn';
  const sign = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => sign * String(a[key]).localeCompare(String(b[key]), 'en', { sensitivity: 'base' });
}

/**
 * `GET /users`: `$select` (every user property), `$filter` (eq, startswith, `and`; ne, not and endsWith only as
 * advanced queries), `$orderby`, `$top`, `$count`, paging through `$skiptoken`. An advanced query needs
 * `ConsistencyLevel: eventual` and `$count=true` (400 `Request_UnsupportedQuery` otherwise); `$count=true`
 * without the header is answered without a count ("Advanced query capabilities on Microsoft Entra ID objects").
 */
async function listUsers(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'user.list');
  rejectUnsupported(call);
  const select = parseSelect(queryParam(call, '$select'));
  const count = queryParam(call, '$count') === 'true';
  const filter = compileUserFilter(queryParam(call, '$filter'), eventual(call) && count);
  const order = orderOf(call);
  const matching = call.state.directory.users.filter(filter);
  if (order) matching.sort(order);
  const { page, nextLink } = pageOf(call, matching);
  const body: Record<string, unknown> = { '@odata.context': usersContext(call.version, select, false) };
  if (count && eventual(call)) body['@odata.count'] = matching.length;
  if (nextLink !== undefined) body['@odata.nextLink'] = nextLink;
  body.value = page.map((u) => userJson(u, select));
  sendJson(call.res, 200, body);
}

/** `GET /users/$count`: the number of users as text, with `ConsistencyLevel: eventual` (400 without). */
async function countUsers(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'user.list');
  if (!eventual(call))
    throw badRequest('Request_BadRequest', "Count is not supported without the 'ConsistencyLevel: eventual' header.");
  const filter = compileUserFilter(queryParam(call, '$filter'), true);
  const n = call.state.directory.users.filter(filter).length;
  call.res.writeHead(200, { 'Content-Type': 'text/plain;charset=utf-8' });
  call.res.end(String(n));
}

/** `GET /users/{id|upn}` and `GET /me` (and `/users/$count`, which the same route template catches). */
async function getUser(call: GraphCall): Promise<void> {
  if (call.subject === '$count') return countUsers(call);
  const user = subjectUser(call, 'user.read');
  const select = parseSelect(queryParam(call, '$select'));
  sendJson(call.res, 200, { '@odata.context': usersContext(call.version, select, true), ...userJson(user, select) });
}

/** `GET /users/{id}/manager`: the manager as a directoryObject, 404 when there is none. */
async function getManager(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'user.read');
  const manager = call.state.directory.managerOf(user);
  if (manager === undefined) throw resourceNotFound('manager');
  const select = parseSelect(queryParam(call, '$select'));
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects/$entity`,
    '@odata.type': '#microsoft.graph.user',
    ...userJson(manager, select),
  });
}

/** `GET /users/{id}/directReports`: `{ value: [...] }` of directoryObjects. */
async function getDirectReports(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'user.read');
  const select = parseSelect(queryParam(call, '$select'));
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#directoryObjects`,
    value: call.state.directory
      .directReportsOf(user)
      .map((u) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(u, select) })),
  });
}

/** Registers the directory part of Graph: users, manager, direct reports (and their `/me` aliases). */
export function registerUserRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users', listUsers);
  graphEndpoint(server, state, 'get', '/users/:id', getUser);
  graphEndpoint(server, state, 'get', '/users/:id/manager', getManager);
  graphEndpoint(server, state, 'get', '/users/:id/directReports', getDirectReports);
}
