/**
 * The time-to-visible report of follow-through: `headshot status --report` (text and JSON) and the Admin API's
 * `GET /api/admin/follow-through`, after 30 hours of checks on the local tenant's virtual clock.
 */
import { statusCommand } from '../../../bot/src/cli/status-command';
import type { TimeToVisibleJson } from '../../../bot/src/api/tab-contract';
import { DEMO_USERS } from '../../../emulator';
import { startHarness, type Harness } from '../../support/headshot';
import { thirtyHoursOfFollowThrough } from '../../support/follow-through';
import { as } from '../../support/tab-state';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ FOLLOW_THROUGH: '1' }, { clock: 'tenant' });
  await h.control('POST', '/_control/reset');
  await h.service.tick();
  await thirtyHoursOfFollowThrough(h);
});
afterAll(async () => {
  await h.close();
});

async function report(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return reportWith({}, ...args);
}

async function reportWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await statusCommand(args, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: { DATA_DIR: h.dataDir, LOCAL_TENANT_PORT: String(new URL(h.tenant.url).port), PLAYGROUND: '0', ...env },
  });
  return { code, out, err };
}

test('the JSON report: times per system, Teams not measured, and the change still not visible after 24 hours', async () => {
  const { code, out, err } = await report('--report', '--json');
  expect({ code, err }).toEqual({ code: 0, err: '' });
  const json = JSON.parse(out) as TimeToVisibleJson & { ok: boolean };
  expect(json.changes).toBe(2);
  expect(json.enabled).toBe(true);
  expect(json.text.off).toBeUndefined();
  const bySystem = Object.fromEntries(json.systems.map((s) => [s.system, s]));
  // Outlook showed Alex's photo at the first check; Grady has no Exchange Online mailbox.
  expect(bySystem.exchange).toMatchObject({ visible: 1, medianMinutes: 1, p95Minutes: 1, notApplicable: 1 });
  // Microsoft 365 (Entra ID) showed both at the first check.
  expect(bySystem.entra).toMatchObject({ visible: 2, medianMinutes: 1, p95Minutes: 1, median: '1 min' });
  // SharePoint: Alex's at the check after his profile view (30 h); Grady's not, and still checked.
  expect(bySystem.sharepoint).toMatchObject({ visible: 1, medianMinutes: 1800, median: '30 h', waiting: 1 });
  expect(json.teams).toMatchObject({ measured: false, cacheDays: 60 });
  expect(json.teams.text).toContain('no API tells what a Teams client has cached');
  expect(json.late).toHaveLength(1);
  expect(json.late[0]).toMatchObject({
    userId: DEMO_USERS.grady,
    userPrincipalName: 'gradya@example.com',
    kind: 'self_service',
    state: 'watching',
    waiting: [{ system: 'sharepoint', reason: 'sharepoint_own_upload' }],
  });
});

test('the text report, in Finnish, and its bad input', async () => {
  const { code, out } = await report('--report', '--locale', 'fi');
  expect(code).toBe(0);
  expect(out).toMatch(/^Näkyvyyden viive: Headshotin tekemät kuvamuutokset .* \(2 seurattu\)/);
  expect(out).toMatch(/SharePoint and Delve|SharePoint ja Delve/);
  expect(out).toContain('Teamsia ei mitata');
  expect(out).toContain('Ei näy kaikkialla 24 tunnin kuluttua muutoksesta: 1');
  expect(out).toContain('gradya@example.com');
  for (const bad of [
    ['--report', '--days', '0'],
    ['--report', 'alexw@example.com'],
    ['--days', '3', 'alexw@example.com'],
  ]) {
    const answer = await report(...bad);
    expect(answer.code).toBe(2);
    expect(answer.err).toContain('headshot status --report');
  }
});

test('the Admin API gives the same report with names, to admins only', async () => {
  const patti = as(h, DEMO_USERS.patti, 'nl');
  const answer = await patti.get<TimeToVisibleJson>('/api/admin/follow-through');
  expect(answer.status).toBe(200);
  expect(answer.json.late[0]).toMatchObject({ displayName: 'Grady Archie', kindText: 'eigen wijziging' });
  expect(answer.json.text.columns.median).toBe('Mediaan');
  const alex = await as(h, DEMO_USERS.alex).get('/api/admin/follow-through');
  expect(alex.status).toBe(403);
});

test('with follow-through turned off the report says so first, and still shows what was measured before', async () => {
  const { code, out } = await reportWith({ FOLLOW_THROUGH: '0' }, '--report');
  expect(code).toBe(0);
  expect(out.split('\n')[0]).toBe(
    'Follow-through is turned off here (FOLLOW_THROUGH=0): new photo changes are not checked, and the figures below are from before.',
  );
  expect(out).toContain('(2 followed)');
});
