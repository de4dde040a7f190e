import { randomUUID } from 'node:crypto';
import type { SeedApp, SeedUser } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import type { TokenClaims } from './token-signer';

/** Lifetime of issued tokens, as Entra ID reports it for client credentials. */
const TOKEN_LIFETIME_SECONDS = 3599;

/** An OAuth 2.0 token response body. */
export interface TokenResponse {
  token_type: 'Bearer';
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/** Default delegated scopes for a user token, by audience (Graph gets what the tab needs). */
export function defaultScopes(audience: string): string[] {
  return audience === 'https://graph.microsoft.com'
    ? ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All']
    : ['access_as_user'];
}

/** Turns an OAuth scope (`https://graph.microsoft.com/.default`) into the token audience. */
export function audienceFromScope(scope: string): string | undefined {
  const first = scope.split(' ').find((s) => s.endsWith('/.default'));
  return first === undefined ? undefined : first.slice(0, -'/.default'.length);
}

function baseClaims(
  state: TenantState,
  audience: string,
): Pick<TokenClaims, 'aud' | 'iss' | 'iat' | 'nbf' | 'exp' | 'tid' | 'ver'> {
  const now = state.clock.nowSeconds();
  return {
    aud: audience,
    iss: state.issuer(),
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    tid: state.directory.tenantId,
    ver: '2.0',
  };
}

function asResponse(token: string): TokenResponse {
  return {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: token,
  };
}

/** Issues an application (client-credentials) token carrying the app's consented roles. */
export async function issueAppToken(
  state: TenantState,
  app: Pick<SeedApp, 'clientId' | 'roles'>,
  audience: string,
): Promise<TokenResponse> {
  const claims: TokenClaims = {
    ...baseClaims(state, audience),
    sub: app.clientId,
    oid: app.clientId,
    appid: app.clientId,
    azp: app.clientId,
    idtyp: 'app',
    roles: [...app.roles],
  };
  return asResponse(await state.signer.sign(claims));
}

/** Issues a delegated token for a user (what the tab's sign-in would obtain). */
export async function issueUserToken(
  state: TenantState,
  user: SeedUser,
  clientId: string,
  audience: string,
  scopes: readonly string[],
): Promise<TokenResponse> {
  const claims: TokenClaims = {
    ...baseClaims(state, audience),
    sub: randomUUID(),
    oid: user.id,
    appid: clientId,
    azp: clientId,
    idtyp: 'user',
    scp: scopes.join(' '),
    name: user.displayName,
    preferred_username: user.upn,
    upn: user.upn,
  };
  return asResponse(await state.signer.sign(claims));
}
