import type { Server } from 'restify';
import { GraphError, badRequest } from '../http/graph-error';
import { graphRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { registerAppRoleRoutes } from './app-role-routes';
import { registerBatchRoute } from './batch-route';
import { registerGroupRoutes } from './group-routes';
import { registerTeamworkRoutes } from './teamwork-routes';
import { registerMailboxRoutes } from './mailbox-routes';
import { registerPhotoRoutes } from './photo-routes';
import { registerPolicyRoutes } from './policy-routes';
import { registerUserRoutes } from './user-routes';

/** Registers the Microsoft Graph stand-in (`/v1.0` and `/beta`), with Graph's answers for unknown segments and verbs. */
export function registerGraphRoutes(server: Server, state: TenantState): void {
  registerUserRoutes(server, state);
  registerPhotoRoutes(server, state);
  registerMailboxRoutes(server, state);
  registerPolicyRoutes(server, state);
  registerBatchRoute(server, state);
  registerGroupRoutes(server, state);
  registerTeamworkRoutes(server, state);
  registerAppRoleRoutes(server, state);
  let templates: Array<{ method: string; pattern: RegExp }> | undefined;
  const methodsFor = (path: string): string[] => {
    // restify's typings say Route[]; at run time getRoutes() is an object keyed by route name.
    templates ??= Object.values(
      server.router.getRoutes() as unknown as Record<string, { method: string; path: string }>,
    )
      .filter((r) => !r.path.endsWith('/*'))
      .map((r) => ({
        method: r.method.toUpperCase(),
        pattern: new RegExp(`^${r.path.replace(/[.$]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`),
      }));
    return templates.filter((r) => r.pattern.test(path)).map((r) => r.method);
  };
  const unknown = graphRoute(async (req) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (methodsFor(path).length > 0) {
      throw new GraphError(
        405,
        'Request_BadRequest',
        `The requested resource does not support http method '${req.method ?? ''}'.`,
      );
    }
    const segment =
      path
        .split('/')
        .filter((s) => s !== '')
        .pop() ?? '';
    throw badRequest('BadRequest', `Resource not found for the segment '${segment}'.`);
  });
  for (const version of ['v1.0', 'beta']) {
    for (const method of ['get', 'put', 'patch', 'post', 'del'] as const) server[method](`/${version}/*`, unknown);
  }
}
