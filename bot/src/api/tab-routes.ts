/** The personal tab's HTTP API (tab-contract.ts lists every route, its rule and its answer). */
import type { Server } from 'restify';
import type { AccessControl } from './route-rules';
import { registerTabSessionRoutes, type TabSessionDeps } from './tab-session-routes';
import { registerMeRoutes, type MeRouteDeps } from './me-routes';
import { registerPhotoRequestRoutes, type PhotoRequestRouteDeps } from './photo-request-routes';
import { registerApprovalRoutes, type ApprovalRouteDeps } from './approval-routes';
import { registerAdminRoutes, type AdminRouteDeps } from './admin-routes';
import { registerAdminSettingsRoutes, type AdminSettingsDeps } from './admin-settings-routes';
import { registerAdminImportRoutes, type ImportRouteDeps } from './admin-import-routes';

/** Everything the tab's API needs. */
export interface TabRouteDeps {
  session: TabSessionDeps;
  me: MeRouteDeps;
  photoRequests: PhotoRequestRouteDeps;
  approvals: ApprovalRouteDeps;
  admin: AdminRouteDeps;
  settings: AdminSettingsDeps;
  imports: ImportRouteDeps;
}

/** Registers the tab's API (no answer is cached: security-headers.ts sends no-store on every one). */
export function registerTabRoutes(server: Server, deps: TabRouteDeps, access: AccessControl): void {
  registerTabSessionRoutes(server, deps.session, access);
  registerMeRoutes(server, deps.me, access);
  registerPhotoRequestRoutes(server, deps.photoRequests, access);
  registerApprovalRoutes(server, deps.approvals, access);
  registerAdminRoutes(server, deps.admin, access);
  registerAdminSettingsRoutes(server, deps.settings, access);
  registerAdminImportRoutes(server, deps.imports, access);
}
