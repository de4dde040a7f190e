/** `headshot status <upn> [--json]` against the real local tenant: report, exit codes, the AD-ready photo file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startLocalTenant, type LocalTenant } from '../../../emulator';
import { statusCommand } from '../../../bot/src/cli/status-command';
import { runCli } from '../../../bot/cli';
import { t } from '../../../bot/src/i18n/i18n';

let tenant: LocalTenant;
let dir: string;

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-status-cli-'));
});
afterAll(async () => {
  await tenant.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await statusCommand(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { LOCAL_TENANT_PORT: String(tenant.port), ...env },
  });
  return { code, out, err };
}

test('--json: the report with codes and words; exit 0', async () => {
  const { code, out } = await run(['meganb@example.com', '--json']);
  expect(code).toBe(0);
  const json = JSON.parse(out) as {
    ok: boolean;
    user: { displayName: string };
    systems: Array<{ system: string; state: string }>;
  };
  expect(json.ok).toBe(true);
  expect(json.user.displayName).toBe('Megan Bowen');
  expect(json.systems.map((s) => [s.system, s.state])).toEqual([
    ['entra', 'in_sync'],
    ['exchange', 'in_sync'],
    ['sharepoint', 'in_sync'],
    ['teams', 'in_sync'],
    ['policy', 'in_sync'],
  ]);
});

test('text in the language of LANG, with the AD-ready photo written to a file', async () => {
  const file = path.join(dir, 'isaiah.jpg');
  const { code, out } = await run(['isaiahl@example.com', '--ad-photo', file], { LANG: 'pl_PL.UTF-8' });
  expect(code).toBe(0);
  expect(out).toContain(t('pl', 'status.system.exchange'));
  expect(out).toContain(t('pl', 'status.reason.hybrid_one_time_sync'));
  expect(out).toContain(file);
  const jpeg = fs.readFileSync(file);
  expect(jpeg.length).toBeLessThanOrEqual(10 * 1024);
  expect(await sharp(jpeg).metadata()).toMatchObject({ width: 96, height: 96, format: 'jpeg' });
});

test('exit 2 for an unknown user or bad input; exit 1 when the tenant cannot be reached', async () => {
  const unknown = await run(['nobody@example.com']);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain(t('en', 'errors.m365.user_not_found'));
  expect((await run([])).code).toBe(2);
  expect((await run(['a b'])).code).toBe(2);
  expect((await run(['x@example.com', '--nope'])).code).toBe(2);
  const down = await run(['meganb@example.com', '--json'], { LOCAL_TENANT_PORT: '1' });
  expect(down.code).toBe(1);
});

test('`headshot status` is dispatched by the headshot command', async () => {
  let out = '';
  const code = await runCli(['status', 'meganb@example.com', '--json'], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
    env: { LOCAL_TENANT_PORT: String(tenant.port) },
  });
  expect(code).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ ok: true, user: { userPrincipalName: 'meganb@example.com' } });
});
