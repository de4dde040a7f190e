/**
 * The service in m365 mode, pointed at a local tenant that plays Entra ID, Graph and the
 * Bot Framework channel: the same wiring as production (token checks on /api/messages,
 * signed replies), with every endpoint on loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_APP, DEMO_TENANT_ID, startLocalTenant, type LocalTenant } from '../../emulator';
import { BOT_OPENID_METADATA_PATH } from '../../emulator/identity/bot-framework-routes';
import { loadConfig } from '../../bot/src/config';
import { createLogger } from '../../bot/src/logger';
import { startHeadshot, type RunningHeadshot } from '../../bot/src/wiring/service';
import { captureLogs } from './headshot';

/** A running m365-mode service and its local tenant. */
export interface M365Harness {
  tenant: LocalTenant;
  service: RunningHeadshot;
  logLines: string[];
  /** A channel token from the local tenant's Bot Framework stand-in. */
  channelToken(overrides?: { audience?: string; issuer?: string; lifetimeSeconds?: number }): Promise<string>;
  control<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** The upload ticket secret the harness configures (tests grep logs for it). */
export const TICKET_SECRET = 'm365-harness-ticket-secret-0123456789abcdef';

/** Starts the pair; `env` adds configuration. */
export async function startM365Harness(env: Record<string, string> = {}): Promise<M365Harness> {
  const tenant = await startLocalTenant({ port: 0 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-m365-'));
  const { logLines, sink } = captureLogs();
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    // As in headshot.ts: broadcasts must not depend on the hour the test runs.
    BROADCAST_QUIET_HOURS: '0',
    FOLLOW_THROUGH: '0',
    // The face check costs ~0.4 s a photo: on in the tests about it (test/integration/photo/face-check*.test.ts).
    FACE_CHECK: '0',
    MicrosoftAppId: DEMO_APP.clientId,
    MicrosoftAppPassword: DEMO_APP.clientSecret,
    MicrosoftAppTenantId: DEMO_TENANT_ID,
    UPLOAD_TICKET_SECRET: TICKET_SECRET,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    GRAPH_BASE_URL: tenant.url,
    AUTHORITY_HOST: tenant.url,
    BOT_OPENID_METADATA_URL: `${tenant.url}${BOT_OPENID_METADATA_PATH}`,
    BOT_TOKEN_ISSUER: `${tenant.url}/botframework`,
    METRICS_LOG_SECONDS: '0',
    ...env,
  });
  const service = await startHeadshot(config, { logger: createLogger('debug', sink), shutdownGraceMs: 200 });
  const control = async <T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${tenant.url}${pathAndQuery}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    tenant,
    service,
    logLines,
    control,
    async channelToken(overrides = {}) {
      const { token } = await control<{ token: string }>('POST', '/_control/tokens/channel', {
        audience: DEMO_APP.clientId,
        serviceUrl: tenant.url,
        ...overrides,
      });
      return token;
    },
    async close() {
      await service.close();
      await tenant.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
