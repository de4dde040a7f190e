/**
 * Certificates uploaded to app registrations, for the certificate credential of the client-credentials grant
 * (`client_assertion`, RFC 7523; "Microsoft identity platform certificate credentials",
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials). The local tenant keeps the
 * public key as a JWK and names it by its RFC 7638 SHA-256 thumbprint, which the assertion's `x5t#S256`
 * header carries. Uploads survive `reset`, like the app's secret: they are set-up, not organisation data.
 */
import { calculateJwkThumbprint, importJWK, type JWK, type KeyLike } from 'jose';

/** The public keys of each app's certificates. */
export class AppCertificates {
  private readonly byApp = new Map<string, Map<string, KeyLike | Uint8Array>>();

  /** Adds a public key (RSA JWK) to an app; returns its thumbprint. */
  async add(clientId: string, jwk: JWK): Promise<string> {
    if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string' || jwk.d !== undefined)
      throw new Error('Expected the public part of an RSA key as a JWK (kty, n, e; no private members).');
    const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256');
    const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256');
    const keys = this.byApp.get(clientId.toLowerCase()) ?? new Map<string, KeyLike | Uint8Array>();
    keys.set(thumbprint, key);
    this.byApp.set(clientId.toLowerCase(), keys);
    return thumbprint;
  }

  /** The key an assertion names, if the app has it. */
  find(clientId: string, thumbprint: string): KeyLike | Uint8Array | undefined {
    return this.byApp.get(clientId.toLowerCase())?.get(thumbprint);
  }
}
