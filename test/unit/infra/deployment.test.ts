/**
 * The Azure deployment runs more than one machine on a supported runtime: two or more instances on one
 * PostgreSQL database reached with the app's managed identity (no password in any setting, TLS required),
 * health-checked on /readyz, on the Node LTS the package declares and CI tests (.ci/run).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const bicep = fs.readFileSync(path.join(ROOT, 'infra/main.bicep'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');

test('several instances behind the health check that says which dependency is down', () => {
  expect(bicep).toMatch(/@minValue\(2\)\nparam instanceCount int = 2/);
  expect(bicep).toContain('sku: { name: planSku, capacity: instanceCount }');
  expect(bicep).toContain("healthCheckPath: '/readyz'");
  expect(bicep).not.toMatch(/numberOfWorkers: 1\b/);
});

test('PostgreSQL with Entra authentication only, TLS required, and the store never on the /home share', () => {
  expect(bicep).toContain("authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled'");
  expect(bicep).toMatch(/name: 'DATABASE_URL', value: 'postgres:\/\/\$\{dbPrincipalName\}@[^']*\?sslmode=require'/);
  expect(bicep).toContain("{ name: 'DATABASE_ENTRA_AUTH', value: 'true' }");
  expect(bicep).not.toMatch(/DATA_DIR', value: '\/home/);
  expect(bicep).toMatch(/flexibleServers\/administrators@[\s\S]*principalName: dbPrincipalName/);
});

test('App Service runs the Node LTS that package.json supports and CI runs the suite on', () => {
  const major = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(bicep)?.[1];
  expect(major).toBe('24');
  expect(pkg.engines.node).toContain(`^${major}.`);
  expect(ci).toContain(`LTS_MAJOR=${major}`);
});
