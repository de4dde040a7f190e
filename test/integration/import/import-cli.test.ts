/**
 * `headshot import` against the real service and local tenant (docs/import.md): matching, dry run, apply through
 * the service, a second run that writes nothing, a changed file, a photo changed elsewhere, undo, hostile zips.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importCommand } from '../../../bot/src/cli/import-command';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness, type Harness } from '../../support/headshot';
import { forgetImports } from '../../support/import-files';
import { photoWrites, photoInfo } from '../../support/approvals';
import { seed } from '../../support/broadcasts';
import { DEMO_USERS, demoSeed } from '../../../emulator';
import { PHOTOS, bombZip, photoFolder, zipOf, zipWithLink, zipWithName } from '../../support/import-files';

const h = useHarness({ IMPORT_POLL_MS: '50', FACE_CHECK: '0' }, {}, forgetImports);
const { alex, adele, isaiah, megan } = DEMO_USERS;

interface Row {
  file: string;
  plan: string;
  outcome: string;
  matchedBy?: string;
  reason?: string;
  person?: { userPrincipalName: string };
}
interface Result {
  job: { id: string; state: string };
  counts: { plans: Record<string, number>; outcomes: Record<string, number> };
  items: Row[];
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, Buffer | string>): string {
  const dir = photoFolder(files);
  dirs.push(dir);
  return dir;
}

function zipFile(bytes: Buffer): string {
  const dir = folder({});
  const file = path.join(dir, 'photos.zip');
  fs.writeFileSync(file, bytes);
  return file;
}

async function run(
  harness: Harness,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; json: () => Result }> {
  let out = '';
  let err = '';
  const code = await importCommand([...args, '--as', 'pattif@example.com'], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env: {
      DATA_DIR: harness.dataDir,
      LOCAL_TENANT_URL: harness.tenant.url,
      PLAYGROUND: '0',
      FACE_CHECK: '0',
      IMPORT_POLL_MS: '50',
    },
  });
  return { code, out, err, json: () => JSON.parse(out) as Result };
}

/** Someone changes the person's photo in Microsoft 365 (Outlook, Teams), not through Headshot. */
async function photoElsewhere(harness: Harness, userId: string, jpeg: Buffer): Promise<void> {
  const res = await fetch(`${harness.tenant.url}/_control/users/${userId}/photo`, { method: 'PUT', body: jpeg });
  expect(res.status).toBe(200);
}

const byFile = (r: Result): Record<string, Row> => Object.fromEntries(r.items.map((i) => [i.file, i]));

test('a dry run matches by UPN, alias, mail, employeeId and name, lists what it cannot use, and writes nothing', async () => {
  const dir = folder({
    'alexw@example.com.jpg': PHOTOS[0]!,
    'Vance, Adele.jpg': PHOTOS[1]!,
    'E1004.jpg': PHOTOS[2]!,
    'meganb.jpg': PHOTOS[3]!,
    'Nobody Here.jpg': PHOTOS[4]!,
    'notes.txt': 'not a photo',
    'Henrietta Mueller.jpg': PHOTOS[5]!,
    'jordan@contoso.com.jpg': PHOTOS[0]!,
    'archive.zip': zipOf({ 'x.jpg': PHOTOS[1]! }),
    '.DS_Store': 'hidden',
  });
  const r = await run(h, dir, '--dry-run', '--json');
  expect(r.code).toBe(0);
  const rows = byFile(r.json());
  expect(rows['alexw@example.com.jpg']).toMatchObject({ plan: 'new', matchedBy: 'upn' });
  expect(rows['Vance, Adele.jpg']).toMatchObject({ plan: 'new', matchedBy: 'name' });
  expect(rows['E1004.jpg']).toMatchObject({ plan: 'new', matchedBy: 'employeeId' });
  expect(rows['meganb.jpg']).toMatchObject({ plan: 'new', matchedBy: 'upn', reason: 'replaces' });
  expect(rows['Nobody Here.jpg']).toMatchObject({ plan: 'no_match' });
  expect(rows['notes.txt']).toMatchObject({ plan: 'no_match' });
  expect(rows['Henrietta Mueller.jpg']).toMatchObject({ plan: 'refused', reason: 'disabled' });
  expect(rows['jordan@contoso.com.jpg']).toMatchObject({ plan: 'refused', reason: 'guest' });
  expect(rows['archive.zip']).toMatchObject({ plan: 'invalid', reason: 'nested_archive' });
  expect(rows['.DS_Store']).toBeUndefined();
  expect(r.json().job.state).toBe('checked');
  expect(await photoWrites(h, alex)).toEqual([]);
});

test('--match name only matches names; the text table is in the language asked for', async () => {
  const dir = folder({ 'alexw@example.com.jpg': PHOTOS[0]!, 'adele.vance.jpg': PHOTOS[1]! });
  const r = await run(h, dir, '--dry-run', '--match', 'name', '--locale', 'nl');
  expect(r.code).toBe(0);
  expect(r.out).toContain(t('nl', 'import.plans.no_match'));
  expect(r.out).toContain(t('nl', 'import.plans.new'));
  expect(r.out).toContain('adelev@example.com');
});

