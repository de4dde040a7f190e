/**
 * Starts the real service against a real local tenant over HTTP, in a fresh data
 * folder, for integration tests. The service can be stopped and started again on
 * the same data (restart tests) while the local tenant keeps running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startLocalTenant, DEMO_TENANT_ID, type LocalTenant } from '../../emulator';
import { loadConfig } from '../../bot/src/config';
import { createLogger } from '../../bot/src/logger';
import { startHeadshot, type RunningHeadshot } from '../../bot/src/wiring/service';
import type { Clock } from '../../bot/src/core/clock';
import { TeamsChat } from './teams-chat';

/** A clock tests move by hand. */
class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A log destination that keeps every line (JSON) for "no secrets in logs" checks. */
export function captureLogs(): { logLines: string[]; sink: Writable } {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logLines, sink };
}

/** A running service + local tenant pair. */
export interface Harness {
  tenant: LocalTenant;
  service: RunningHeadshot;
  clock: TestClock;
  dataDir: string;
  /** Every log line the service wrote (JSON), for "no secrets in logs" checks. */
  logLines: string[];
  chat(user: { aadObjectId: string; locale: string; name?: string }): TeamsChat;
  /** Stops the service (not the tenant) and starts a new one on the same data. */
  restart(): Promise<void>;
  control<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** How a harness runs the service. */
export interface HarnessOptions {
  /**
   * `test` (default): the service reads `clock`, which tests move by hand. `tenant`: the service runs as
   * `npm start` does, on the local tenant's virtual clock (move it with POST /_control/clock/advance, then tick).
   */
  clock?: 'test' | 'tenant';
  /** How long a restart waits for the service's background work (default: the service's own). */
  shutdownGraceMs?: number;
}

/** Starts a harness; `env` adds configuration. */
export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const tenant = await startLocalTenant({ port: 0 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-test-'));
  const clock = new TestClock();
  const { logLines, sink } = captureLogs();
  // Tests send many photos as the same few people: the per-user upload rate is lifted unless a test sets it.
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    PLAYGROUND: '0',
    LOG_LEVEL: 'debug',
    UPLOAD_RATE_BURST: '1000',
    // The test clock starts at the real time and the demo people work from Seattle to Helsinki: with quiet hours,
    // a broadcast test would depend on the hour it runs. Tests of quiet hours turn them on and set the clock.
    BROADCAST_QUIET_HOURS: '0',
    // Follow-through messages would arrive in the chats of tests about other things whenever they tick; its own
    // tests turn it on.
    FOLLOW_THROUGH: '0',
    // The face check costs ~0.4 s a photo: on in the tests about it (test/integration/photo/face-check*.test.ts).
    FACE_CHECK: '0',
    ...env,
  });
  const start = () =>
    startHeadshot(config, {
      clock: options.clock === 'tenant' ? undefined : clock,
      localTenantUrl: tenant.url,
      logger: createLogger('debug', sink),
      shutdownGraceMs: options.shutdownGraceMs,
    });
  let service = await start();
  const harness: Harness = {
    tenant,
    get service() {
      return service;
    },
    clock,
    dataDir,
    logLines,
    chat: (user) => new TeamsChat(() => service.url, tenant.url, { tenantId: DEMO_TENANT_ID, ...user }),
    async restart() {
      await service.close();
      service = await start();
    },
    async control<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
      const res = await fetch(`${tenant.url}${pathAndQuery}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async close() {
      await service.close();
      await tenant.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * One harness for a whole test file: started before the first test, closed after the
 * last, and reset to the demo organisation (then `afterReset`) before each test.
 * Returns a stand-in that forwards to the running harness.
 */
export function useHarness(
  env: Record<string, string> = {},
  options: HarnessOptions = {},
  afterReset?: (h: Harness) => Promise<void>,
): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(env, options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(async () => {
    const h = running();
    await h.control('POST', '/_control/reset');
    await afterReset?.(h);
  });
  const running = (): Harness => {
    if (!current) throw new Error('the harness is used before it started (outside a test?)');
    return current;
  };
  return new Proxy({} as Harness, { get: (_target, key) => Reflect.get(running(), key) });
}
