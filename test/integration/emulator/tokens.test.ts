import { createPublicKey, verify } from 'node:crypto';
import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { call, TenantClient, type Answer } from '../../support/local-tenant';

let t: TenantClient;
beforeAll(async () => {
  t = await TenantClient.start();
});
afterAll(() => t.close());
beforeEach(() => t.control('POST', '/_control/reset'));

function tokenRequest(fields: Record<string, string>): Promise<Answer> {
  return call(`${t.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const graphScope = 'https://graph.microsoft.com/.default';

describe('token endpoint (Entra ID stand-in)', () => {
  test('issues an app token that Graph accepts and the published JWKS verifies', async () => {
    const a = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: graphScope,
    });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const jwt = a.json.access_token as string;
    const claims = claimsOf(jwt);
    // Graph takes v1.0 tokens: Entra issues those for it from either endpoint (access-token claims reference).
    expect(claims).toMatchObject({
      iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      ver: '1.0',
      tid: DEMO_TENANT_ID,
      aud: 'https://graph.microsoft.com',
      appid: DEMO_APP.clientId,
      appidacr: '1',
      idtyp: 'app',
    });
    // oid and sub: the app's service principal in the tenant (a GUID), not its client id.
    expect(claims.oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(claims.sub).toBe(claims.oid);
    expect(claims.azp).toBeUndefined();
    // A Graph token carries Graph roles only: SharePoint's Sites.FullControl.All is not among them.
    expect(claims.roles).not.toContain('Sites.FullControl.All');
    expect(claims.roles).toEqual(
      expect.arrayContaining([
        'User.Read.All',
        'ProfilePhoto.ReadWrite.All',
        'TeamsAppInstallation.ReadWriteSelfForUser.All',
        'PeopleSettings.Read.All',
      ]),
    );
    expect((claims.exp as number) - (claims.iat as number)).toBe(3599);

    // Verify the signature independently from the discovery documents.
    const config = await call(`${t.url}/${DEMO_TENANT_ID}/.well-known/openid-configuration`);
    expect(config.json.issuer).toBe(claims.iss);
    const jwks = await call(config.json.jwks_uri as string);
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string; alg: string };
    expect(header.alg).toBe('RS256');
    const jwk = (jwks.json.keys as Array<{ kid: string; n: string; e: string; kty: string }>).find(
      (k) => k.kid === header.kid,
    );
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk?.n, e: jwk?.e }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);

    const me = await t.graph(jwt, 'GET', `/v1.0/users/${DEMO_USERS.alex}`);
    expect(me.status).toBe(200);
    expect(me.json.displayName).toBe('Alex Wilber');
  });

  test('accepts client credentials in HTTP Basic auth', async () => {
    const a = await call(`${t.url}/example.com/oauth2/v2.0/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${DEMO_APP.clientId}:${DEMO_APP.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: graphScope }),
    });
    expect(a.status).toBe(200);
  });

  test('wrong secret is 401 invalid_client AADSTS7000215', async () => {
    const a = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: 'nope',
      scope: graphScope,
    });
    expect(a.status).toBe(401);
    expect(a.json.error).toBe('invalid_client');
    expect(a.json.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(a.json.error_codes).toEqual([7000215]);
  });

  test('unknown app is 400 unauthorized_client AADSTS700016', async () => {
    const a = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'someone-else',
      client_secret: 'x',
      scope: graphScope,
    });
    expect(a.status).toBe(400);
    expect(a.json.error).toBe('unauthorized_client');
    expect(a.json.error_description).toMatch(/^AADSTS700016/);
  });

  test('scope without /.default and unknown tenant are refused', async () => {
    const scope = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
      scope: 'User.Read',
    });
    expect(scope.status).toBe(400);
    expect(scope.json.error).toBe('invalid_scope');
    const tenant = await call(`${t.url}/other-tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(tenant.status).toBe(400);
    expect(tenant.json.error).toBe('invalid_tenant');
  });

  test('delegated token for a user carries scp and oid; disabled users cannot get one', async () => {
    const a = await t.control('POST', '/_control/tokens/user', { userId: 'alexw@example.com' });
    expect(a.status).toBe(200);
    const claims = claimsOf(a.json.access_token as string);
    expect(claims).toMatchObject({
      oid: DEMO_USERS.alex,
      scp: 'User.Read User.ReadWrite User.ReadBasic.All',
      upn: 'alexw@example.com',
      ver: '1.0',
      appidacr: '0',
    });
    expect(claims.roles).toBeUndefined();
    // sub is pairwise: the same for this user and app every time, another for another app.
    const again = await t.control('POST', '/_control/tokens/user', { userId: DEMO_USERS.alex });
    expect(claimsOf(again.json.access_token as string).sub).toBe(claims.sub);
    const otherApp = await t.control('POST', '/_control/tokens/user', {
      userId: DEMO_USERS.alex,
      clientId: 'other-app',
    });
    expect(claimsOf(otherApp.json.access_token as string).sub).not.toBe(claims.sub);
    const api = await t.control('POST', '/_control/tokens/user', {
      userId: DEMO_USERS.alex,
      audience: `api://localhost/${DEMO_APP.clientId}`,
    });
    // Headshot's own API asks for v2.0 tokens.
    expect(claimsOf(api.json.access_token as string)).toMatchObject({
      aud: `api://localhost/${DEMO_APP.clientId}`,
      scp: 'access_as_user',
      ver: '2.0',
      iss: `${t.url}/${DEMO_TENANT_ID}/v2.0`,
      azp: DEMO_APP.clientId,
      preferred_username: 'alexw@example.com',
    });
    const disabled = await t.control('POST', '/_control/tokens/user', { userId: DEMO_USERS.henrietta });
    expect(disabled.status).toBe(400);
    expect(disabled.json.error_description).toMatch(/^AADSTS50057/);
  });
});