test('apply: the service writes each photo once, at low priority, audited; a second run writes nothing', async () => {
  const dir = folder({ 'alexw@example.com.jpg': PHOTOS[0]!, 'Adele Vance.jpg': PHOTOS[1]!, 'nobody.jpg': PHOTOS[2]! });
  const first = await run(h, dir, '--json');
  expect(first.code).toBe(3); // one row had no match
  const done = first.json();
  expect(done.job.state).toBe('done');
  expect(byFile(done)['alexw@example.com.jpg']).toMatchObject({ outcome: 'applied' });
  expect(await photoWrites(h, alex)).toEqual([200]);
  expect(await photoWrites(h, adele)).toEqual([200]);
  expect((await photoInfo(h, alex)).hasPhoto).toBe(true);
  const puts = await h.control<{ value: Array<{ path: string; throttlePriority?: string }> }>(
    'GET',
    `/_control/requests?method=PUT&path=${encodeURIComponent('/photo/')}`,
  );
  expect(puts.value.map((p) => p.throttlePriority)).toEqual(['low', 'low']);

  const second = await run(h, dir, '--json');
  expect(second.json().counts.plans).toMatchObject({ unchanged: 2, no_match: 1, new: 0 });
  expect(byFile(second.json())['alexw@example.com.jpg']).toMatchObject({ reason: 'same_file', outcome: 'not_written' });
  expect(await photoWrites(h, alex)).toEqual([200]);
});

test('a changed file is written again; a photo changed in Microsoft 365 is reported and kept unless overwritten', async () => {
  const dir = folder({ 'alexw@example.com.jpg': PHOTOS[0]!, 'adelev@example.com.jpg': PHOTOS[1]! });
  expect((await run(h, dir, '--json')).json().job.state).toBe('done');

  fs.writeFileSync(path.join(dir, 'alexw@example.com.jpg'), PHOTOS[3]!);
  // Adele changes her own photo in Microsoft 365 after the import.
  await photoElsewhere(h, adele, PHOTOS[4]!);
  const again = await run(h, dir, '--json');
  const rows = byFile(again.json());
  expect(rows['alexw@example.com.jpg']).toMatchObject({ plan: 'changed', outcome: 'applied' });
  expect(rows['adelev@example.com.jpg']).toMatchObject({ plan: 'changed_elsewhere', outcome: 'not_written' });
  expect(await photoWrites(h, alex)).toEqual([200, 200]);
  expect(await photoWrites(h, adele)).toEqual([200]);

  const overwrite = await run(h, dir, '--json', '--overwrite-changed');
  expect(byFile(overwrite.json())['adelev@example.com.jpg']).toMatchObject({
    plan: 'changed_elsewhere',
    reason: 'changed_elsewhere_overwrite',
    outcome: 'applied',
  });
  expect(await photoWrites(h, adele)).toEqual([200, 200]);
});

test('undo puts back each person’s photo from before the import, and keeps one changed since', async () => {
  const before = await photoInfo(h, megan);
  const dir = folder({ 'meganb@example.com.jpg': PHOTOS[0]!, 'isaiahl@example.com.jpg': PHOTOS[1]! });
  const imported = (await run(h, dir, '--json')).json();
  expect(imported.job.state).toBe('done');
  // Isaiah changes his photo after the import: undo must not take it away.
  await photoElsewhere(h, isaiah, PHOTOS[2]!);
  const isaiahNow = await photoInfo(h, isaiah);

  const undo = await run(h, 'undo', imported.job.id, '--json');
  expect(undo.code).toBe(0);
  const report = (await run(h, 'report', imported.job.id, '--json')).json();
  expect(report.job.state).toBe('undone');
  expect(byFile(report)['meganb@example.com.jpg']).toMatchObject({ outcome: 'undone' });
  expect(byFile(report)['isaiahl@example.com.jpg']).toMatchObject({ outcome: 'kept' });
  expect((await photoInfo(h, megan)).bytes).toBe(before.bytes);
  expect((await photoInfo(h, isaiah)).etag).toBe(isaiahNow.etag);
  // After the undo the next run sees Megan as new again.
  const next = (await run(h, dir, '--dry-run', '--json')).json();
  expect(byFile(next)['meganb@example.com.jpg']).toMatchObject({ plan: 'new' });
});

