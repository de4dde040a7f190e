/**
 * App-only access tokens for Microsoft Graph and the Bot Connector.
 * m365 mode uses MSAL (client credentials); local mode asks the local tenant's
 * token endpoint over plain HTTP, which MSAL refuses (it requires https authorities).
 */
import { ConfidentialClientApplication, ManagedIdentityApplication } from '@azure/msal-node';
import { z } from 'zod';
import { AppError } from '../core/errors';

/** Gives a bearer token for a resource scope such as `https://graph.microsoft.com/.default`. */
export interface TokenSource {
  /** A token valid for at least a minute more. */
  getToken(scope: string): Promise<string>;
  /** Forgets `token` if it is still the cached one for `scope` (the resource answered 401), so the next getToken asks again. */
  invalidate?(scope: string, token: string): void;
}

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

/** Refresh this long before a token runs out. */
const EARLY_REFRESH_MS = 5 * 60_000;

/** Signs a certificate credential (an RFC 7523 client assertion) for a token endpoint URL. */
export type ClientAssertion = (tokenUrl: string) => Promise<string>;

/**
 * Client credentials against an OAuth token endpoint that speaks plain HTTP (the local tenant): with a
 * certificate (`client_assertion`) when one is given, as SharePoint Online requires, else the secret.
 */
export class LocalClientCredentials implements TokenSource {
  private readonly cache = new Map<string, { token: string; fetchedAt: number; refreshAt: number }>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly authority: string,
    private readonly tenantId: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly now: () => number = Date.now,
    private readonly assertion?: ClientAssertion,
  ) {}

  async getToken(scope: string): Promise<string> {
    const hit = this.cache.get(scope);
    const now = this.now();
    // A token fetched "later" than now belongs to a clock that went back (a test resetting the local tenant's time).
    if (hit && hit.refreshAt > now && hit.fetchedAt <= now) return hit.token;
    const running = this.inflight.get(scope);
    if (running) return running;
    const p = this.fetchToken(scope).finally(() => this.inflight.delete(scope));
    this.inflight.set(scope, p);
    return p;
  }

  invalidate(scope: string, token: string): void {
    if (this.cache.get(scope)?.token === token) this.cache.delete(scope);
  }

  private async fetchToken(scope: string): Promise<string> {
    const url = `${this.authority}/${encodeURIComponent(this.tenantId)}/oauth2/v2.0/token`;
    let res: Response;
    try {
      const credential: Record<string, string> = this.assertion
        ? {
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: await this.assertion(url),
          }
        : { client_secret: this.clientSecret };
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, ...credential, scope }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new AppError('m365.unavailable', 'token endpoint unreachable', { retryable: true, cause: err });
    }
    if (res.status === 429 || res.status >= 500) {
      throw new AppError('m365.unavailable', `token endpoint answered ${res.status}`, { retryable: true });
    }
    const body: unknown = await res.json().catch(() => null);
    const parsed = tokenResponse.safeParse(body);
    if (!res.ok || !parsed.success) {
      throw new AppError('m365.forbidden', `token request refused (${res.status})`, { status: 502 });
    }
    const { access_token, expires_in } = parsed.data;
    const fetchedAt = this.now();
    this.cache.set(scope, {
      token: access_token,
      fetchedAt,
      refreshAt: fetchedAt + expires_in * 1000 - EARLY_REFRESH_MS,
    });
    return access_token;
  }
}

/** How the app proves who it is to Entra ID in m365 mode. */
export type AppCredential =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; privateKeyPem: string; thumbprintSha256: string; x5c?: string }
  | { kind: 'managed-identity'; clientId?: string };

/** Client credentials with MSAL (secret or certificate), which caches and refreshes tokens itself. */
export class MsalClientCredentials implements TokenSource {
  private readonly app: ConfidentialClientApplication;

  constructor(
    authorityHost: string,
    tenantId: string,
    clientId: string,
    credential: Exclude<AppCredential, { kind: 'managed-identity' }>,
  ) {
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId,
        authority: `${authorityHost}/${tenantId}`,
        ...(credential.kind === 'secret'
          ? { clientSecret: credential.secret }
          : {
              clientCertificate: {
                thumbprintSha256: credential.thumbprintSha256,
                privateKey: credential.privateKeyPem,
                ...(credential.x5c ? { x5c: credential.x5c } : {}),
              },
            }),
      },
    });
  }

  async getToken(scope: string): Promise<string> {
    try {
      const result = await this.app.acquireTokenByClientCredential({ scopes: [scope] });
      if (!result?.accessToken) throw new Error('no token in the answer');
      return result.accessToken;
    } catch (err) {
      throw new AppError('m365.forbidden', 'token request failed', { status: 502, cause: err });
    }
  }
}

/** App Service managed identity (system- or user-assigned) through MSAL; MSAL caches per resource. */
export class MsalManagedIdentity implements TokenSource {
  private readonly app: ManagedIdentityApplication;

  constructor(userAssignedClientId?: string) {
    this.app = new ManagedIdentityApplication(
      userAssignedClientId ? { managedIdentityIdParams: { userAssignedClientId } } : {},
    );
  }

  async getToken(scope: string): Promise<string> {
    try {
      const result = await this.app.acquireToken({ resource: scope.replace(/\/\.default$/, '') });
      if (!result?.accessToken) throw new Error('no token in the answer');
      return result.accessToken;
    } catch (err) {
      throw new AppError('m365.forbidden', 'managed identity token request failed', { status: 502, cause: err });
    }
  }
}
