import type { Server } from 'restify';
import { GraphError, badRequest, requestDenied } from '../http/graph-error';
import { readJson } from '../http/read-body';
import { sendEmpty, sendJson } from '../http/responses';
import type { SeedTeamsApp } from '../seed/org-seed';
import type { AppInstallation } from '../state/teams-app-installations';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, queryParam, subjectUser, type GraphCall } from './graph-call';
import { GRAPH_METADATA } from './user-json';

/*
 * Teams apps in a user's personal scope: list, install, uninstall, and the 1:1 chat an
 * installed bot app has with the user. With TeamsAppInstallation.ReadWriteSelfForUser(.All)
 * an app may only install itself (its client id is the catalog app's externalId).
 */

const BIND = /\/appCatalogs\/teamsApps\/([^/?#]+)$/;

function appJson(app: SeedTeamsApp | undefined, teamsAppId: string): Record<string, unknown> {
  return {
    id: teamsAppId,
    externalId: app?.externalId ?? null,
    displayName: app?.displayName ?? null,
    distributionMethod: 'organization',
  };
}

function installationJson(state: TenantState, i: AppInstallation, expand: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { id: i.id };
  const app = state.directory.teamsApps.find((a) => a.id === i.teamsAppId);
  if (expand !== undefined && /(^|,)\s*teamsApp\s*(,|$)/.test(expand)) out.teamsApp = appJson(app, i.teamsAppId);
  if (expand !== undefined && /teamsAppDefinition/.test(expand)) {
    out.teamsAppDefinition = {
      id: Buffer.from(`${i.teamsAppId}##1.0.0`).toString('base64url'),
      teamsAppId: i.teamsAppId,
      displayName: app?.displayName ?? null,
      version: '1.0.0',
    };
  }
  return out;
}

/** The subset of `$filter` the product uses: `teamsApp/id eq '…'` (or teamsAppDefinition/teamsAppId). */
function filterOf(call: GraphCall): ((i: AppInstallation) => boolean) | undefined {
  const filter = queryParam(call, '$filter');
  if (filter === undefined) return undefined;
  const m = /^\s*(teamsApp\/id|teamsAppDefinition\/teamsAppId)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (m === null)
    throw new GraphError(
      400,
      'BadRequest',
      `The local tenant supports only "teamsApp/id eq '…'" in $filter; received '${filter}'.`,
    );
  const id = (m[2] as string).replace(/''/g, "'");
  return (i) => i.teamsAppId.toLowerCase() === id.toLowerCase();
}

function installationOf(call: GraphCall, userId: string): AppInstallation {
  const id = String((call.req.params as Record<string, string | undefined>).installationId ?? '');
  const installation = call.state.teamsApps.find(userId, id);
  if (installation === undefined)
    throw new GraphError(404, 'NotFound', `The app installation '${id}' was not found for this user.`);
  return installation;
}

/** `GET /users/{id}/teamwork/installedApps` (`$expand=teamsApp`, `$filter=teamsApp/id eq '…'`). */
async function listInstalled(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'teamsApp.read');
  const keep = filterOf(call) ?? (() => true);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/teamwork/installedApps`,
    value: call.state.teamsApps
      .list(user.id)
      .filter(keep)
      .map((i) => installationJson(call.state, i, queryParam(call, '$expand'))),
  });
}

/** `POST /users/{id}/teamwork/installedApps` with `teamsApp@odata.bind`: 201, 409 when installed, 404 when not in the catalog. */
async function install(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'teamsApp.install');
  const body = await readJson(call.req, 64 * 1024);
  const bind =
    body.ok && typeof body.value === 'object' && body.value !== null
      ? (body.value as Record<string, unknown>)['teamsApp@odata.bind']
      : undefined;
  const m = typeof bind === 'string' ? BIND.exec(bind) : null;
  if (m === null)
    throw badRequest(
      'BadRequest',
      "Expected a body with 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}'.",
    );
  const teamsAppId = decodeURIComponent(m[1] as string);
  const app = call.state.directory.teamsApps.find((a) => a.id.toLowerCase() === teamsAppId.toLowerCase());
  if (app === undefined)
    throw new GraphError(404, 'NotFound', `The app '${teamsAppId}' was not found in the app catalog.`);
  const { principal } = call;
  const selfOnly =
    principal.kind === 'app'
      ? !principal.roles.includes('TeamsAppInstallation.ReadWriteForUser.All')
      : !principal.scopes.includes('TeamsAppInstallation.ReadWriteForUser');
  if (selfOnly && app.externalId.toLowerCase() !== principal.appId.toLowerCase()) {
    throw requestDenied('An app with TeamsAppInstallation.ReadWriteSelfForUser may only install itself.');
  }
  const installed = call.state.teamsApps.install(user.id, app.id, app.externalId, call.state.clock.iso());
  if (installed === 'conflict') throw new GraphError(409, 'Conflict', 'App is already installed for this user.');
  // The bot's 1:1 chat with the user now exists: the connector stand-in knows it.
  call.state.connector.addPersonalChat({
    id: installed.chatId,
    tenantId: call.state.directory.tenantId,
    userId: user.id,
    botId: app.externalId,
    createdAt: installed.installedAt,
  });
  sendEmpty(call.res, 201);
}

/** `GET /users/{id}/teamwork/installedApps/{installationId}`. */
async function getInstalled(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'teamsApp.read');
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/teamwork/installedApps/$entity`,
    ...installationJson(call.state, installationOf(call, user.id), queryParam(call, '$expand')),
  });
}

/** `GET /users/{id}/teamwork/installedApps/{installationId}/chat`: the 1:1 chat of the installation. */
async function getChat(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'teamsApp.read');
  const installation = installationOf(call, user.id);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#chats/$entity`,
    id: installation.chatId,
    topic: null,
    createdDateTime: installation.installedAt,
    lastUpdatedDateTime: installation.installedAt,
    chatType: 'oneOnOne',
    webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(installation.chatId)}/0`,
    tenantId: call.state.directory.tenantId,
  });
}

/** `DELETE /users/{id}/teamwork/installedApps/{installationId}`. */
async function uninstall(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'teamsApp.install');
  installationOf(call, user.id);
  call.state.teamsApps.remove(user.id, String((call.req.params as Record<string, string | undefined>).installationId));
  sendEmpty(call.res, 204);
}

/** Registers `/users/{id}/teamwork/installedApps…` (and the `/me` aliases). */
export function registerTeamworkRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users/:id/teamwork/installedApps', listInstalled);
  graphEndpoint(server, state, 'post', '/users/:id/teamwork/installedApps', install);
  graphEndpoint(server, state, 'get', '/users/:id/teamwork/installedApps/:installationId', getInstalled);
  graphEndpoint(server, state, 'del', '/users/:id/teamwork/installedApps/:installationId', uninstall);
  graphEndpoint(server, state, 'get', '/users/:id/teamwork/installedApps/:installationId/chat', getChat);
}
