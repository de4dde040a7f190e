/**
 * The app credential part of configuration (m365 mode): a client secret, a certificate
 * (PEM file with the private key and the certificate; the SHA-256 thumbprint is computed
 * from it unless given) or a managed identity. Read and checked once, at start-up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ConfigError } from './config-error';

/** How the app proves who it is to Entra ID. */
export type AppCredentialConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; privateKeyPem: string; thumbprintSha256: string; x5c: string; path: string }
  | { kind: 'managed-identity'; clientId?: string };

/** The environment keys this module reads (already parsed by config.ts). */
export interface CredentialEnv {
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppType: string;
  MicrosoftAppCertificatePath?: string;
  MicrosoftAppCertificateThumbprint?: string;
  AUTHORITY_HOST: string;
}

/** Picks the credential: managed identity, else certificate (preferred over a secret), else secret. */
export function readAppCredential(e: CredentialEnv): AppCredentialConfig {
  const authority = new URL(e.AUTHORITY_HOST);
  if (authority.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(authority.hostname)) {
    throw new ConfigError(`AUTHORITY_HOST must be https (received ${authority.origin})`);
  }
  if (e.MicrosoftAppType === 'UserAssignedMSI') return { kind: 'managed-identity', clientId: e.MicrosoftAppId };
  if (e.MicrosoftAppCertificatePath)
    return readCertificate(e.MicrosoftAppCertificatePath, e.MicrosoftAppCertificateThumbprint);
  if (e.MicrosoftAppPassword) return { kind: 'secret', secret: e.MicrosoftAppPassword };
  throw new ConfigError(
    'm365 mode needs MicrosoftAppPassword, MicrosoftAppCertificatePath or MicrosoftAppType=UserAssignedMSI',
  );
}

function readCertificate(path: string, thumbprint?: string): AppCredentialConfig {
  let pem: string;
  try {
    pem = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `MicrosoftAppCertificatePath: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const keyMatch = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem);
  const certMatch = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!keyMatch) throw new ConfigError(`MicrosoftAppCertificatePath: ${path} holds no PEM private key`);
  if (!certMatch) throw new ConfigError(`MicrosoftAppCertificatePath: ${path} holds no PEM certificate`);
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(certMatch[0]);
    if (!cert.checkPrivateKey(crypto.createPrivateKey(keyMatch[0])))
      throw new ConfigError(`MicrosoftAppCertificatePath: the private key in ${path} does not match its certificate`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`MicrosoftAppCertificatePath: ${path} is not a valid PEM certificate and key`);
  }
  const computed = cert.fingerprint256.replace(/:/g, '').toLowerCase();
  const given = thumbprint?.replace(/:/g, '').toLowerCase();
  if (given && given !== computed) {
    throw new ConfigError(
      `MicrosoftAppCertificateThumbprint does not match the certificate in ${path} (its SHA-256 is ${computed})`,
    );
  }
  return {
    kind: 'certificate',
    privateKeyPem: keyMatch[0],
    thumbprintSha256: computed,
    x5c: cert.raw.toString('base64'),
    path,
  };
}
