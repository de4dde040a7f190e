/** The store of the configuration, with Entra authentication to PostgreSQL when asked for. */
import type { Config } from '../config';
import { MsalManagedIdentity } from '../m365/token-source';
import { openStore } from '../store/open-store';
import type { SqlDb } from '../store/sql/sql-db';

/** Azure Database for PostgreSQL's resource for Entra tokens. */
const POSTGRES_ENTRA_SCOPE = 'https://ossrdbms-aad.database.windows.net/.default';

/** Opens the configured store (PostgreSQL by DATABASE_URL, else SQLite in DATA_DIR). */
export function openConfiguredStore(config: Readonly<Config>): Promise<SqlDb> {
  const identity = config.databaseEntraAuth
    ? new MsalManagedIdentity(config.credential?.kind === 'managed-identity' ? config.credential.clientId : undefined)
    : undefined;
  return openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    password: identity ? () => identity.getToken(POSTGRES_ENTRA_SCOPE) : undefined,
  });
}
