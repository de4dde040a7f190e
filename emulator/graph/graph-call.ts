import type { Request, Response, Server } from 'restify';
import { authenticateGraph } from '../identity/graph-auth';
import { isAllowed, type GraphOperation, type Principal } from '../identity/permissions';
import { badRequest, requestDenied, resourceNotFound } from '../http/graph-error';
import { graphRoute } from '../http/route';
import type { SeedUser } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';

/** Graph API version of a request. */
type GraphVersion = 'v1.0' | 'beta';

/** An authenticated Graph request, as handlers see it. */
export interface GraphCall {
  state: TenantState;
  req: Request;
  res: Response;
  version: GraphVersion;
  principal: Principal;
  /** The `{id|upn}` path segment, or `me`. */
  subject: string;
}

/** A Graph handler on an authenticated call. */
export type GraphHandler = (call: GraphCall) => Promise<void>;

type Method = 'get' | 'put' | 'patch' | 'post' | 'del';

/**
 * Registers one Graph route for both versions and, when the template starts with
 * `/users/:id`, its `/me` alias; authentication happens before the handler runs.
 */
export function graphEndpoint(
  server: Server,
  state: TenantState,
  method: Method,
  template: string,
  handler: GraphHandler,
): void {
  const templates = template.startsWith('/users/:id') ? [template, template.replace('/users/:id', '/me')] : [template];
  for (const version of ['v1.0', 'beta'] as const) {
    for (const t of templates) {
      server[method](
        `/${version}${t}`,
        graphRoute(async (req, res) => {
          const principal = await authenticateGraph(state, req);
          const params = req.params as Record<string, string | undefined> | undefined;
          const subject = t.startsWith('/me') ? 'me' : (params?.id ?? '');
          await handler({ state, req, res, version, principal, subject });
        }),
      );
    }
  }
}

/**
 * Resolves the call's subject for `op`: permission first (403), then existence (404),
 * as Graph answers a caller without rights the same whether or not the user exists.
 */
export function subjectUser(call: GraphCall, op: GraphOperation): SeedUser {
  const { principal, state } = call;
  if (call.subject === 'me' && principal.kind === 'app') {
    throw badRequest('BadRequest', '/me request is only valid with delegated authentication flow.');
  }
  const key = call.subject === 'me' && principal.kind === 'user' ? principal.userId : call.subject;
  const user = state.directory.find(key);
  if (!isAllowed(principal, op, user?.id ?? key)) throw requestDenied();
  if (user === undefined) throw resourceNotFound(key);
  return user;
}

/** Throws 403 unless the caller may perform a tenant-wide operation. */
export function requireTenantPermission(call: GraphCall, op: GraphOperation): void {
  if (!isAllowed(call.principal, op)) throw requestDenied();
}

/** A query-string parameter of the call. */
export function queryParam(call: GraphCall, name: string): string | undefined {
  return new URL(call.req.url ?? '/', 'http://local').searchParams.get(name) ?? undefined;
}
