/**
 * Local mode's demo sign-in: the local tenant's people, and a user token for one of them from
 * the tenant's token issuer (`POST /_control/tokens/user`, audience `api://localhost/<clientId>`,
 * scope `access_as_user`). The token is then checked like any other by the SsoValidator.
 */
import { AppError } from '../core/errors';
import type { Directory } from '../core/directory/directory-ports';
import type { DemoPerson, LocalSignIn, LocalSignInResult } from '../core/session/local-sign-in';
import type { GraphPeople } from '../m365/graph-people';

/** What the demo sign-in needs. */
export interface LocalTenantSignInDeps {
  tenantUrl: string;
  /** Headshot's client id in the local tenant (the token's audience is `api://localhost/<clientId>`). */
  clientId: string;
  people: GraphPeople;
  directory: Directory;
  admins: { isAdmin(userId: string): Promise<boolean> };
}

/** LocalSignIn against the local tenant. */
export class LocalTenantSignIn implements LocalSignIn {
  constructor(private readonly d: LocalTenantSignInDeps) {}

  /** Everyone who can sign in (disabled accounts left out), with what they will see. */
  async people(): Promise<DemoPerson[]> {
    const people = (await this.d.people.list()).filter((p) => p.accountEnabled);
    return Promise.all(
      people.map(async (p) => {
        const [isManager, isAdmin] = await Promise.all([
          this.d.people.hasDirectReports(p.id),
          this.d.admins.isAdmin(p.id),
        ]);
        return {
          id: p.id,
          displayName: p.displayName,
          userPrincipalName: p.userPrincipalName,
          ...(p.jobTitle ? { jobTitle: p.jobTitle } : {}),
          isManager,
          isAdmin,
        };
      }),
    );
  }

  /** A token for the person; 404 for someone unknown, 400 for a disabled account. */
  async signIn(userId: string): Promise<LocalSignInResult> {
    const user = await this.d.directory.getUser(userId);
    if (!user)
      throw new AppError('input.not_found', 'no such person', { status: 404, messageKey: 'tab.errors.person_unknown' });
    if (!user.accountEnabled)
      throw new AppError('input.invalid', 'account disabled', {
        status: 400,
        messageKey: 'tab.errors.person_disabled',
      });
    const res = await fetch(`${this.d.tenantUrl}/_control/tokens/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: user.id,
        audience: `api://localhost/${this.d.clientId}`,
        scopes: ['access_as_user'],
        clientId: this.d.clientId,
      }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown };
    if (!res.ok || typeof body.access_token !== 'string')
      throw new AppError('m365.unexpected', `local tenant token issuer answered ${res.status}`);
    return {
      userId: user.id,
      token: body.access_token,
      expiresAt: new Date(expiryOf(body.access_token)).toISOString(),
    };
  }
}

/** The token's `exp` in epoch ms (the local tenant's clock, which may be moved). */
function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
  if (typeof payload.exp !== 'number') throw new AppError('m365.unexpected', 'local tenant token without exp');
  return payload.exp * 1000;
}
