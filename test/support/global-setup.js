// Builds the tab's bundle once before the tests that serve it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'tab', 'build.js')], { stdio: 'inherit' });
};
