import { randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Request, Response, Server } from 'restify';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { audienceFromScope, issueAppToken, issuerV1, resourceOf, rolesOn, type ClientAuthMethod } from './token-issuer';

/** RFC 7523's client assertion type. */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Why a client assertion was refused, as AADSTS error number and description. */
type AssertionProblem = { aadsts: number; description: string };

/** Checks a certificate credential (`client_assertion`) of `clientId` against its uploaded certificates. */
async function checkAssertion(
  state: TenantState,
  clientId: string,
  assertion: string,
  tokenUrl: string,
): Promise<AssertionProblem | null> {
  let thumbprint: string | undefined;
  try {
    const header = decodeProtectedHeader(assertion);
    thumbprint = (header['x5t#S256'] as string | undefined) ?? header.kid;
  } catch {
    return { aadsts: 50027, description: 'JWT token is invalid or malformed.' };
  }
  const key = thumbprint === undefined ? undefined : state.appCertificates.find(clientId, thumbprint);
  if (key === undefined)
    return {
      aadsts: 700027,
      description: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ''}']`,
    };
  try {
    await jwtVerify(assertion, key, {
      algorithms: ['RS256', 'PS256'],
      issuer: clientId,
      subject: clientId,
      audience: [tokenUrl, tokenUrl.replace('/oauth2/v2.0/token', '/oauth2/token')],
      // The assertion is signed with the client's own (real) clock, not the tenant's virtual one.
      currentDate: new Date(),
      clockTolerance: 300,
      requiredClaims: ['exp', 'jti'],
    });
    return null;
  } catch (err) {
    if (err instanceof errors.JWTExpired)
      return { aadsts: 700024, description: 'Client assertion is not within its valid time range.' };
    if (err instanceof errors.JWSSignatureVerificationFailed)
      return { aadsts: 7000274, description: 'Key was found, but use of the key to verify the signature failed.' };
    return {
      aadsts: 700021,
      description: `Client assertion application identifier doesn't match 'client_id' parameter, or its audience is not this token endpoint.`,
    };
  }
}

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
  const assertionType = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  let acr: ClientAuthMethod = '1';
  if (assertion !== null || assertionType !== null) {
    if (assertionType !== JWT_BEARER || assertion === null || assertion === '') {
      aadError(
        state,
        res,
        400,
        'invalid_request',
        50027,
        `client_assertion_type must be '${JWT_BEARER}' and client_assertion a signed JWT.`,
      );
      return;
    }
    const tokenUrl = `${state.baseUrl}/${tenant}/oauth2/v2.0/token`;
    const problem = await checkAssertion(state, app.clientId, assertion, tokenUrl);
    if (problem !== null) {
      aadError(state, res, 401, 'invalid_client', problem.aadsts, problem.description);
      return;
    }
    acr = '2';
  } else if (creds.secret === undefined || creds.secret === '') {
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
  if (acr === '1' && !sameSecret(creds.secret ?? '', app.clientSecret)) {
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
  const roles = rolesOn(app, resourceOf(state, audience));
  sendJson(res, 200, await issueAppToken(state, { clientId: app.clientId, roles }, audience, acr), {
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

  // The OpenID metadata of both endpoints: v2.0 (what clients sign in with) and v1.0 (the issuer of the tokens
  // Microsoft Graph, SharePoint and the connector receive).
  for (const version of ['v2.0', 'v1.0'] as const) {
    server.get(
      version === 'v2.0'
        ? '/:tenant/v2.0/.well-known/openid-configuration'
        : '/:tenant/.well-known/openid-configuration',
      plainRoute(async (req, res) => {
        const tenant = param(req, 'tenant');
        if (!isOurTenant(state, tenant)) {
          aadError(state, res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
          return;
        }
        const base = `${state.baseUrl}/${state.directory.tenantId}`;
        const v2 = version === 'v2.0';
        sendJson(res, 200, {
          issuer: v2 ? state.issuer() : issuerV1(state),
          token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
          authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
          jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
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
  }

  server.get(
    '/:tenant/discovery/keys',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, state.signer.jwks());
    }),
  );

  server.get(
    '/:tenant/discovery/v2.0/keys',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, state.signer.jwks());
    }),
  );
}
