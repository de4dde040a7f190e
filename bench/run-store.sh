#!/usr/bin/env bash
# The store benchmark (bench/store.ts): bundles it, starts a throwaway PostgreSQL server (Debian's binaries, as
# the tests do) and runs SQLite and PostgreSQL in interleaved rounds. Prints JSON figures.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
node_modules/.bin/esbuild bench/store.ts --bundle --platform=node --packages=external --outfile="$OUT/store.js" --log-level=error
node -e '
const { startPostgres } = require("./test/support/postgres-server");
const { spawnSync } = require("node:child_process");
startPostgres().then((server) => {
  const r = spawnSync(process.execPath, [process.argv[1]], {
    stdio: "inherit",
    env: { ...process.env, BENCH_POSTGRES_URL: server.url, NODE_PATH: require("node:path").resolve("node_modules") },
  });
  server.stop();
  process.exit(r.status ?? 1);
});
' "$OUT/store.js"
