/** What the tab's integration tests share beyond the API client (test/support/tab-api.ts). */
import type { Harness } from './headshot';

export * from './tab-api';

/** Clears what tab tests change in the service's store (the tenant is reset by useHarness). */
export function clearServiceState(h: Harness): void {
  h.service.db.exec(`DELETE FROM approval_policy; DELETE FROM tenant_settings;`);
}
