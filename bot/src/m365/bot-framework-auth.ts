/**
 * Bot Framework authentication for the CloudAdapter, both directions:
 * - incoming: `/api/messages` accepts only channel tokens (Bot Framework's OpenID
 *   metadata and issuer, audience = our app id, endorsed keys, serviceUrl claim); every
 *   failure is a 401, never a 500;
 * - outgoing: replies to the Bot Connector carry a bearer token from the same
 *   TokenSource as Graph (secret, certificate or managed identity; the local tenant's
 *   token endpoint in tests), instead of botbuilder's own MSAL wrapper, which refuses
 *   http authorities and knows nothing of our credential choice.
 */
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  AuthenticationConfiguration,
  AuthenticationError,
  BotFrameworkAuthentication,
  ServiceClientCredentialsFactory,
  TokenCredentials,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { TokenSource } from './token-source';

/** The public cloud's Bot Framework endpoints (botframework-connector's AuthenticationConstants). */
const BOT_FRAMEWORK_DEFAULTS = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  connectorScope: 'https://api.botframework.com',
} as const;

/** What the service trusts and how it signs. */
export interface BotAuthOptions {
  appId: string;
  tenantId: string;
  /** Where the channel's signing keys are published. */
  openIdMetadataUrl: string;
  /** The only issuer accepted on incoming activities. */
  tokenIssuer: string;
  /** Audience of tokens sent to the Bot Connector (`<scope>/.default` is asked). */
  connectorScope: string;
  /** Authority host for the login URL botbuilder records (tokens themselves come from `tokens`). */
  authorityHost: string;
  tokens: TokenSource;
}

/** ServiceClientCredentialsFactory on a TokenSource: one app id, signs with `<audience>/.default`. */
class TokenSourceCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly tokens: TokenSource,
    private readonly defaultAudience: string,
  ) {
    super();
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string, audience: string | undefined): Promise<TokenCredentialsLike> {
    if (appId !== this.appId) throw new AuthenticationError('Invalid appId.', 401);
    const scope = `${(audience || this.defaultAudience).replace(/\/$/, '')}/.default`;
    return {
      signRequest: async (webResource) =>
        new TokenCredentials(await this.tokens.getToken(scope)).signRequest(webResource),
    };
  }
}

type TokenCredentialsLike = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;

/**
 * Wraps botbuilder's parameterized authentication so that (a) only channel tokens are accepted
 * (Headshot is a Teams bot: no emulator or skill tokens in m365 mode) and (b) every validation
 * failure, including a bad signature that jsonwebtoken reports as a plain error, is a 401.
 */
class StrictChannelAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw asUnauthorized(err);
    }
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (err) {
      throw asUnauthorized(err);
    }
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }
}

function asUnauthorized(err: unknown): Error {
  if (err instanceof AuthenticationError) return err;
  // Metadata that cannot be loaded is an outage, not a caller's fault; everything else is a bad token.
  return new AuthenticationError('Unauthorized. Invalid token.', 401);
}

/** The CloudAdapter's authentication for m365 mode (or a local-tenant test that trusts the local tenant). */
export function createBotFrameworkAuthentication(options: BotAuthOptions): BotFrameworkAuthentication {
  const issuer = options.tokenIssuer;
  const authConfig = new AuthenticationConfiguration([], async (claims) => {
    const iss = claims.find((c) => c.type === 'iss')?.value;
    if (iss !== issuer)
      throw new AuthenticationError('Unauthorized. Only Bot Framework channel tokens are accepted.', 401);
  });
  const inner = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: options.appId,
      MicrosoftAppTenantId: options.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: issuer,
      // Emulator and skill tokens are refused by validateClaims; point their metadata at the channel's too,
      // so that a forged "emulator" token never makes the service fetch keys from elsewhere.
      ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl,
      ToChannelFromBotOAuthScope: options.connectorScope,
      ToChannelFromBotLoginUrl: `${options.authorityHost}/${options.tenantId}`,
      OAuthUrl: BOT_FRAMEWORK_DEFAULTS.tokenIssuer,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
    new TokenSourceCredentialsFactory(options.appId, options.tokens, options.connectorScope),
    authConfig,
  );
  return new StrictChannelAuthentication(inner);
}

/**
 * Local mode: activities arrive without tokens (the Agents Playground and the tests' Teams client send
 * none), but every call to the local tenant's Bot Connector carries the bot's token, as Teams requires.
 * Calls to any other service URL (the Playground's own connector) go unsigned: the token is not sent
 * where it was not issued for.
 */
class LocalCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly tokens: TokenSource,
    private readonly scope: string,
    private readonly signFor: string,
  ) {
    super();
  }

  async isValidAppId(): Promise<boolean> {
    return true;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return true;
  }

  async createCredentials(): Promise<TokenCredentialsLike> {
    const origin = new URL(this.signFor).origin;
    return {
      signRequest: async (webResource) => {
        if (new URL(webResource.url).origin !== origin) return webResource;
        return new TokenCredentials(await this.tokens.getToken(this.scope)).signRequest(webResource);
      },
    };
  }
}

/** The CloudAdapter's authentication in local mode (see LocalCredentialsFactory). */
export function createLocalBotAuthentication(options: {
  tokens: TokenSource;
  connectorScope: string;
  /** The local tenant: the only service URL replies are signed for. */
  signFor: string;
}): BotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(
    {},
    new LocalCredentialsFactory(
      options.tokens,
      `${options.connectorScope.replace(/\/$/, '')}/.default`,
      options.signFor,
    ),
  );
}
