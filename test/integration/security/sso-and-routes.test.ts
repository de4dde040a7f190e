/**
 * Every route declares who may call it, and the tab's SSO check with roles works against
 * the local tenant's Entra ID tokens (signature from its JWKS, issuer, audience, tenant, lifetime).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import restify from 'restify';
import {
  DEMO_APP,
  DEMO_GROUPS,
  DEMO_TENANT_ID,
  DEMO_USERS,
  startLocalTenant,
  type LocalTenant,
} from '../../../emulator';
import { route, routeRules, unruledRoutes } from '../../../bot/src/api/route-rules';
import { SsoValidator, type SsoRequest } from '../../../bot/src/api/sso-auth';
import { createGraphClient } from '../../../bot/src/m365/graph-client';
import { GraphDirectory } from '../../../bot/src/m365/graph-directory';
import { GraphRoleResolver } from '../../../bot/src/m365/graph-roles';
import { GraphGroups } from '../../../bot/src/m365/graph-groups';
import { LocalClientCredentials } from '../../../bot/src/m365/token-source';
import { startHarness, type Harness } from '../../support/headshot';

const AUDIENCE = `api://headshot.example.com/${DEMO_APP.clientId}`;

let tenant: LocalTenant;
let sso: SsoValidator;

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
  sso = new SsoValidator({
    authorityHost: tenant.url,
    tenantId: DEMO_TENANT_ID,
    audiences: [AUDIENCE, DEMO_APP.clientId],
  });
});
afterAll(async () => {
  await tenant?.close();
});

async function userToken(userId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${tenant.url}/_control/tokens/user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, audience: AUDIENCE, ...extra }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('every route has a rule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the running service registers no route without an access rule', () => {
    expect(unruledRoutes(h.service.server)).toEqual([]);
    const rules = routeRules(h.service.server);
    expect(rules.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual(
      expect.arrayContaining([
        'POST /api/messages bot-framework',
        'POST /api/uploads upload-ticket',
        'GET /api/status upload-ticket',
        'GET /api/status/ad-photo ad-photo-ticket',
        'GET /healthz public',
        'GET /readyz public',
        'GET /metrics metrics',
      ]),
    );
    for (const r of rules) if (r.auth === 'tab-sso') expect(r.roles?.length ?? 0).toBeGreaterThan(0);
  });

  test('every route of the tab contract is registered with the rule the contract gives it', () => {
    const contract = fs.readFileSync(path.join(__dirname, '../../../bot/src/api/tab-contract.ts'), 'utf8');
    const header = contract.slice(0, contract.indexOf('*/'));
    const listed = [...header.matchAll(/^ \*\s+(GET|POST|PUT)\s+(\/api\/[^\s?]+)\S*\s+(.*)$/gm)].map(
      ([, method, p, rest]) => {
        const rule = / public\b/.test(` ${rest}`)
          ? 'public'
          : / admin\b/.test(` ${rest}`)
            ? 'tab-sso admin'
            : 'tab-sso self';
        return `${method} ${p} ${rule}`;
      },
    );
    expect(listed.length).toBe(41);
    const registered = routeRules(h.service.server).map(
      (r) => `${r.method} ${r.path} ${r.auth}${r.roles && r.auth === 'tab-sso' ? ` ${r.roles.join(',')}` : ''}`,
    );
    expect(registered).toEqual(expect.arrayContaining(listed));
  });

  test('a route registered around route() is found', () => {
    const server = restify.createServer();
    route(server, {}, { method: 'GET', path: '/ok', auth: 'public' }, (_q, res, next) => next());
    server.get('/sneaky', (_q, res, next) => next());
    expect(unruledRoutes(server)).toEqual([{ method: 'GET', path: '/sneaky' }]);
  });
});

