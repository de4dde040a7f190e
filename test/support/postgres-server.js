// A throwaway PostgreSQL server for the tests: Debian's server binaries, a data folder under the OS temp
// folder, a free loopback port, trust authentication for one user. Started once by the global setup; each
// test takes its own database from it (test/support/stores.ts). PostgreSQL refuses to run as root, so as
// root the server runs as the `postgres` user that Debian's package creates (../shared/docs/toolchain.md).
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./free-port');

/** The folder of initdb, pg_ctl and postgres, or null when PostgreSQL's server is not installed. */
function binDir() {
  const candidates = [];
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root))
    for (const v of fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(root, v, 'bin'));
  return (
    candidates.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres'))) ?? null
  );
}

/** Runs a server binary as the user PostgreSQL accepts. */
function asServerUser(bin, args, options = {}) {
  const root = process.getuid && process.getuid() === 0;
  const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/** Starts a server; resolves to { url, dir, stop() }. */
async function startPostgres() {
  const bin = binDir();
  if (!bin)
    throw new Error(
      "PostgreSQL server binaries not found: install Debian's postgresql package (apt-get install postgresql); .ci/run does.",
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-pg-'));
  if (process.getuid && process.getuid() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  asServerUser(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'headshot', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // fsync off: a test server's data need not survive a power cut, and the tests run faster.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => {
    try {
      asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://headshot@127.0.0.1:${port}/postgres`, dir, port, stop };
}

module.exports = { startPostgres };
