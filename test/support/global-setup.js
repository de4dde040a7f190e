// Before the tests: builds the tab's bundle once, and starts the PostgreSQL server the store contract suite
// and the multi-instance tests take their databases from (HEADSHOT_TEST_POSTGRES_URL).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { startPostgres } = require('./postgres-server');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'tab', 'build.js')], { stdio: 'inherit' });
  const server = await startPostgres();
  globalThis.__HEADSHOT_POSTGRES__ = server;
  process.env.HEADSHOT_TEST_POSTGRES_URL = server.url;
};
