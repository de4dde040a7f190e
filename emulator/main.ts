import { startLocalTenant } from './index';

/** Runs the local tenant standalone: `node dist/emulator/main.js` (port from LOCAL_TENANT_PORT, default 3979). */
async function main(): Promise<void> {
  const raw = process.env.LOCAL_TENANT_PORT ?? '3979';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LOCAL_TENANT_PORT must be a port number (0-65535); received '${raw}'.`);
  }
  const tenant = await startLocalTenant({ port, logger: (line) => console.log(line) });
  console.log(`Local tenant listening on ${tenant.url} (tenant ${tenant.tenantId})`);
  const stop = (): void => {
    void tenant.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