describe('SSO token validation', () => {
  test('a tab token from the tenant: the caller is the user in it', async () => {
    await expect(sso.verify(await userToken(DEMO_USERS.alex))).resolves.toMatchObject({
      userId: DEMO_USERS.alex,
      tenantId: DEMO_TENANT_ID,
      scopes: ['access_as_user'],
    });
  });

  test('a token for Graph (another audience) is refused', async () => {
    await expect(
      sso.verify(await userToken(DEMO_USERS.alex, { audience: 'https://graph.microsoft.com' })),
    ).rejects.toMatchObject({ code: 'auth.unauthenticated', status: 401 });
  });

  test('an expired token is refused', async () => {
    const token = await userToken(DEMO_USERS.alex);
    const later = new SsoValidator({
      authorityHost: tenant.url,
      tenantId: DEMO_TENANT_ID,
      audiences: [AUDIENCE],
      now: () => new Date(Date.now() + 3 * 3_600_000),
    });
    await expect(later.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  test('a tampered token (signature no longer matches) is refused', async () => {
    const [head, body, sig] = (await userToken(DEMO_USERS.alex)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, oid: DEMO_USERS.patti })).toString('base64url');
    await expect(sso.verify(`${head}.${forged}.${sig}`)).rejects.toMatchObject({ status: 401 });
  });

  test('a token for another tenant is refused', async () => {
    const other = new SsoValidator({
      authorityHost: tenant.url,
      tenantId: '11111111-1111-1111-1111-111111111111',
      audiences: [AUDIENCE],
      jwksUrl: `${tenant.url}/${DEMO_TENANT_ID}/discovery/v2.0/keys`,
    });
    await expect(other.verify(await userToken(DEMO_USERS.alex))).rejects.toMatchObject({ status: 401 });
  });

  test('an app-only token (no user, no access_as_user scope) is forbidden', async () => {
    const res = await fetch(`${tenant.url}/_control/tokens/app`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audience: AUDIENCE }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    await expect(sso.verify(access_token)).rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });
  });
});

describe('roles on a tab-sso route', () => {
  let server: restify.Server;
  let url: string;

  beforeAll(async () => {
    const graph = createGraphClient({
      baseUrl: tenant.url,
      tokens: new LocalClientCredentials(tenant.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret),
    });
    const approvers = DEMO_GROUPS.approvers;
    const groups = new GraphGroups(graph);
    // Admins for this test: members of the Photo approvers group (Patti, Megan).
    const roles = new GraphRoleResolver(new GraphDirectory(graph), {
      isAdmin: async (id) => (await groups.memberOf(id)).includes(approvers),
    });
    server = restify.createServer();
    const rule = { method: 'GET', path: '/api/users/:userId/photo', auth: 'tab-sso' } as const;
    route(server, { sso, roles }, { ...rule, roles: ['self', 'manager-of'] }, (req, res, next) => {
      res.json({ caller: (req as SsoRequest).ssoCaller?.userId });
      next();
    });
    route(
      server,
      { sso, roles },
      { method: 'GET', path: '/api/users/:userId/audit', auth: 'tab-sso', roles: ['admin'] },
      (_req, res, next) => {
        res.json({ ok: true });
        next();
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const call = async (caller: string | null, path: string) => {
    const res = await fetch(`${url}${path}`, {
      headers: caller ? { authorization: `Bearer ${await userToken(caller)}` } : {},
    });
    return res.status;
  };

  test('self and the manager may; a peer, the report (for the manager) and no token may not', async () => {
    expect(await call(DEMO_USERS.alex, `/api/users/${DEMO_USERS.alex}/photo`)).toBe(200);
    expect(await call(DEMO_USERS.megan, `/api/users/${DEMO_USERS.alex}/photo`)).toBe(200);
    expect(await call(DEMO_USERS.adele, `/api/users/${DEMO_USERS.alex}/photo`)).toBe(403);
    expect(await call(DEMO_USERS.alex, `/api/users/${DEMO_USERS.megan}/photo`)).toBe(403);
    expect(await call(null, `/api/users/${DEMO_USERS.alex}/photo`)).toBe(401);
  });

  test('an admin-only route: the admin may, the user themself may not', async () => {
    expect(await call(DEMO_USERS.patti, `/api/users/${DEMO_USERS.alex}/audit`)).toBe(200);
    expect(await call(DEMO_USERS.alex, `/api/users/${DEMO_USERS.alex}/audit`)).toBe(403);
  });
});
