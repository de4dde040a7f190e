/**
 * The Bot Framework channel's side of authentication, as the local tenant plays it:
 * an OpenID metadata document and a JWKS (keys endorsed for `msteams`, like the real
 * `login.botframework.com`) and channel tokens for tests (`POST /_control/tokens/channel`).
 * The Bot Connector checks the bot's own tokens (connector/connector-auth.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { z } from 'zod';
import { sendJson } from '../http/responses';
import { plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { controlBody } from '../control/control-body';

/** Where the OpenID metadata document lives, relative to the local tenant's URL. */
export const BOT_OPENID_METADATA_PATH = '/botframework/v1/.well-known/openidconfiguration';

/** Issuer of the local tenant's channel tokens (the real one is `https://api.botframework.com`). */
function botFrameworkIssuer(state: TenantState): string {
  return `${state.baseUrl}/botframework`;
}

interface ChannelKey {
  privateKey: KeyLike;
  jwk: Record<string, unknown>;
  kid: string;
}

/** Per-tenant state kept beside TenantState (which stays about Microsoft 365 data). */
const keys = new WeakMap<TenantState, Promise<ChannelKey>>();

function channelKey(state: TenantState): Promise<ChannelKey> {
  let key = keys.get(state);
  if (!key) {
    key = (async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
      const raw = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(raw, 'sha256');
      return {
        privateKey,
        kid,
        jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: raw.n, e: raw.e, endorsements: ['msteams'] },
      };
    })();
    keys.set(state, key);
  }
  return key;
}

const channelTokenSchema = z.object({
  /** The bot's app id (the token's audience). */
  audience: z.string().min(1),
  serviceUrl: z.string().min(1).optional(),
  /** Seconds from now until expiry; negative gives an expired token. */
  lifetimeSeconds: z.number().int().optional(),
  /** Override the issuer (tests of a wrong issuer). */
  issuer: z.string().min(1).optional(),
});

/** Registers the metadata, keys and the channel token control route (the connector checks bot tokens itself). */
export function registerBotFrameworkRoutes(server: Server, state: TenantState): void {
  server.get(
    BOT_OPENID_METADATA_PATH,
    plainRoute(async (_req, res) => {
      sendJson(res, 200, {
        issuer: botFrameworkIssuer(state),
        authorization_endpoint: `${state.baseUrl}/botframework/v1/auth`,
        jwks_uri: `${state.baseUrl}/botframework/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }),
  );

  server.get(
    '/botframework/v1/.well-known/keys',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, { keys: [(await channelKey(state)).jwk] });
    }),
  );

  server.post(
    '/_control/tokens/channel',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, channelTokenSchema);
      const key = await channelKey(state);
      const now = state.clock.nowSeconds();
      const lifetime = body.lifetimeSeconds ?? 3600;
      const token = await new SignJWT({
        serviceurl: body.serviceUrl ?? state.baseUrl,
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid })
        .setIssuer(body.issuer ?? botFrameworkIssuer(state))
        .setAudience(body.audience)
        .setNotBefore(Math.min(now, now + lifetime) - 300)
        .setExpirationTime(now + lifetime)
        .sign(key.privateKey);
      sendJson(res, 200, { token });
    }),
  );
}
