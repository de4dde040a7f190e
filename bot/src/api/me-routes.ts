/**
 * The signed-in person's own routes: who they are and what they may open (`GET /api/me`),
 * their photo, their status report and its fixes, and the AD-ready photo. The user is always
 * the token's; nothing is taken from the path, the query or the body.
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../core/errors';
import type { ApprovalService } from '../core/approval/approval-service';
import type { Directory } from '../core/directory/directory-ports';
import type { ProfilePhotos } from '../core/photo/profile-photo-ports';
import type { StatusService } from '../core/status/status-service';
import { resolveLocale } from '../i18n/i18n';
import { reportJson } from '../i18n/status-messages';
import { requestLocale, sendError } from './http-errors';
import { route, type AccessControl } from './route-rules';
import { callerOf, jsonHandler, sendJpeg } from './tab-http';
import type { MeView, TabLocale } from './tab-contract';

/** What the "me" routes need. */
export interface MeRouteDeps {
  directory: Directory;
  /** Whether someone has direct reports. */
  reports: { hasDirectReports(userId: string): Promise<boolean> };
  /** Direct group memberships (the approvers group). */
  groups: { memberOf(userId: string): Promise<string[]> };
  /** The approval policy's approvers group, read on every use. */
  approversGroupId: () => Promise<string | undefined>;
  admins: { isAdmin(userId: string): Promise<boolean> };
  approvals: ApprovalService;
  status: StatusService;
  photos: ProfilePhotos;
}

const FIXES = {
  fix_sharepoint: (status: StatusService, userId: string) => status.fixSharePoint(userId, userId),
  apply_again: (status: StatusService, userId: string) => status.applyAgain(userId, userId),
} as const;

/** Registers the "me" routes. */
export function registerMeRoutes(server: Server, deps: MeRouteDeps, access: AccessControl): void {
  const self = (method: 'GET' | 'POST', path: string) => ({ method, path, auth: 'tab-sso', roles: ['self'] }) as const;

  route(
    server,
    access,
    self('GET', '/api/me'),
    jsonHandler(async (req) => me(deps, callerOf(req).userId)),
  );

  route(server, access, self('GET', '/api/me/photo'), async (req: Request, res: Response) => {
    try {
      const bytes = await deps.photos.get(callerOf(req).userId);
      if (!bytes) throw new AppError('photo.none', 'no photo', { status: 404 });
      sendJpeg(res, bytes);
    } catch (err) {
      sendError(req, res, err);
    }
  });

  route(
    server,
    access,
    self('GET', '/api/me/status'),
    jsonHandler(async (req) => reportJson(requestLocale(req), await deps.status.report(callerOf(req).userId))),
  );

  route(
    server,
    access,
    self('POST', '/api/me/status/fixes/:fix'),
    jsonHandler(async (req) => {
      const userId = callerOf(req).userId;
      const fix = (req.params as { fix?: string }).fix ?? '';
      const run = Object.hasOwn(FIXES, fix) ? FIXES[fix as keyof typeof FIXES] : undefined;
      if (!run)
        throw new AppError(
          'input.invalid',
          `Expected fix_sharepoint or apply_again but received '${fix.slice(0, 40)}'`,
          {
            status: 400,
          },
        );
      await run(deps.status, userId);
      return reportJson(requestLocale(req), await deps.status.report(userId));
    }),
  );

  route(server, access, self('GET', '/api/me/ad-photo'), async (req: Request, res: Response) => {
    try {
      const userId = callerOf(req).userId;
      sendJpeg(res, await deps.status.adReadyPhoto(userId, userId), 'headshot-ad-photo-96x96.jpg');
    } catch (err) {
      sendError(req, res, err);
    }
  });
}

async function me(deps: MeRouteDeps, userId: string): Promise<MeView> {
  const user = await deps.directory.getUser(userId);
  if (!user) throw new AppError('m365.user_not_found', `no user ${userId}`, { status: 404 });
  const approvers = await deps.approversGroupId();
  const [hasReports, groups, isAdmin, requirement, selfServiceBlocked] = await Promise.all([
    deps.reports.hasDirectReports(user.id),
    approvers ? deps.groups.memberOf(user.id) : Promise.resolve([]),
    deps.admins.isAdmin(user.id),
    deps.approvals.requirementFor(user.id),
    deps.status.selfServiceBlocked(),
  ]);
  const preferredLocale = preferredLocaleOf(user.preferredLanguage);
  return {
    id: user.id,
    displayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    ...(preferredLocale ? { preferredLocale } : {}),
    isApprover:
      hasReports || (approvers !== undefined && groups.some((g) => g.toLowerCase() === approvers.toLowerCase())),
    isAdmin,
    approvalRequired: requirement.required,
    selfServiceBlocked,
  };
}

/** The directory's preferred language as a product locale; absent when unset or a language we do not speak. */
function preferredLocaleOf(tag: string | undefined): TabLocale | undefined {
  if (!tag) return undefined;
  const locale = resolveLocale(tag);
  // resolveLocale falls back to English for any other language: that is no preference.
  return tag.trim().toLowerCase().split(/[-_]/)[0] === locale ? locale : undefined;
}
