/**
 * The demo app's certificate in local mode. SharePoint Online takes app-only tokens only from a
 * certificate credential, so local mode authenticates like a production deployment with a
 * certificate: it makes an RSA key pair when it first needs a token, uploads the public key to the
 * demo app's registration (as an admin uploads a certificate in the Entra admin centre; here the local
 * tenant's loopback control API), and signs each token request with an RFC 7523 client assertion
 * whose `x5t#S256` header names the key. The private key never leaves this process.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import type { ClientAssertion } from '../m365/token-source';

/** Assertions live as long as MSAL's (10 minutes). */
const ASSERTION_SECONDS = 600;

interface Key {
  privateKey: KeyLike;
  thumbprint: string;
}

async function makeAndUpload(tenantUrl: string, clientId: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
  const res = await fetch(`${tenantUrl}/_control/apps/${encodeURIComponent(clientId)}/certificates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jwk: { kty: 'RSA', n: jwk.n, e: jwk.e } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`the local tenant refused the demo app's certificate (${res.status})`);
  return { privateKey, thumbprint };
}

/** Client assertions signed with a certificate made for the demo app on first use. */
export function localCertificate(tenantUrl: string, clientId: string): ClientAssertion {
  let key: Promise<Key> | undefined;
  return async (tokenUrl) => {
    key ??= makeAndUpload(tenantUrl, clientId).catch((err: unknown) => {
      key = undefined;
      throw err;
    });
    const { privateKey, thumbprint } = await key;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': thumbprint })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenUrl)
      .setNotBefore(now)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_SECONDS)
      .sign(privateKey);
  };
}
