/**
 * Chooses the TokenSource from configuration: the local tenant's token endpoint in local
 * mode (and whenever the authority is a loopback http address, which MSAL refuses);
 * otherwise MSAL with a secret or certificate, or the App Service managed identity.
 */
import type { Config } from '../config';
import {
  LocalClientCredentials,
  MsalClientCredentials,
  MsalManagedIdentity,
  type ClientAssertion,
  type TokenSource,
} from './token-source';

/** The demo app of the local tenant (passed in: bot/ does not import the emulator here). */
export interface LocalApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The app's certificate credential (local mode signs in with a certificate, as SharePoint requires). */
  assertion?: ClientAssertion;
  /** The tenant's time (local mode follows the local tenant's virtual clock, which its tokens' lifetimes use). */
  now?: () => number;
}

/** Which kind of TokenSource `config` asks for (for tests and start-up logs). */
export function tokenSourceKind(
  config: Readonly<Config>,
): 'local' | 'msal-secret' | 'msal-certificate' | 'managed-identity' {
  if (config.mode === 'local') return 'local';
  const credential = config.credential;
  if (credential?.kind === 'managed-identity') return 'managed-identity';
  if (new URL(config.authorityHost).protocol === 'http:') return 'local';
  return credential?.kind === 'certificate' ? 'msal-certificate' : 'msal-secret';
}

/** The TokenSource for Graph, SharePoint and the Bot Connector. */
export function createTokenSource(config: Readonly<Config>, localApp: LocalApp, localAuthority?: string): TokenSource {
  const credential = config.credential;
  switch (tokenSourceKind(config)) {
    case 'local':
      if (config.mode === 'local')
        return new LocalClientCredentials(
          localAuthority ?? config.authorityHost,
          localApp.tenantId,
          localApp.clientId,
          localApp.clientSecret,
          localApp.now ?? Date.now,
          localApp.assertion,
        );
      // m365 mode against a loopback authority (tests of the m365 wiring on the local tenant).
      return new LocalClientCredentials(
        config.authorityHost,
        config.bot.tenantId as string,
        config.bot.appId as string,
        credential?.kind === 'secret' ? credential.secret : '',
      );
    case 'managed-identity':
      return new MsalManagedIdentity(credential?.kind === 'managed-identity' ? credential.clientId : undefined);
    case 'msal-certificate':
    case 'msal-secret':
      return new MsalClientCredentials(
        config.authorityHost,
        config.bot.tenantId as string,
        config.bot.appId as string,
        credential as Exclude<NonNullable<typeof credential>, { kind: 'managed-identity' }>,
      );
  }
}
