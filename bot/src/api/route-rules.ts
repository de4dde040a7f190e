/**
 * Who may call each route, declared where the route is registered: every route goes
 * through `route()`, which records its rule and, for `tab-sso` routes, puts the token
 * check and the role check in front of the handlers. `unruledRoutes()` finds any route
 * registered around it (a test and the start-up check fail on one).
 */
import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import { AppError } from '../core/errors';
import { sendError } from './http-errors';
import type { SsoRequest, SsoValidator } from './sso-auth';
import type { RoleResolver } from '../core/admin/role-resolver';

/** How a route's caller proves who they are. */
type RouteAuth =
  /** Bot Framework channel token, checked by the CloudAdapter. */
  | 'bot-framework'
  /** Upload ticket (signed link the bot gave the user) as bearer token. */
  | 'upload-ticket'
  /** AD photo download ticket in the query. */
  | 'ad-photo-ticket'
  /** Admin download ticket in the query (coverage CSV, campaign report); the admin is checked again. */
  | 'admin-download-ticket'
  /** Entra ID SSO token from the tab, then roles. */
  | 'tab-sso'
  /** Loopback, or the configured metrics bearer token. */
  | 'metrics'
  /** Anyone: health and static pages with no data. */
  | 'public';

/** What a caller is to the person a route is about. */
type Role = 'self' | 'manager-of' | 'admin';

/** One route's rule. */
export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  auth: RouteAuth;
  /** For tab-sso: who may act on the route's `:userId` (absent `:userId` means the caller themself). */
  roles?: readonly Role[];
}

/** What tab-sso routes need. */
export interface AccessControl {
  sso?: SsoValidator;
  roles?: RoleResolver;
  /** Told of each person the SSO check let in (a reminder's "opened" step). */
  onCaller?: (userId: string) => void;
}

const rules = new WeakMap<Server, RouteRule[]>();

/** Registers a route with its rule. */
export function route(
  server: Server,
  access: AccessControl,
  rule: RouteRule,
  ...chain: (RequestHandler | RequestHandler[])[]
): void {
  let handlers = chain.flat();
  if (rule.auth === 'tab-sso') {
    if (!access.sso || !access.roles) throw new Error(`${rule.method} ${rule.path}: tab-sso routes need SSO and roles`);
    if (!rule.roles || rule.roles.length === 0)
      throw new Error(`${rule.method} ${rule.path}: tab-sso routes need roles`);
    handlers = [access.sso.middleware(access.onCaller), requireRoles(rule.roles, access.roles), ...handlers];
  }
  const list = rules.get(server) ?? [];
  list.push(rule);
  rules.set(server, list);
  const register = {
    GET: server.get,
    POST: server.post,
    PUT: server.put,
    PATCH: server.patch,
    DELETE: server.del,
  }[rule.method].bind(server) as (path: string, ...chain: RequestHandler[]) => unknown;
  register(rule.path, ...handlers);
}

/** The rules registered on `server`. */
export function routeRules(server: Server): readonly RouteRule[] {
  return rules.get(server) ?? [];
}

/** Routes on `server` that were registered without a rule (should be none). */
export function unruledRoutes(server: Server): { method: string; path: string }[] {
  const declared = new Set(routeRules(server).map((r) => `${r.method} ${r.path}`));
  return Object.values(server.router.getRoutes() as unknown as Record<string, { method: string; path: string }>)
    .map((r) => ({ method: r.method.toUpperCase(), path: String(r.path) }))
    .filter((r) => !declared.has(`${r.method} ${r.path}`));
}

/** Middleware: the SSO caller must hold one of `roles` towards the route's `:userId`. */
function requireRoles(roles: readonly Role[], resolver: RoleResolver) {
  return (req: Request, res: Response, next: Next): void => {
    const caller = (req as SsoRequest).ssoCaller;
    const params = (req.params ?? {}) as Record<string, string | undefined>;
    const target = params.userId ?? caller?.userId;
    allowed(roles, resolver, caller?.userId, target).then(
      (ok) => {
        if (ok) return next();
        sendError(req, res, new AppError('auth.forbidden', 'role does not allow this', { status: 403 }));
        return next(false);
      },
      (err: unknown) => {
        sendError(req, res, err);
        next(false);
      },
    );
  };
}

/** Whether `callerId` holds one of `roles` towards `targetId`. */
async function allowed(
  roles: readonly Role[],
  resolver: RoleResolver,
  callerId: string | undefined,
  targetId: string | undefined,
): Promise<boolean> {
  if (!callerId || !targetId) return false;
  const same = callerId.toLowerCase() === targetId.toLowerCase();
  if (roles.includes('self') && same) return true;
  if (roles.includes('manager-of') && !same && (await resolver.isManagerOf(callerId, targetId))) return true;
  if (roles.includes('admin') && (await resolver.isAdmin(callerId))) return true;
  return false;
}
