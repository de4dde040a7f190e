import { createHash, generateKeyPair, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/*
 * Why node:crypto and not jose: jose 6 is published as ES modules only, and the
 * project's jest setup (ts-jest, CommonJS, node_modules not transformed) cannot load
 * it, while every test runs the emulator in-process. RS256 JWS is small enough to
 * do with node:crypto directly; the JWKS is the standard one, so any validator
 * (jose's createRemoteJWKSet included) accepts our tokens. Swapping jose in is
 * confined to this file.
 */

/** Claims of a token issued by the local tenant (the subset we produce and read back). */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  ver: '2.0';
  sub: string;
  oid?: string;
  appid?: string;
  azp?: string;
  idtyp?: 'app' | 'user';
  /** Application permissions (client-credential tokens). */
  roles?: string[];
  /** Delegated scopes, space separated (user tokens). */
  scp?: string;
  name?: string;
  preferred_username?: string;
  upn?: string;
}

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  alg: 'RS256';
  kid: string;
  n: string;
  e: string;
}

/** Why a token was refused (mapped to Graph's 401 messages by the caller). */
export type TokenProblem = 'malformed' | 'signature' | 'issuer' | 'audience' | 'expired' | 'notYetValid';

/** Result of verifying a bearer token. */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Signs and verifies the local tenant's RS256 tokens with a key generated at start. */
export class TokenSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly jwk: PublicJwk,
  ) {}

  /** Generates a fresh 2048-bit RSA key pair and its JWK (kid = RFC 7638 thumbprint). */
  static async create(): Promise<TokenSigner> {
    const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048 }, (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv })));
    });
    const raw = publicKey.export({ format: 'jwk' }) as JsonWebKey;
    const n = String(raw.n);
    const e = String(raw.e);
    const kid = b64url(createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest());
    return new TokenSigner(privateKey, publicKey, { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e });
  }

  /** The JWKS document (`{ keys: [...] }`). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.jwk }] };
  }

  /** Signs claims as a compact RS256 JWS. */
  sign(claims: TokenClaims): string {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.jwk.kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), this.privateKey))}`;
  }

  /** Checks signature, issuer, audience and lifetime against the virtual time `nowSeconds`. */
  verify(token: string, expected: { issuer: string; audiences: readonly string[]; nowSeconds: number }): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, problem: 'malformed' };
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let claims: TokenClaims;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, problem: 'malformed' };
    }
    if (typeof claims !== 'object' || claims === null) return { ok: false, problem: 'malformed' };
    if (header.alg !== 'RS256' || header.kid !== this.jwk.kid) return { ok: false, problem: 'signature' };
    if (!verify('sha256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'))) {
      return { ok: false, problem: 'signature' };
    }
    if (claims.iss !== expected.issuer) return { ok: false, problem: 'issuer' };
    if (!expected.audiences.includes(claims.aud)) return { ok: false, problem: 'audience' };
    if (typeof claims.exp !== 'number' || expected.nowSeconds >= claims.exp) return { ok: false, problem: 'expired' };
    if (typeof claims.nbf === 'number' && expected.nowSeconds + 300 < claims.nbf) return { ok: false, problem: 'notYetValid' };
    return { ok: true, claims };
  }
}
