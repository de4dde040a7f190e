/**
 * What the commands that read the configuration start with, once: load it (a bad one is exit 2
 * with the message naming the key), resolve the mode, and on demand the service's database,
 * Graph and the clock (local mode: the local tenant's virtual clock).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { ConfigError, loadConfig, type Config } from '../config';
import type { Clock } from '../core/clock';
import { LocalTenantClock } from '../local/local-tenant-clock';
import { createGraphClient } from '../m365/graph-client';
import type { SqlDb } from '../store/sql/sql-db';
import { openConfiguredStore } from '../wiring/compose-store';
import { resolveMode, type Mode } from '../wiring/mode';

/** Where a command writes, and what it reads instead of process.env. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** A command's configuration and the ways to reach what it names. */
export interface CommandContext {
  config: Readonly<Config>;
  mode: Mode;
  /** Opens the service's store (DATABASE_URL, else the SQLite file under DATA_DIR); the caller closes it. */
  openDb(): Promise<SqlDb>;
  /** Microsoft Graph (the local tenant's, in local mode). */
  graph(): Client;
  /** The tenant's time: local mode follows the local tenant's clock (when it answers), else the system's. */
  clock(): Promise<Clock>;
}

/** The context of a command, or the exit code (2) after saying what is wrong with the configuration. */
export function commandContext(io: CommandIo): CommandContext | number {
  let config: Readonly<Config>;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.message}\n`);
    return 2;
  }
  const mode = resolveMode(config, config.localTenantUrl);
  return {
    config,
    mode,
    openDb: () => openConfiguredStore(config),
    graph: () => createGraphClient({ baseUrl: mode.graphBaseUrl, tokens: mode.tokens }),
    clock: async () => {
      if (!mode.localTenantUrl) return { now: () => new Date() };
      const clock = new LocalTenantClock(mode.localTenantUrl);
      await clock.sync().catch(() => undefined);
      return clock;
    },
  };
}
