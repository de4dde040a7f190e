/**
 * The tokens Entra ID issues, as Microsoft 365's resources receive them.
 * - Microsoft Graph, SharePoint Online and the Bot Connector accept v1.0 access tokens
 *   (their app registrations do not ask for v2), so Entra issues v1.0 tokens for them whatever
 *   endpoint the client used: `iss https://sts.windows.net/{tid}/`, `ver 1.0`, `appid`,
 *   `appidacr` (0 public client, 1 secret, 2 certificate), and for app tokens `oid` = `sub` =
 *   the client's service principal object id ("Access token claims reference",
 *   https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * - A token carries the roles consented on its audience only: Graph roles in a Graph token,
 *   SharePoint roles in a SharePoint token, none for the connector.
 * - Headshot's own API (the tab's SSO audience) gets v2.0 tokens (`azp`, `azpacr`), the
 *   version its manifest asks for, so the product's check sees both.
 */
import { createHash } from 'node:crypto';
import type { SeedApp, SeedUser } from '../seed/org-seed';
import { SHAREPOINT_APP_ID } from '../sharepoint/sharepoint-http';
import { SHAREPOINT_PREFIX } from '../state/sharepoint-store';
import { servicePrincipalId } from '../state/object-ids';
import type { TenantState } from '../state/tenant-state';
import type { TokenClaims } from './token-signer';

/** Lifetime of issued tokens, as Entra ID reports it for client credentials. */
const TOKEN_LIFETIME_SECONDS = 3599;

/** How the client proved who it is: `appidacr` 0 (public client), 1 (secret), 2 (certificate). */
export type ClientAuthMethod = '0' | '1' | '2';

/** An OAuth 2.0 token response body. */
export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/** Microsoft Graph's resource URI and app id. */
export const GRAPH_RESOURCES: readonly string[] = [
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
];
/** The Bot Connector's token audience. */
export const BOT_CONNECTOR_RESOURCE = 'https://api.botframework.com';

/** Which Microsoft 365 resource an audience names. */
export type Resource = 'graph' | 'sharepoint' | 'connector' | 'other';

/**
 * Audiences SharePoint accepts from the local tenant: the My Site Host as the local tenant serves it
 * (`<base>/sp`), the tenant's `https://<name>.sharepoint.com` and `https://<name>-my.sharepoint.com`
 * resources, and SharePoint's app id.
 */
export function sharePointAudiences(state: TenantState): string[] {
  const name = state.directory.domain.split('.')[0] ?? state.directory.domain;
  return [
    `${state.baseUrl}${SHAREPOINT_PREFIX}`,
    state.baseUrl,
    `https://${name}.sharepoint.com`,
    `https://${name}-my.sharepoint.com`,
    SHAREPOINT_APP_ID,
  ];
}

/** The resource of an audience. */
export function resourceOf(state: TenantState, audience: string): Resource {
  const a = audience.replace(/\/+$/, '');
  if (GRAPH_RESOURCES.includes(a)) return 'graph';
  if (a === BOT_CONNECTOR_RESOURCE) return 'connector';
  if (sharePointAudiences(state).includes(a)) return 'sharepoint';
  return 'other';
}

/** The v1.0 issuer of the tenant. */
export function issuerV1(state: TenantState): string {
  return `https://sts.windows.net/${state.directory.tenantId}/`;
}

/** Issuers the local tenant's resources accept (v1.0 and v2.0). */
export function acceptedIssuers(state: TenantState): string[] {
  return [issuerV1(state), state.issuer()];
}

/** The application permissions an app holds on a resource (none on the connector or an app's own API). */
export function rolesOn(app: Pick<SeedApp, 'roles' | 'sharePointRoles'>, resource: Resource): string[] {
  if (resource === 'graph') return [...app.roles];
  if (resource === 'sharepoint') return [...(app.sharePointRoles ?? [])];
  return [];
}

/** Default delegated scopes for a user token, by audience (Graph gets what the tab needs). */
export function defaultScopes(audience: string): string[] {
  return GRAPH_RESOURCES.includes(audience)
    ? ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All']
    : ['access_as_user'];
}

/** Turns an OAuth scope (`https://graph.microsoft.com/.default`) into the token audience. */
export function audienceFromScope(scope: string): string | undefined {
  const first = scope.split(' ').find((s) => s.endsWith('/.default'));
  return first === undefined ? undefined : first.slice(0, -'/.default'.length);
}

/** `sub` of a user token: stable for one user and one app, different across apps (pairwise). */
function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256')
    .update(`${userId.toLowerCase()}|${clientId.toLowerCase()}`)
    .digest('base64url')
    .slice(0, 43);
}

function timeClaims(state: TenantState): Pick<TokenClaims, 'iat' | 'nbf' | 'exp'> {
  const now = state.clock.nowSeconds();
  return { iat: now, nbf: now, exp: now + TOKEN_LIFETIME_SECONDS };
}

/** `iss`, `ver` and the client claims of the token version the audience gets. */
function versionClaims(
  state: TenantState,
  audience: string,
  clientId: string,
  acr: ClientAuthMethod,
): Pick<TokenClaims, 'iss' | 'ver' | 'appid' | 'appidacr' | 'azp' | 'azpacr'> {
  if (resourceOf(state, audience) === 'other') return { iss: state.issuer(), ver: '2.0', azp: clientId, azpacr: acr };
  return { iss: issuerV1(state), ver: '1.0', appid: clientId, appidacr: acr };
}

function asResponse(token: string): TokenResponse {
  return {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: token,
  };
}

/** Issues an application (client-credentials) token carrying `roles` (the app's roles on the audience). */
export async function issueAppToken(
  state: TenantState,
  app: { clientId: string; roles: readonly string[] },
  audience: string,
  acr: ClientAuthMethod = '1',
): Promise<TokenResponse> {
  const oid = servicePrincipalId(app.clientId);
  const claims: TokenClaims = {
    aud: audience,
    tid: state.directory.tenantId,
    ...timeClaims(state),
    ...versionClaims(state, audience, app.clientId, acr),
    sub: oid,
    oid,
    idtyp: 'app',
    ...(app.roles.length > 0 ? { roles: [...app.roles] } : {}),
  };
  return asResponse(await state.signer.sign(claims));
}

/** Issues a delegated token for a user (what the tab's sign-in would obtain; a public client). */
export async function issueUserToken(
  state: TenantState,
  user: SeedUser,
  clientId: string,
  audience: string,
  scopes: readonly string[],
): Promise<TokenResponse> {
  const claims: TokenClaims = {
    aud: audience,
    tid: state.directory.tenantId,
    ...timeClaims(state),
    ...versionClaims(state, audience, clientId, '0'),
    sub: pairwiseSubject(user.id, clientId),
    oid: user.id,
    idtyp: 'user',
    scp: scopes.join(' '),
    name: user.displayName,
    upn: user.upn,
    ...(resourceOf(state, audience) === 'other' ? { preferred_username: user.upn } : {}),
  };
  return asResponse(await state.signer.sign(claims));
}