describe('roles per resource, and the certificate credential', () => {
  test('a SharePoint token carries SharePoint roles only, a connector token none', async () => {
    const sp = claimsOf(await t.certificateToken('https://example-my.sharepoint.com/.default'));
    expect(sp).toMatchObject({ ver: '1.0', appidacr: '2', roles: ['Sites.FullControl.All', 'User.ReadWrite.All'] });
    const bot = claimsOf(await t.certificateToken('https://api.botframework.com/.default'));
    expect(bot).toMatchObject({ aud: 'https://api.botframework.com', appidacr: '2' });
    expect(bot.roles).toBeUndefined();
  });

  test('a client assertion signed by an unknown key, or for another endpoint, is refused with AADSTS errors', async () => {
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: 'x' })
      .setProtectedHeader({ alg: 'RS256', 'x5t#S256': 'unknown' })
      .setIssuer(DEMO_APP.clientId)
      .setSubject(DEMO_APP.clientId)
      .setAudience(`${t.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const a = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: graphScope,
    });
    expect(a.status).toBe(401);
    expect(a.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    const wrongType = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_assertion_type: 'password',
      client_assertion: assertion,
      scope: graphScope,
    });
    expect(wrongType.status).toBe(400);
  });
});

describe('CORS for pages on loopback (the tab signs in through the control API)', () => {
  test('a loopback origin gets a preflight grant; another origin gets none', async () => {
    const ok = await call(`${t.url}/_control/tokens/user`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3978',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3978');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type');
    const evil = await call(`${t.url}/_control/tokens/user`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Graph authentication', () => {
  const path = `/v1.0/users/${DEMO_USERS.alex}`;

  test('no token is 401 InvalidAuthenticationToken in Graph error shape with request ids', async () => {
    const a = await t.graph(undefined, 'GET', path);
    expect(a.status).toBe(401);
    expect(a.json.error.code).toBe('InvalidAuthenticationToken');
    expect(a.json.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      'request-id': a.headers.get('request-id'),
      'client-request-id': a.headers.get('client-request-id'),
    });
  });

  test('echoes client-request-id', async () => {
    const a = await call(`${t.url}${path}`, { headers: { 'client-request-id': 'abc-123' } });
    expect(a.headers.get('client-request-id')).toBe('abc-123');
    expect(a.json.error.innerError['client-request-id']).toBe('abc-123');
  });

  test('tampered, wrong-audience and garbage tokens are 401', async () => {
    const good = await t.appToken();
    const [h, p, s] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['User.ReadWrite.All'] })).toString('base64url')}.${s}`;
    for (const token of [forged, 'not-a-jwt', `${h}.${p}`]) {
      const a = await t.graph(token, 'GET', path);
      expect(a.status).toBe(401);
      expect(a.json.error.code).toBe('InvalidAuthenticationToken');
    }
    const other = await t.control('POST', '/_control/tokens/app', {
      audience: 'https://api.botframework.com',
      roles: [],
    });
    const a = await t.graph(other.json.access_token as string, 'GET', path);
    expect(a.status).toBe(401);
    expect(a.json.error.message).toMatch(/audience/i);
  });

  test('a token from another local tenant instance (other key) is refused', async () => {
    const other = await TenantClient.start();
    try {
      const foreign = await other.appToken();
      const a = await t.graph(foreign, 'GET', path);
      expect(a.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
