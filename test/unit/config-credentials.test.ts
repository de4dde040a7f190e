/** m365 credentials: secret, certificate or managed identity, checked at start-up; SharePoint needs a certificate. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { ConfigError, loadConfig } from '../../bot/src/config';
import { tokenSourceKind } from '../../bot/src/m365/token-source-selection';

const base = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
  UPLOAD_TICKET_SECRET: 'x'.repeat(32),
  PUBLIC_BASE_URL: 'https://headshot.contoso.com',
};

let dir: string;
let pem: string;
let otherKeyPem: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=headshot',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  pem = path.join(dir, 'app.pem');
  fs.writeFileSync(
    pem,
    fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
  );
  otherKeyPem = path.join(dir, 'mismatch.pem');
  const other = crypto
    .generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' });
  fs.writeFileSync(otherKeyPem, String(other) + fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const message = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

test('a client secret: MSAL with the secret', () => {
  const c = loadConfig({ ...base, MicrosoftAppPassword: 's3cret' });
  expect(c.credential).toEqual({ kind: 'secret', secret: 's3cret' });
  expect(tokenSourceKind(c)).toBe('msal-secret');
});

test('a certificate: the thumbprint is computed from the PEM, and preferred over a secret', () => {
  const c = loadConfig({ ...base, MicrosoftAppPassword: 's3cret', MicrosoftAppCertificatePath: pem });
  const expected = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'cert.pem'))).fingerprint256
    .replace(/:/g, '')
    .toLowerCase();
  expect(c.credential).toMatchObject({ kind: 'certificate', thumbprintSha256: expected });
  expect(tokenSourceKind(c)).toBe('msal-certificate');
});

test('certificate problems are named at start-up', () => {
  expect(message({ ...base, MicrosoftAppCertificatePath: path.join(dir, 'missing.pem') })).toMatch(
    /MicrosoftAppCertificatePath: cannot read/,
  );
  expect(message({ ...base, MicrosoftAppCertificatePath: path.join(dir, 'cert.pem') })).toMatch(/no PEM private key/);
  expect(message({ ...base, MicrosoftAppCertificatePath: otherKeyPem })).toMatch(/does not match its certificate/);
  expect(
    message({ ...base, MicrosoftAppCertificatePath: pem, MicrosoftAppCertificateThumbprint: 'ab'.repeat(32) }),
  ).toMatch(/MicrosoftAppCertificateThumbprint does not match/);
});

test('SharePoint features with only a client secret are refused with the reason and the fix', () => {
  const m = message({
    ...base,
    MicrosoftAppPassword: 's3cret',
    SHAREPOINT_MYSITE_URL: 'https://contoso-my.sharepoint.com',
  });
  expect(m).toMatch(/SharePoint Online refuses app-only tokens obtained with a client secret/);
  expect(m).toMatch(/MicrosoftAppCertificatePath/);
  expect(() =>
    loadConfig({
      ...base,
      MicrosoftAppCertificatePath: pem,
      SHAREPOINT_MYSITE_URL: 'https://contoso-my.sharepoint.com',
    }),
  ).not.toThrow();
});

test('managed identity needs no secret', () => {
  const c = loadConfig({ ...base, MicrosoftAppType: 'UserAssignedMSI' });
  expect(c.credential).toEqual({ kind: 'managed-identity', clientId: base.MicrosoftAppId });
  expect(tokenSourceKind(c)).toBe('managed-identity');
});

test('no credential at all, or a plain-http authority that is not loopback, is refused', () => {
  expect(message(base)).toMatch(/MicrosoftAppPassword or MicrosoftAppCertificatePath/);
  expect(message({ ...base, MicrosoftAppPassword: 's', AUTHORITY_HOST: 'http://login.example.com' })).toMatch(
    /AUTHORITY_HOST must be https/,
  );
  expect(
    tokenSourceKind(loadConfig({ ...base, MicrosoftAppPassword: 's', AUTHORITY_HOST: 'http://127.0.0.1:3979' })),
  ).toBe('local');
});

test('Bot Framework trust defaults to the public cloud and can point elsewhere', () => {
  expect(loadConfig({ ...base, MicrosoftAppPassword: 's' }).botAuth).toEqual({
    openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    tokenIssuer: 'https://api.botframework.com',
    connectorScope: 'https://api.botframework.com',
  });
  expect(loadConfig({ ...base, MicrosoftAppPassword: 's' }).sso.audiences).toEqual([
    `api://headshot.contoso.com/${base.MicrosoftAppId}`,
    base.MicrosoftAppId,
  ]);
});
