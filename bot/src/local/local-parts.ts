/**
 * What local mode adds to the service, in one place: the local tenant (started here unless one is
 * given), the service's clock following the tenant's virtual clock, and the Agents Playground.
 * Nothing here runs in Microsoft 365 mode.
 */
import { demoSeed, startLocalTenant, type LocalTenant } from '../../../emulator';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { LocalTenantClock } from './local-tenant-clock';
import { startPlayground, type Playground } from './playground';

/** The local-mode parts a running service exposes (tests reach the tenant through them). */
export interface LocalParts {
  localTenant?: LocalTenant;
  localTenantUrl?: string;
  playground?: Playground;
}

/** Local mode, started. */
export interface LocalMode {
  /** The tenant this process started (absent when the caller gave one). */
  localTenant?: LocalTenant;
  localTenantUrl: string;
  /** The tenant's virtual clock, unless the caller brings its own clock. */
  clock?: LocalTenantClock;
  /** Starts the Playground against the bot endpoint when configured (PLAYGROUND). */
  startPlayground(botEndpoint: string, logger: Logger): Promise<Playground | undefined>;
}

/** Starts the local tenant (unless `options.localTenantUrl` names a running one) and its clock. */
export async function startLocal(
  config: Readonly<Config>,
  options: { localTenantUrl?: string; clock?: unknown },
): Promise<LocalMode> {
  // LOCAL_TENANT_URL: a local tenant already running (`headshot emulator`), shared by several instances.
  const given = options.localTenantUrl ?? config.localTenantUrl;
  const localTenant = given
    ? undefined
    : await startLocalTenant({
        port: config.localTenantPort,
        host: '127.0.0.1',
        teamsRateLimits: true,
        seed: { ...demoSeed(), sharePointPictures: config.localSharePoint },
      });
  const localTenantUrl = given ?? (localTenant as LocalTenant).url;
  // Moving the local tenant's clock moves reminders and expiry too.
  const clock = options.clock ? undefined : new LocalTenantClock(localTenantUrl);
  await clock?.sync();
  return {
    localTenant,
    localTenantUrl,
    clock,
    startPlayground: async (botEndpoint, logger) =>
      config.playground ? startPlayground({ botEndpoint, port: config.playgroundPort, logger }) : undefined,
  };
}
