/**
 * The Bot Connector's check of the bot's bearer token. Teams refuses every `/v3` call without a
 * token for `https://api.botframework.com` from an app the tenant knows, so the local tenant does
 * too, always ("Authentication with the Bot Connector API",
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
import type { IncomingMessage } from 'node:http';
import { GraphError } from '../http/graph-error';
import type { TenantState } from '../state/tenant-state';
import { BOT_CONNECTOR_RESOURCE, acceptedIssuers } from '../identity/token-issuer';

function denied(): GraphError {
  return new GraphError(401, 'Unauthorized', 'Authorization has been denied for this request.');
}

/** The calling bot's app id, or a 401. */
export async function authenticateBot(state: TenantState, req: IncomingMessage): Promise<string> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (match === null) throw denied();
  const check = await state.signer.verify(match[1] as string, {
    issuer: acceptedIssuers(state),
    audiences: [BOT_CONNECTOR_RESOURCE],
    nowSeconds: state.clock.nowSeconds(),
  });
  if (!check.ok) throw denied();
  const appId = check.claims.appid ?? check.claims.azp ?? '';
  // A bot calls as itself: an app token (a delegated one has `scp`) of an app the tenant knows.
  if (state.directory.findApp(appId) === undefined || check.claims.scp !== undefined) throw denied();
  return appId;
}
