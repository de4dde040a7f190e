#!/usr/bin/env node
/**
 * The `headshot` command. Every command takes --json for scripts.
 *   headshot photo prepare <file> --out <dir>   run the image pipeline alone (exit 0 accepted, 2 rejected, 1 fault)
 *   headshot emulator [--port N]                run the local tenant alone
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './src/config';
import { runPhotoPrepare, type CliIo } from './src/photo/prepare-command';
import { statusCommand } from './src/cli/status-command';
import { approvalsCommand } from './src/cli/approvals-command';
import { auditCommand } from './src/cli/audit-command';
import { broadcastCommand, coverageCommand } from './src/cli/admin-commands';
import { storeCommand } from './src/cli/store-command';
import { importCommand } from './src/cli/import-command';
import { demoSeed, startLocalTenant } from '../emulator';

const USAGE = `Usage:
  headshot photo prepare <file> --out <dir> [--json] [--locale en|fi|nl|pl]
  headshot emulator [--port <port>] [--json]
  headshot status <userPrincipalName|id> [--json] [--ad-photo <file>] [--locale en|fi|nl|pl]
  headshot approvals policy|list|undo ... [--json]   (headshot approvals for details)
  headshot audit [--user <id>] [--actor <id>] [--request <id>] [--action <prefix>] [--limit <n>] [--json]
  headshot coverage --as <upn> [--json|--csv] [--cached]
  headshot broadcast --as <upn> --audience <category|group:<id>|everyone> --message <file|reminder> [--at <time>] [--dry-run]
  headshot broadcast report|cancel <campaignId> --as <upn> [--json|--csv]   headshot broadcast list --as <upn>
  headshot import <folder|zip> --as <upn> [--match auto|upn|mail|employeeId|name] [--dry-run] [--only-missing] [--overwrite-changed] [--approval] [--json]
  headshot import apply|undo|cancel|report <importId> --as <upn>   headshot import list --as <upn>
  headshot store migrate --from sqlite:<file> --to postgres://user@host:port/database [--json]
`;

function print(json: boolean, value: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

async function emulator(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const port = values.port ? Number(values.port) : config.localTenantPort;
  // The same local tenant `npm start` runs, so that instances given LOCAL_TENANT_URL see what one instance sees.
  const tenant = await startLocalTenant({
    port,
    host: '127.0.0.1',
    teamsRateLimits: true,
    seed: { ...demoSeed(), sharePointPictures: config.localSharePoint },
  });
  print(
    values.json,
    { url: tenant.url, tenantId: tenant.tenantId },
    `Local tenant listening on ${tenant.url} (tenant ${tenant.tenantId}); Ctrl+C stops it.`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await tenant.close();
  return 0;
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'photo' && sub === 'prepare') return runPhotoPrepare(rest, io);
  if (command === 'emulator') return emulator([sub, ...rest].filter((a): a is string => a !== undefined));
  if (command === 'status')
    return statusCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'approvals')
    return approvalsCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'coverage')
    return coverageCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'store')
    return storeCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'broadcast')
    return broadcastCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'import')
    return importCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  if (command === 'audit')
    return auditCommand(
      [sub, ...rest].filter((a): a is string => a !== undefined),
      io,
    );
  io.stderr(USAGE);
  return 64;
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`headshot: ${err.message}\n`);
      process.exit(1);
    },
  );
}
