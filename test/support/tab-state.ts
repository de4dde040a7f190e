/** What the tab's integration tests share beyond the API client (test/support/tab-api.ts). */
import type { Harness } from './headshot';

export * from './tab-api';

/** Clears what tab tests change in the service's store (the tenant is reset by useHarness). */
export async function clearServiceState(h: Harness): Promise<void> {
  await h.service.db.run(`DELETE FROM approval_policy`);
  await h.service.db.run(`DELETE FROM tenant_settings`);
}
