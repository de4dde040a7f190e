import type { IncomingMessage } from 'node:http';
import { GraphError } from '../http/graph-error';
import type { TenantState } from '../state/tenant-state';
import { GRAPH_RESOURCES, acceptedIssuers } from './token-issuer';
import type { Principal } from './permissions';
import type { TokenProblem } from './token-signer';

const MESSAGES: Record<TokenProblem | 'missing', string> = {
  missing: 'Access token is empty.',
  malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
  signature: 'Access token validation failure. Invalid signature.',
  issuer: 'Access token validation failure. Invalid issuer.',
  audience: 'Access token validation failure. Invalid audience.',
  expired: 'Lifetime validation failed, the token is expired.',
  notYetValid: 'Lifetime validation failed, the token is not yet valid.',
};

function unauthorized(problem: TokenProblem | 'missing'): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', MESSAGES[problem], {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}

/** Verifies the bearer token of a Graph request and returns who is calling; throws a 401 `GraphError` otherwise. */
export async function authenticateGraph(state: TenantState, req: IncomingMessage): Promise<Principal> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw unauthorized('missing');
  const check = await state.signer.verify(match[1] as string, {
    issuer: acceptedIssuers(state),
    audiences: GRAPH_RESOURCES,
    nowSeconds: state.clock.nowSeconds(),
  });
  if (!check.ok) throw unauthorized(check.problem);
  const c = check.claims;
  if (c.tid !== state.directory.tenantId) throw unauthorized('issuer');
  const appId = c.appid ?? c.azp ?? '';
  if (c.idtyp === 'user' || (c.scp !== undefined && c.oid !== undefined && c.roles === undefined)) {
    return { kind: 'user', appId, userId: c.oid ?? c.sub, scopes: (c.scp ?? '').split(' ').filter((s) => s !== '') };
  }
  return { kind: 'app', appId, roles: c.roles ?? [] };
}
