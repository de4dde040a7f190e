/**
 * The tab's single sign-on: validates the Entra ID access token Teams gives the tab
 * (`getAuthToken`) against the tenant's published keys: signature (RS256, JWKS from
 * the tenant's OpenID configuration), issuer (v2 or v1 for our tenant), audience
 * (`api://<host>/<appId>` or the app id), tenant id, lifetime. Then who the caller is.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Next, Request, Response } from 'restify';
import { AppError } from '../core/errors';
import { sendError } from './http-errors';

/** Who called, according to a valid SSO token. */
export interface SsoCaller {
  userId: string;
  tenantId: string;
  /** Delegated scopes (`scp`), e.g. `access_as_user`. */
  scopes: string[];
  name?: string;
  upn?: string;
}

/** What a token must satisfy. */
export interface SsoOptions {
  /** Authority host: `https://login.microsoftonline.com` (the local tenant's URL in tests). */
  authorityHost: string;
  tenantId: string;
  /** Accepted audiences: `api://<host>/<appId>` and the bare app id. */
  audiences: readonly string[];
  /** Scope the tab's token must carry (default `access_as_user`). */
  requiredScope?: string;
  now?: () => Date;
  /** JWKS location; default `<authorityHost>/<tenantId>/discovery/v2.0/keys`. */
  jwksUrl?: string;
}

/** Validates SSO tokens; keys are fetched once and refreshed by jose when an unknown kid appears. */
export class SsoValidator {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly issuers: string[];

  constructor(private readonly options: SsoOptions) {
    const host = options.authorityHost.replace(/\/$/, '');
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${host}/${options.tenantId}/discovery/v2.0/keys`), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
    });
    this.issuers = [`${host}/${options.tenantId}/v2.0`, `https://sts.windows.net/${options.tenantId}/`];
    if (options.audiences.length === 0) throw new Error('SsoValidator needs at least one audience');
  }

  /** The caller of a valid token; throws auth.unauthenticated (401) for anything else. */
  async verify(token: string): Promise<SsoCaller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        algorithms: ['RS256'],
        issuer: this.issuers,
        audience: [...this.options.audiences],
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
        currentDate: this.options.now?.(),
        clockTolerance: 60,
      }));
    } catch (err) {
      throw new AppError('auth.unauthenticated', 'invalid SSO token', { status: 401, cause: err });
    }
    if (payload.tid !== this.options.tenantId) {
      throw new AppError('auth.unauthenticated', 'SSO token from another tenant', { status: 401 });
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
    const required = this.options.requiredScope ?? 'access_as_user';
    // An app-only token (no scp) or one for another purpose is not the tab acting for a person.
    if (!scopes.includes(required)) {
      throw new AppError('auth.forbidden', `SSO token lacks the ${required} scope`, { status: 403 });
    }
    return {
      userId: String(payload.oid),
      tenantId: String(payload.tid),
      scopes,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    };
  }

  /** Restify middleware: sets `req.ssoCaller` (and tells `onCaller`) or answers 401/403 in the caller's language. */
  middleware(onCaller?: (userId: string) => void) {
    return (req: Request, res: Response, next: Next): void => {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const verified = match
        ? this.verify(match[1] as string)
        : Promise.reject(new AppError('auth.unauthenticated', 'no SSO token', { status: 401 }));
      verified.then(
        (caller) => {
          (req as SsoRequest).ssoCaller = caller;
          onCaller?.(caller.userId);
          next();
        },
        (err: unknown) => {
          res.header('WWW-Authenticate', 'Bearer error="invalid_token"');
          sendError(req, res, err);
          next(false);
        },
      );
    };
  }
}

/** A request that passed SSO. */
export type SsoRequest = Request & { ssoCaller?: SsoCaller };
