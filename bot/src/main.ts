/**
 * `npm start`: reads the configuration, starts the service (wiring/service.ts) and prints where
 * everything is. Stops cleanly on SIGINT and SIGTERM.
 */
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger } from './logger';
import { startHeadshot } from './wiring/service';

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await startHeadshot(config, { logger });
  const lines = [
    '',
    `Headshot is running in ${config.mode} mode.`,
    `  Bot endpoint:   ${running.url}/api/messages`,
    `  Health:         ${running.url}/healthz`,
    `  Upload page:    ${running.url}/upload (open it from the bot's "Open the upload page" button)`,
    `  Personal tab:   ${running.url}/tab/index.html${
      config.mode === 'local' ? ' (outside Teams: sign in as one of the demo people)' : ''
    }`,
  ];
  if (running.localTenantUrl) lines.push(`  Local tenant:   ${running.localTenantUrl} (control API under /_control)`);
  if (running.playground)
    lines.push(
      `  Chat with it:   ${running.playground.url}  (Microsoft 365 Agents Playground; type "update my photo")`,
    );
  else if (config.mode === 'local') lines.push('  Playground:     off (PLAYGROUND=0)');
  if (config.unsafeLocalListen)
    lines.push(
      '',
      `  WARNING: local mode is listening on ${config.host} (LOCAL_MODE_UNSAFE_LISTEN_ON_NETWORK=1).`,
      '  Anyone who can reach this port can sign in as any demo person and choose where replies go.',
    );
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`Headshot failed to start: ${err.message}\n`);
    process.exit(1);
  });
}
