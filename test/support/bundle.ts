/**
 * Bundles a TypeScript entry point with esbuild into a temporary folder, so a
 * test can run it as a real child process with plain node (no ts-node here).
 * Packages stay external and resolve from the repo's node_modules via NODE_PATH.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

/**
 * Bundles `entry` (relative to the repo) and returns the path of the JavaScript file; in `under` (a folder of the
 * repo, for code that looks for the project root above itself) or a temporary folder.
 */
export function bundle(entry: string, under?: string): string {
  if (under) fs.mkdirSync(path.join(REPO, under), { recursive: true });
  const dir = fs.mkdtempSync(under ? path.join(REPO, under, 'bundle-') : path.join(os.tmpdir(), 'headshot-bundle-'));
  const outfile = path.join(dir, `${path.basename(entry, '.ts')}.js`);
  const esbuild = path.join(REPO, 'node_modules/.bin/esbuild');
  execFileSync(
    esbuild,
    [
      path.join(REPO, entry),
      '--bundle',
      '--platform=node',
      '--packages=external',
      `--outfile=${outfile}`,
      '--log-level=error',
    ],
    {
      cwd: REPO,
    },
  );
  return outfile;
}

/** Runs a bundled script with node; the environment is the test's, plus NODE_PATH and `env`. */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = os.tmpdir(),
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), ...env },
    timeout: 60_000,
  });
}
