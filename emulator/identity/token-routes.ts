import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { audienceFromScope, issueAppToken } from './token-issuer';

/** Writes an Entra ID (AADSTS) error body. */
function aadError(
  state: TenantState,
  res: Response,
  status: number,
  error: string,
  aadsts: number,
  description: string,
): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = state.clock.iso().replace(/\.\d+Z$/, 'Z');
  sendJson(res, status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp.replace('T', ' ')}`,
    error_codes: [aadsts],
    timestamp: timestamp.replace('T', ' '),
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

/** True when the path's tenant segment names this tenant (by id or domain). */
function isOurTenant(state: TenantState, segment: string): boolean {
  const s = segment.toLowerCase();
  return s === state.directory.tenantId.toLowerCase() || s === state.directory.domain.toLowerCase();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client credentials from the form, or from HTTP Basic auth as RFC 6749 allows. */
function clientCredentials(req: Request, form: URLSearchParams): { id: string; secret: string | undefined } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic !== null) {
    const [id, ...rest] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? undefined };
}

/** `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant, with Entra ID's error codes. */
async function tokenEndpoint(state: TenantState, req: Request, res: Response): Promise<void> {
  const tenant = param(req, 'tenant');
  const body = await readBody(req, 64 * 1024);
  if (!isOurTenant(state, tenant)) {
    aadError(
      state,
      res,
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
    return;
  }
  const form = new URLSearchParams(body.ok ? body.bytes.toString('utf8') : '');
  const grant = form.get('grant_type');
  if (grant === null || grant === '') {
    aadError(
      state,
      res,
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
    );
    return;
  }
  if (grant !== 'client_credentials') {
    aadError(
      state,
      res,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'. The local tenant supports client_credentials only.`,
    );
    return;
  }
  const creds = clientCredentials(req, form);
  if (creds.id === '') {
    aadError(
      state,
      res,
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
    return;
  }
  const app = state.directory.findApp(creds.id);
  if (app === undefined) {
    aadError(
      state,
      res,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${creds.id}' was not found in the directory '${state.directory.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
    return;
  }
  if (creds.secret === undefined || creds.secret === '') {
    aadError(
      state,
      res,
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
    return;
  }
  if (!sameSecret(creds.secret, app.clientSecret)) {
    aadError(
      state,
      res,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
    return;
  }
  const scope = form.get('scope') ?? '';
  const audience = audienceFromScope(scope);
  if (audience === undefined || audience === '') {
    aadError(
      state,
      res,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
    return;
  }
  sendJson(res, 200, await issueAppToken(state, app, audience), {
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
  });
}

/** Registers the Entra ID stand-in: token endpoint, OpenID configuration and JWKS. */
export function registerTokenRoutes(server: Server, state: TenantState): void {
  server.post(
    '/:tenant/oauth2/v2.0/token',
    plainRoute((req, res) => tokenEndpoint(state, req, res)),
  );

  server.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    plainRoute(async (req, res) => {
      const tenant = param(req, 'tenant');
      if (!isOurTenant(state, tenant)) {
        aadError(state, res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
        return;
      }
      const base = `${state.baseUrl}/${state.directory.tenantId}`;
      sendJson(res, 200, {
        issuer: state.issuer(),
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid', 'roles', 'scp', 'appid', 'azp'],
        tenant_region_scope: null,
        cloud_instance_name: 'local',
      });
    }),
  );

  server.get(
    '/:tenant/discovery/v2.0/keys',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, state.signer.jwks());
    }),
  );
}
