import type { Server } from 'restify';
import { GraphError, badRequest, resourceNotFound } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, requireTenantPermission, subjectUser, type GraphCall } from './graph-call';
import { compileUserFilter } from './user-filter';
import { GRAPH_METADATA, parseSelect, userJson, usersContext } from './user-json';

const DEFAULT_TOP = 100;
const MAX_TOP = 999;

/** Query options the local tenant does not implement: refused loudly rather than ignored. */
const UNSUPPORTED_OPTIONS = ['$expand', '$orderby', '$search', '$skip'];

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

function parseTop(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TOP;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw badRequest(
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`,
    );
  }
  return top;
}

function parseSkipToken(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const offset = Number(
    Buffer.from(raw, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest(
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  return offset;
}

/** `GET /users`: `$select`, `$filter` subset, `$top`, `$count`, paging through `$skiptoken`. */
async function listUsers(call: GraphCall): Promise<void> {
  requireTenantPermission(call, 'user.list');
  rejectUnsupported(call);
  const select = parseSelect(queryParam(call, '$select'));
  const filter = compileUserFilter(queryParam(call, '$filter'));
  const top = parseTop(queryParam(call, '$top'));
  const offset = parseSkipToken(queryParam(call, '$skiptoken'));
  const count = queryParam(call, '$count');
  if (count === 'true' && String(call.req.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
    throw badRequest('Request_BadRequest', "$count is only supported with the 'ConsistencyLevel: eventual' header.");
  }
  const matching = call.state.directory.users.filter(filter);
  const page = matching.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': usersContext(call.version, select, false) };
  if (count === 'true') body['@odata.count'] = matching.length;
  if (offset + top < matching.length) {
    const next = new URL(`${call.state.baseUrl}/${call.version}/users`);
    for (const [k, v] of new URL(call.req.url ?? '/', 'http://local').searchParams)
      if (k !== '$skiptoken') next.searchParams.set(k, v);
    next.searchParams.set('$skiptoken', Buffer.from(`offset:${offset + top}`).toString('base64url'));
    body['@odata.nextLink'] = next.toString().replace(/%24/g, '$');
  }
  body.value = page.map((u) => userJson(u, select));
  sendJson(call.res, 200, body);
}

/** `GET /users/{id|upn}` and `GET /me`. */
async function getUser(call: GraphCall): Promise<void> {
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
