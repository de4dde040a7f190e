/**
 * Starts the Microsoft 365 Agents Playground (the local chat client) as a child
 * process pointed at our bot endpoint. Local mode only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../logger';
import { projectRoot } from '../paths';

/** A running Playground. */
export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/** Options for the Playground. */
export interface PlaygroundOptions {
  botEndpoint: string;
  port: number;
  logger: Logger;
  /** How long to wait for it to listen. */
  startTimeoutMs?: number;
}

/** Spawns `agentsplayground` and resolves once it listens (it may pick another port if ours is busy). */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const cli = path.join(projectRoot(), 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', options.botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', String(options.port)],
    { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the Agents Playground did not start in time')),
      options.startTimeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.logger.debug({ playground: text.trim().slice(0, 500) }, 'playground output');
      // It prints "Listening on <port>", and takes a random port when ours is busy.
      const m = /Listening on (\d+)/i.exec(text) ?? /https?:\/\/(?:localhost|127\.0\.0\.1):(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(`http://localhost:${m[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Agents Playground exited (${code ?? 'signal'})`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