test('two files for one person are both listed as duplicates and neither is written; ambiguous names are never guessed', async () => {
  const org = demoSeed();
  const alexUser = org.users.find((u) => u.id === alex)!;
  org.users.push({
    ...alexUser,
    id: 'second-alex',
    upn: 'alex.wilber@example.com',
    mail: 'alex.wilber@example.com',
    employeeId: null,
  });
  await seed(h, org);
  const dir = folder({
    'Alex Wilber.jpg': PHOTOS[0]!,
    'adelev@example.com.jpg': PHOTOS[1]!,
    'E1003.jpg': PHOTOS[2]!,
  });
  const r = await run(h, dir, '--json');
  const rows = byFile(r.json());
  expect(rows['Alex Wilber.jpg']).toMatchObject({ plan: 'ambiguous' });
  expect(rows['Alex Wilber.jpg']!.reason).toBe('ambiguous');
  expect(rows['adelev@example.com.jpg']).toMatchObject({ plan: 'duplicate', outcome: 'not_written' });
  expect(rows['E1003.jpg']).toMatchObject({ plan: 'duplicate', outcome: 'not_written' });
  expect(await photoWrites(h, adele)).toEqual([]);
  expect(r.code).toBe(3);
});

test('a tenant that keeps photos on-premises: every matched row is refused with the reason, nothing written', async () => {
  await h.control('PUT', '/_control/photo-policy', { source: 'onPremises' });
  const dir = folder({ 'alexw@example.com.jpg': PHOTOS[0]!, 'nobody.jpg': PHOTOS[1]! });
  const r = await run(h, dir, '--json');
  expect(r.code).toBe(3);
  const rows = byFile(r.json());
  expect(rows['alexw@example.com.jpg']).toMatchObject({ plan: 'refused', reason: 'policy_on_premises' });
  expect(rows['nobody.jpg']).toMatchObject({ plan: 'no_match' });
  expect(await photoWrites(h, alex)).toEqual([]);
  const report = await run(h, 'report', r.json().job.id, '--csv', '--locale', 'fi');
  expect(report.out).toContain(t('fi', 'import.reasons.policy_on_premises'));
});

test('mapping.csv decides for the files it names', async () => {
  const zip = zipFile(
    zipOf({
      'mapping.csv': 'file,upn\nIMG_0001.jpg,alexw@example.com\nIMG_0002.jpg,ghost@example.com\n',
      'IMG_0001.jpg': PHOTOS[0]!,
      'IMG_0002.jpg': PHOTOS[1]!,
    }),
  );
  const rows = byFile((await run(h, zip, '--dry-run', '--json')).json());
  expect(rows['IMG_0001.jpg']).toMatchObject({ plan: 'new', matchedBy: 'mapping' });
  expect(rows['IMG_0002.jpg']).toMatchObject({ plan: 'no_match', reason: 'mapping_no_person' });
});

test.each([
  ['a path outside the archive', () => zipWithName('../alexw@example.com.jpg', PHOTOS[0]!), 'import.archive_unsafe'],
  ['an absolute path', () => zipWithName('/tmp/alexw@example.com.jpg', PHOTOS[0]!), 'import.archive_unsafe'],
  ['a symbolic link', () => zipWithLink('alexw@example.com.jpg', '/etc/passwd'), 'import.archive_unsafe'],
  ['a zip bomb', () => bombZip(200), 'import.archive_too_big'],
  ['a damaged zip', () => zipOf({ 'a.jpg': PHOTOS[0]! }).subarray(0, 200), 'import.archive_unreadable'],
  ['an empty zip', () => zipOf({ 'readme/': '' }), 'import.empty'],
])('a zip with %s is refused whole, and nothing is stored', async (_what, make, code) => {
  const jobs = async (): Promise<number> => (JSON.parse((await run(h, 'list', '--json')).out) as unknown[]).length;
  const before = await jobs();
  const r = await run(h, zipFile(make()), '--json');
  expect(r.code).toBe(2);
  expect(r.err).toContain(code);
  expect(await jobs()).toBe(before);
  expect(await photoWrites(h, alex)).toEqual([]);
});

test('more files than IMPORT_MAX_FILES is refused', async () => {
  const dir = folder({ 'a.jpg': PHOTOS[0]!, 'b.jpg': PHOTOS[1]!, 'c.jpg': PHOTOS[2]! });
  let err = '';
  const code = await importCommand([dir, '--as', 'pattif@example.com'], {
    stdout: () => undefined,
    stderr: (s) => void (err += s),
    env: { DATA_DIR: h.dataDir, LOCAL_TENANT_URL: h.tenant.url, PLAYGROUND: '0', IMPORT_MAX_FILES: '2' },
  });
  expect(code).toBe(2);
  expect(err).toContain('import.too_many_files');
});

test('only admins may import', async () => {
  let err = '';
  const code = await importCommand([folder({ 'a.jpg': PHOTOS[0]! }), '--as', 'alexw@example.com'], {
    stdout: () => undefined,
    stderr: (s) => void (err += s),
    env: { DATA_DIR: h.dataDir, LOCAL_TENANT_URL: h.tenant.url, PLAYGROUND: '0' },
  });
  expect(code).toBe(77);
  expect(err).toContain(t('en', 'errors.admin.forbidden'));
});
