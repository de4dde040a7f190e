/**
 * Starts the Microsoft 365 Agents Playground (the local chat client) as a child
 * process pointed at our bot endpoint. Local mode only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_APP, DEMO_TENANT_ID, demoSeed } from '../../../emulator';
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

/**
 * The Playground's configuration file (`.m365agentsplayground.yml`, https://aka.ms/teams-app-test-tool-config-guide):
 * the demo tenant and its people with their real object ids, Alex Wilber signed in. Without it the Playground
 * uses its built-in ids, which are not GUIDs and not the local tenant's. Written as JSON, which YAML reads as is.
 */
export function playgroundConfig(): string {
  const seed = demoSeed();
  const person = (u: (typeof seed.users)[number], i: number) => ({
    id: `user-id-${i}`,
    name: u.displayName,
    userPrincipleName: u.upn,
    aadObjectId: u.id,
    givenName: u.givenName ?? '',
    surname: u.surname ?? '',
    email: u.mail ?? u.upn,
  });
  const members = seed.users.filter((u) => u.accountEnabled && u.userType === 'Member');
  // The Playground takes at most five other people besides the signed-in one.
  const [me, ...rest] = members.map(person);
  const config = {
    version: '0.1.1',
    tenantId: DEMO_TENANT_ID,
    bot: { id: DEMO_APP.clientId, name: 'Headshot' },
    currentUser: me,
    users: rest.slice(0, 5),
    personalChat: { id: '__PERSONAL_CHAT_ID__' },
    groupChat: { id: '__GROUP_CHAT_ID__', name: 'Group Chat' },
    team: {
      id: 'team-id',
      name: 'My Team',
      aadGroupId: seed.groups?.[0]?.id ?? DEMO_TENANT_ID,
      channels: [{ id: 'channel-announcements-id', name: 'Announcements' }],
    },
  };
  return `# Written by Headshot at start (bot/src/local/playground.ts): the local tenant's demo people.\n${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Whether an activity came through the Playground: it gives bots its own Bot Connector, `/_connector` on a
 * loopback address (the port can change when the usual one is busy). The Playground opens no dialogs (task/fetch).
 */
export function isPlaygroundConnector(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  try {
    const url = new URL(serviceUrl);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return loopback && /^\/_connector\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** Spawns `agentsplayground` and resolves once it listens (it may pick another port if ours is busy). */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const cli = path.join(projectRoot(), 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const configPath = path.join(projectRoot(), 'devTools', '.m365agentsplayground.yml');
  fs.mkdirSync(path.dirname(configPath), { recursive: true });
  fs.writeFileSync(configPath, playgroundConfig());
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', options.botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', String(options.port)],
    {
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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
