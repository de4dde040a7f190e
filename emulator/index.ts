import type { AddressInfo } from 'node:net';
import { TokenSigner } from './identity/token-signer';
import { demoSeed } from './seed/demo-seed';
import type { OrgSeed } from './seed/org-seed';
import { checkSeed } from './seed/org-seed';
import { createTenantServer } from './server';
import { TenantState } from './state/tenant-state';

export {
  DEMO_APP,
  DEMO_APP_ROLES,
  DEMO_GROUPS,
  DEMO_TEAMS_APP_ID,
  DEMO_TENANT_ID,
  DEMO_USERS,
  demoSeed,
} from './seed/demo-seed';
export type {
  MailboxKind,
  OrgSeed,
  PhotoUpdateSettings,
  SeedApp,
  SeedGroup,
  SeedTeamsApp,
  SeedUser,
  SharePointPictures,
} from './seed/org-seed';
export { SHAREPOINT_PREFIX } from './state/sharepoint-store';

/** How to start the local tenant. */
export interface LocalTenantOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (the control API relies on staying loopback-only). */
  host?: string;
  /** The organisation to serve (and to return to on reset); default the demo organisation. */
  seed?: OrgSeed;
  /** Receives one line per answered request (`PUT /v1.0/... 200 12ms`); silent when absent. */
  logger?: (line: string) => void;
  /** Enforce Teams' bot rate limits on the connector from the start (also after reset); default off. */
  teamsRateLimits?: boolean;
}

/** A running local tenant. */
export interface LocalTenant {
  /** Base URL, e.g. `http://127.0.0.1:3979`. */
  url: string;
  port: number;
  tenantId: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the local tenant (Graph, token issuer, Bot Connector, files, control API) on loopback. */
export async function startLocalTenant(options: LocalTenantOptions = {}): Promise<LocalTenant> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? demoSeed();
  const checked = checkSeed(seed);
  if (checked.seed === null) throw new Error(`Invalid OrgSeed: ${checked.problems.join('; ')}`);
  const state = new TenantState(await TokenSigner.create(), checked.seed, options.teamsRateLimits === true);
  await state.applySeed(checked.seed);
  const server = createTenantServer(state, options.logger);

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  state.baseUrl = `http://${urlHost(host)}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: state.baseUrl,
    port,
    tenantId: state.directory.tenantId,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      });
      return closed;
    },
  };
}
