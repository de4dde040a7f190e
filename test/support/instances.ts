/**
 * Several Headshot service processes, as App Service runs them: each is `bot/src/main.ts` bundled with esbuild
 * and started with plain node, on its own port and data folder, all on one PostgreSQL database and one local
 * tenant (LOCAL_TENANT_URL). A test can stop one gracefully or kill it (SIGKILL, no goodbye).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from './bundle';
import { freePort } from './free-port';

const REPO = path.resolve(__dirname, '../..');
let mainScript: string | undefined;

/** A running instance. */
export interface Instance {
  name: string;
  url: string;
  process: ChildProcess;
  /** What it wrote to stderr (start-up failures). */
  stderr(): string;
  /** SIGKILL: the process ends at once, requests in flight are abandoned. */
  kill(): Promise<void>;
  /** SIGTERM: the service's own graceful stop. */
  stop(): Promise<void>;
}

const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  );

/** Starts the service with `env` (on top of a local-mode default without the Playground); resolves when it answers. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  // Inside the repo (git-ignored test-results/): the service finds its project root (tab, locales) above itself.
  mainScript ??= bundle('bot/src/main.ts', 'test-results');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `headshot-${name}-`));
  const child = spawn(process.execPath, ['--require', path.join(__dirname, 'exit-with-parent.js'), mainScript], {
    cwd: REPO,
    env: {
      ...process.env,
      NODE_PATH: path.join(REPO, 'node_modules'),
      PORT: String(port),
      DATA_DIR: dataDir,
      PLAYGROUND: '0',
      // As in headshot.ts: a follow-up message of the photo test would share Teams' rate limit with the broadcast
      // test, which runs the pace at the whole limit (BROADCAST_HEADROOM=1 leaves no room for other senders).
      FOLLOW_THROUGH: '0',
      // The face check costs ~0.4 s a photo: on in the tests about it (test/integration/photo/face-check*.test.ts).
      FACE_CHECK: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`instance ${name} did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const cleanUp = () => fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    name,
    url,
    process: child,
    stderr: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
      cleanUp();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      cleanUp();
    },
  };
}

/** A counter of an instance's /metrics (summed over labels matching `labels`). */
export async function metric(instance: Instance, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (labels && !line.includes(labels))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
