/**
 * `headshot approvals policy|list` and `headshot audit` on a real SQLite file in a temporary
 * DATA_DIR (undo needs Graph and is covered by the approval integration tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { approvalsCommand, parseDuration } from '../../../bot/src/cli/approvals-command';
import { auditCommand } from '../../../bot/src/cli/audit-command';
import { SqliteDb } from '../../../bot/src/store/sql/sqlite-db';
import { SqlApprovalPolicyStore } from '../../../bot/src/store/sql-approval-policy';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(command: typeof approvalsCommand, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await command(args, {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: { DATA_DIR: dir, USER: 'patti' },
  });
  return { code, out, err };
}

test('durations: minutes, hours, days; anything else is refused', () => {
  expect([
    parseDuration('90m', 'x'),
    parseDuration('24h', 'x'),
    parseDuration('7d', 'x'),
    parseDuration('45', 'x'),
    parseDuration('1.5h', 'x'),
  ]).toEqual([90, 1440, 10080, 45, 90]);
  for (const bad of ['', '0m', '-1h', 'soon', '1w', '2 days'])
    expect(() => parseDuration(bad, '--remind-after')).toThrow(/--remind-after like 30m, 24h or 7d/);
});

test('the policy: the default, then set (audited), then a partial change keeps the rest', async () => {
  const shown = await run(approvalsCommand, 'policy', '--json');
  expect(JSON.parse(shown.out)).toMatchObject({
    requiredFor: 'nobody',
    groupIds: [],
    remindAfterMinutes: 1440,
    escalateAfterMinutes: 2880,
    expireAfterMinutes: 10080,
    updatedAt: null,
  });

  const set = await run(
    approvalsCommand,
    'policy',
    'set',
    '--required-for',
    'groups',
    '--groups',
    'g1, g2',
    '--approvers-group',
    'ag',
    '--remind-after',
    '12h',
    '--json',
  );
  expect([set.code, set.err]).toEqual([0, '']);
  expect(JSON.parse(set.out)).toMatchObject({
    requiredFor: 'groups',
    groupIds: ['g1', 'g2'],
    approversGroupId: 'ag',
    remindAfterMinutes: 720,
    escalateAfterMinutes: 2880,
    updatedBy: 'patti',
  });

  const partial = await run(approvalsCommand, 'policy', 'set', '--expire-after', '3d');
  expect(partial.code).toBe(0);
  expect(partial.out).toContain('Approval required for: members of g1, g2');
  const db = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  expect(await new SqlApprovalPolicyStore(db).get()).toMatchObject({
    requiredFor: 'groups',
    approversGroupId: 'ag',
    remindAfterMinutes: 720,
    expireAfterMinutes: 4320,
  });
  await db.close();

  const cleared = await run(
    approvalsCommand,
    'policy',
    'set',
    '--required-for',
    'everyone',
    '--approvers-group',
    'none',
    '--json',
  );
  expect(JSON.parse(cleared.out)).toMatchObject({ requiredFor: 'everyone', approversGroupId: null });

  const audit = await run(auditCommand, '--action', 'approval.policy', '--json');
  expect(JSON.parse(audit.out).map((e: { actorId: string }) => e.actorId)).toEqual([
    'cli:patti',
    'cli:patti',
    'cli:patti',
  ]);
});

test('bad input: exit 2 with what was expected and what came', async () => {
  expect(await run(approvalsCommand, 'policy', 'set', '--required-for', 'managers')).toMatchObject({
    code: 2,
    err: expect.stringContaining("--required-for must be one of nobody, everyone, groups; received 'managers'"),
  });
  expect(await run(approvalsCommand, 'policy', 'set', '--required-for', 'groups')).toMatchObject({
    code: 2,
    err: expect.stringContaining('--groups'),
  });
  expect(await run(approvalsCommand, 'policy', 'set', '--remind-after', 'soon')).toMatchObject({ code: 2 });
  expect(await run(approvalsCommand, 'policy', 'set', '--colour', 'red')).toMatchObject({ code: 2 });
  expect(await run(approvalsCommand, 'list', '--state', 'pending')).toMatchObject({
    code: 2,
    err: expect.stringContaining('pending_approval'),
  });
  expect(await run(approvalsCommand, 'undo')).toMatchObject({ code: 2 });
  expect(await run(approvalsCommand, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
  expect(await run(auditCommand, '--limit', 'all')).toMatchObject({ code: 2 });
});

test('list with nothing to show, and the audit log filtered by user, request and action prefix', async () => {
  expect(await run(approvalsCommand, 'list')).toMatchObject({ code: 0, out: 'No approval requests.\n' });
  expect(JSON.parse((await run(approvalsCommand, 'list', '--json')).out)).toEqual([]);
  const db = SqliteDb.open(path.join(dir, 'headshot.sqlite'));
  const log = new SqlAuditLog(db);
  const at = new Date('2025-03-14T09:30:00Z');
  await log.append({
    at,
    actorId: 'alex',
    action: 'approval.request',
    subjectId: 'alex',
    requestId: 'r1',
    outcome: 'ok',
    detail: { newPhotoHash: 'b'.repeat(64) },
  });
  await log.append({
    at,
    actorId: 'megan',
    action: 'approval.approve',
    subjectId: 'alex',
    requestId: 'r1',
    outcome: 'ok',
  });
  await log.append({ at, actorId: 'alex', action: 'photo.apply', subjectId: 'alex', requestId: 'r1', outcome: 'ok' });
  await log.append({
    at,
    actorId: 'adele',
    action: 'approval.approve',
    subjectId: 'isaiah',
    requestId: 'r2',
    outcome: 'refused',
    detail: { reason: 'not_approver' },
  });
  await db.close();
  const byRequest = JSON.parse((await run(auditCommand, '--request', 'r1', '--json')).out);
  expect(byRequest.map((e: { action: string }) => e.action)).toEqual([
    'photo.apply',
    'approval.approve',
    'approval.request',
  ]);
  const approvals = JSON.parse((await run(auditCommand, '--user', 'alex', '--action', 'approval', '--json')).out);
  expect(approvals.map((e: { actorId: string }) => e.actorId)).toEqual(['megan', 'alex']);
  expect(JSON.parse((await run(auditCommand, '--actor', 'adele', '--json')).out)).toEqual([
    {
      at: at.toISOString(),
      actorId: 'adele',
      action: 'approval.approve',
      subjectId: 'isaiah',
      requestId: 'r2',
      outcome: 'refused',
      detail: { reason: 'not_approver' },
    },
  ]);
  const text = (await run(auditCommand, '--limit', '1')).out;
  expect(text).toMatch(
    /^2025-03-14T09:30:00.000Z {2}refused approval.approve +by adele for isaiah \(r2\) reason=not_approver\n$/,
  );
});
