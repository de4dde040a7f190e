import { SignJWT, calculateJwkThumbprint, errors, exportJWK, generateKeyPair, jwtVerify, type KeyLike } from 'jose';

/** Claims of a token issued by the local tenant (the subset we produce and read back). */
export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  ver: '1.0' | '2.0';
  sub: string;
  oid?: string;
  /** v1.0: the client's app id and how it authenticated (0 public, 1 secret, 2 certificate). */
  appid?: string;
  appidacr?: '0' | '1' | '2';
  /** v2.0: the same two. */
  azp?: string;
  azpacr?: '0' | '1' | '2';
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

/** Signs and verifies the local tenant's RS256 tokens (jose) with a key generated at start. */
export class TokenSigner {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly jwk: PublicJwk,
  ) {}

  /** Generates a fresh 2048-bit RSA key pair and its JWK (kid = RFC 7638 thumbprint). */
  static async create(): Promise<TokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const raw = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(raw, 'sha256');
    return new TokenSigner(privateKey, publicKey, {
      kty: 'RSA',
      use: 'sig',
      alg: 'RS256',
      kid,
      n: String(raw.n),
      e: String(raw.e),
    });
  }

  /** The JWKS document (`{ keys: [...] }`). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.jwk }] };
  }

  /** Signs claims as a compact RS256 JWS. */
  sign(claims: TokenClaims): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.jwk.kid })
      .sign(this.privateKey);
  }

  /** Checks signature, issuer, audience and lifetime against the virtual time `nowSeconds`. */
  async verify(
    token: string,
    expected: { issuer: string | readonly string[]; audiences: readonly string[]; nowSeconds: number },
  ): Promise<TokenCheck> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        issuer: typeof expected.issuer === 'string' ? expected.issuer : [...expected.issuer],
        audience: [...expected.audiences],
        currentDate: new Date(expected.nowSeconds * 1000),
        clockTolerance: 0,
        requiredClaims: ['exp'],
      });
      return { ok: true, claims: payload as unknown as TokenClaims };
    } catch (err) {
      return { ok: false, problem: problemOf(err) };
    }
  }
}

/** Maps jose's verification errors to the reasons Graph reports. */
function problemOf(err: unknown): TokenProblem {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'issuer';
    if (err.claim === 'aud') return 'audience';
    if (err.claim === 'nbf') return 'notYetValid';
    if (err.claim === 'exp') return 'expired';
    return 'malformed';
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JOSEAlgNotAllowed)
    return 'signature';
  return 'malformed';
}
