import type { IncomingMessage } from 'node:http';
import type { TenantState } from '../state/tenant-state';
import { acceptedIssuers, sharePointAudiences } from '../identity/token-issuer';
import { SHAREPOINT_APP_ID, SharePointError, accessDenied } from './sharepoint-http';

/** Who calls SharePoint: an app with roles, or a signed-in user. */
export type SharePointPrincipal = { kind: 'app'; roles: readonly string[] } | { kind: 'user'; userId: string };

/** What a call does, for the permission check. */
export type SharePointAccess = 'read' | 'write';

/** App roles (SharePoint's application permissions) that allow reading profiles and the library. */
const READ_ROLES = [
  'Sites.Read.All',
  'Sites.ReadWrite.All',
  'Sites.Manage.All',
  'Sites.FullControl.All',
  'User.Read.All',
  'User.ReadWrite.All',
];
/** App roles that allow writing profile properties and library files. */
const WRITE_ROLES = ['Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All', 'User.ReadWrite.All'];

function unauthorized(state: TenantState, message: string): SharePointError {
  return new SharePointError(401, '-2147024891, System.UnauthorizedAccessException', message, {
    'WWW-Authenticate': `Bearer realm="${state.directory.tenantId}",client_id="${SHAREPOINT_APP_ID}",trusted_issuers="00000001-0000-0000-c000-000000000000@*"`,
  });
}

/** Verifies the bearer token of a SharePoint request; throws SharePoint's 401 otherwise. */
export async function authenticateSharePoint(state: TenantState, req: IncomingMessage): Promise<SharePointPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (match === null) throw unauthorized(state, 'Unsupported app only token.');
  const check = await state.signer.verify(match[1] as string, {
    issuer: acceptedIssuers(state),
    audiences: sharePointAudiences(state),
    nowSeconds: state.clock.nowSeconds(),
  });
  if (!check.ok)
    throw unauthorized(
      state,
      check.problem === 'expired' ? 'Invalid JWT token. The token is expired.' : 'Invalid issuer or signature.',
    );
  const c = check.claims;
  if (c.tid !== state.directory.tenantId) throw unauthorized(state, 'Invalid issuer or signature.');
  if (c.idtyp === 'user' && c.oid !== undefined) return { kind: 'user', userId: c.oid };
  // SharePoint Online takes app-only tokens only from a certificate (or a managed identity): a secret's is refused.
  if ((c.appidacr ?? c.azpacr) !== '2') throw unauthorized(state, 'Unsupported app only token.');
  return { kind: 'app', roles: c.roles ?? [] };
}

/** Throws 403 unless the principal may do `access` (users only to their own profile). */
export function requireAccess(principal: SharePointPrincipal, access: SharePointAccess, ownerId?: string): void {
  if (principal.kind === 'app') {
    if (!principal.roles.some((r) => (access === 'read' ? READ_ROLES : WRITE_ROLES).includes(r))) throw accessDenied();
    return;
  }
  if (access === 'write' && (ownerId === undefined || ownerId.toLowerCase() !== principal.userId.toLowerCase()))
    throw accessDenied();
}
