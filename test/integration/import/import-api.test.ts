/**
 * The Admin page's Import through the tab's API (docs/import.md): upload a zip, the table in the caller's language,
 * apply, progress, the CSV report, a second upload that writes nothing, undo, refusals and who may call.
 */
import { DEMO_USERS } from '../../../emulator';
import type { DownloadLink, ImportItemJson, ImportProgressJson } from '../../../bot/src/api/tab-contract';
import { t } from '../../../bot/src/i18n/i18n';
import { photoWrites } from '../../support/approvals';
import { until } from '../../support/broadcasts';
import { useHarness } from '../../support/headshot';
import { PHOTOS, bombZip, forgetImports, photoFolder, zipOf, zipWithName } from '../../support/import-files';
import { as, type ErrorBody } from '../../support/tab-state';

const h = useHarness({ IMPORT_POLL_MS: '50', FACE_CHECK: '0' }, {}, forgetImports);
const { alex, adele, megan, patti } = DEMO_USERS;

const demoZip = (): Buffer =>
  zipOf({
    'photos/Alex Wilber.jpg': PHOTOS[0]!,
    'photos/adelev@example.com.jpg': PHOTOS[1]!,
    'photos/unknown.jpg': PHOTOS[2]!,
  });

/** Uploads `zip` as Patti and waits for the check. */
async function upload(zip: Buffer, query = '', locale = 'en'): Promise<ImportProgressJson> {
  const res = await as(h, patti, locale).post<ImportProgressJson>(`/api/admin/imports?name=team.zip${query}`, {
    raw: zip,
  });
  expect(res.status).toBe(202);
  expect(res.json.job.state).toBe('checking');
  return waitFor(res.json.job.id, (p) => p.job.state !== 'checking');
}

async function waitFor(id: string, done: (p: ImportProgressJson) => boolean): Promise<ImportProgressJson> {
  let last: ImportProgressJson | undefined;
  await until(
    async () => {
      last = (await as(h, patti).get<ImportProgressJson>(`/api/admin/imports/${id}`)).json;
      return done(last);
    },
    20_000,
    `import ${id}`,
  );
  return last!;
}

const rows = async (id: string, locale = 'en'): Promise<ImportItemJson[]> =>
  (await as(h, patti, locale).get<ImportItemJson[]>(`/api/admin/imports/${id}/items`)).json;

test('upload, the table in Polish, apply with progress, the CSV report; the upload is not kept', async () => {
  const checked = await upload(demoZip(), '', 'pl');
  expect(checked.job).toMatchObject({ state: 'checked', sourceName: 'team.zip', checkedFiles: 3, totalFiles: 3 });
  expect(checked.job).not.toHaveProperty('sourcePath');
  const table = (await rows(checked.job.id, 'pl')).sort((a, b) => a.file.localeCompare(b.file));
  expect(table.map((r) => [r.file, r.plan, r.person?.userPrincipalName ?? null])).toEqual([
    ['photos/adelev@example.com.jpg', 'new', 'adelev@example.com'],
    ['photos/Alex Wilber.jpg', 'new', 'alexw@example.com'],
    ['photos/unknown.jpg', 'no_match', null],
  ]);
  expect(table[2]!.planText).toBe(t('pl', 'import.plans.no_match'));
  expect(table[2]!.reasonText).toBe(t('pl', 'import.reasons.no_match'));
  expect(table[1]!.reasonText).toBe(t('pl', 'import.reasons.first_photo', { name: 'Alex Wilber' }));
  expect(await photoWrites(h, alex)).toEqual([]);

  const applied = await as(h, patti).post<ImportProgressJson>(`/api/admin/imports/${checked.job.id}/apply`);
  expect(applied.json.job.state).toBe('applying');
  const done = await waitFor(checked.job.id, (p) => p.job.state === 'done');
  expect(done.counts.outcomes).toMatchObject({ applied: 2, not_written: 1 });
  expect(await photoWrites(h, alex)).toEqual([200]);

  const link = await as(h, patti).post<DownloadLink>(`/api/admin/imports/${checked.job.id}/report-link`);
  const csv = await (await fetch(link.json.url)).text();
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('file,userPrincipalName,displayName,matchedBy,plan,outcome,reason,warnings,requestId');
  expect(lines).toHaveLength(4);
  const alexLine = lines.find((l) => l.includes('alexw@example.com'));
  expect(alexLine).toContain(',new,applied,');
  expect(lines.find((l) => l.startsWith('photos/unknown.jpg'))).toContain(
    t('pl', 'import.reasons.no_match').slice(0, 20),
  );
  // The link is Patti's; a ticket for another download kind is refused.
  expect((await fetch(link.json.url.replace('import-report.csv', 'coverage.csv'))).status).toBe(401);

  const { readdirSync } = await import('node:fs');
  expect(readdirSync(`${h.dataDir}/imports`)).toEqual([]);
});

test('the same zip again writes nothing; undo restores the photos from before', async () => {
  const first = await upload(demoZip());
  await as(h, patti).post(`/api/admin/imports/${first.job.id}/apply`);
  await waitFor(first.job.id, (p) => p.job.state === 'done');

  const second = await upload(demoZip());
  expect(second.counts.plans).toMatchObject({ unchanged: 2, no_match: 1 });
  await as(h, patti).post(`/api/admin/imports/${second.job.id}/apply`);
  const nothing = await waitFor(second.job.id, (p) => p.job.state === 'done');
  expect(nothing.counts.outcomes.applied).toBe(0);
  expect(await photoWrites(h, adele)).toEqual([200]);

  const undo = await as(h, patti).post<ImportProgressJson>(`/api/admin/imports/${first.job.id}/undo`);
  expect(undo.json.job.state).toBe('undoing');
  const undone = await waitFor(first.job.id, (p) => p.job.state === 'undone');
  expect(undone.counts.outcomes).toMatchObject({ undone: 2 });
  expect(await photoWrites(h, adele, 'DELETE')).toEqual([204]);
});

test('a restart while an upload is being checked: the next service goes on from the last row it stored', async () => {
  // Each read of a person's photo takes 400 ms, so the check is still running when the service stops.
  await h.control('POST', '/_control/faults', { method: 'GET', path: '/photo$', latencyMs: 400, times: 3 });
  const zip = zipOf(
    Object.fromEntries(
      ['alexw', 'adelev', 'isaiahl', 'meganb', 'lynner'].map((u, i) => [`${u}@example.com.jpg`, PHOTOS[i]!]),
    ),
  );
  const res = await as(h, patti).post<ImportProgressJson>('/api/admin/imports?name=five.zip', { raw: zip });
  const id = res.json.job.id;
  await until(async () => (await h.service.imports.service.progress(id)).counts.files >= 1, 10_000, 'a first row');
  await h.restart();
  // The dead owner's lease runs out on the service's clock; the upload is still on this machine.
  h.clock.advance(60_000);
  const checked = await waitFor(id, (p) => p.job.state === 'checked');
  expect(checked.counts.files).toBe(5);
  expect(checked.counts.plans.new).toBe(5);
  const files = (await rows(id)).map((r) => r.file).sort();
  expect(new Set(files).size).toBe(5);
});

test('a hostile or broken upload is refused at once in the caller’s language, and leaves nothing', async () => {
  const patti_ = as(h, patti, 'nl');
  const traversal = await patti_.post<ErrorBody>('/api/admin/imports', { raw: zipWithName('../x.jpg', PHOTOS[0]!) });
  expect(traversal.status).toBe(400);
  expect(traversal.json.error.code).toBe('import.archive_unsafe');
  expect(traversal.json.error.message).toBe(t('nl', 'errors.import.archive_unsafe', { file: '../x.jpg' }));
  const bomb = await patti_.post<ErrorBody>('/api/admin/imports', { raw: bombZip(200) });
  expect([bomb.status, bomb.json.error.code]).toEqual([413, 'import.archive_too_big']);
  const empty = await patti_.post<ErrorBody>('/api/admin/imports', { raw: new Uint8Array(0) });
  expect([empty.status, empty.json.error.code]).toEqual([400, 'import.empty']);
  const junk = await patti_.post<ErrorBody>('/api/admin/imports', { raw: Buffer.from('not a zip at all') });
  expect([junk.status, junk.json.error.code]).toEqual([400, 'import.archive_unreadable']);
  const badQuery = await patti_.post<ErrorBody>('/api/admin/imports?match=shoe-size', { raw: demoZip() });
  expect([badQuery.status, badQuery.json.error.code]).toEqual([400, 'import.invalid']);
  expect((await patti_.get<ImportProgressJson[]>('/api/admin/imports')).json).toEqual([]);
  const { readdirSync } = await import('node:fs');
  expect(readdirSync(`${h.dataDir}/imports`)).toEqual([]);
});

test('only admins: every import route refuses others with 403 before reading anything', async () => {
  const meg = as(h, megan, 'fi');
  const id = '00000000-0000-4000-8000-000000000001';
  const calls: Array<['get' | 'post', string]> = [
    ['get', '/api/admin/imports'],
    ['post', '/api/admin/imports'],
    ['post', '/api/admin/imports/folder'],
    ['get', `/api/admin/imports/${id}`],
    ['get', `/api/admin/imports/${id}/items`],
    ['post', `/api/admin/imports/${id}/apply`],
    ['post', `/api/admin/imports/${id}/cancel`],
    ['post', `/api/admin/imports/${id}/undo`],
    ['post', `/api/admin/imports/${id}/report-link`],
  ];
  for (const [method, path] of calls) {
    const res = await meg[method]<ErrorBody>(path, method === 'post' ? { raw: demoZip() } : {});
    expect([path, res.status, res.json.error.code]).toEqual([path, 403, 'auth.forbidden']);
  }
  const anonymous = await fetch(`${h.service.url}/api/admin/imports`);
  expect(anonymous.status).toBe(401);
  expect((await as(h, patti).get<ErrorBody>(`/api/admin/imports/${id}`)).json.error.code).toBe('import.not_found');
  expect((await as(h, patti).get<ErrorBody>('/api/admin/imports/..%2F..%2Fetc')).status).toBe(404);
});

test('local mode: a folder on this machine; apply twice is refused as the wrong state', async () => {
  const dir = photoFolder({ 'meganb@example.com.jpg': PHOTOS[3]! });
  const res = await as(h, patti).post<ImportProgressJson>('/api/admin/imports/folder', { body: { path: dir } });
  expect(res.status).toBe(202);
  const checked = await waitFor(res.json.job.id, (p) => p.job.state === 'checked');
  expect(checked.counts.plans.new).toBe(1);
  expect((await as(h, patti).post(`/api/admin/imports/${checked.job.id}/apply`)).status).toBe(200);
  const again = await as(h, patti, 'fi').post<ErrorBody>(`/api/admin/imports/${checked.job.id}/apply`);
  expect([again.status, again.json.error.code]).toEqual([409, 'import.wrong_state']);
  await waitFor(checked.job.id, (p) => p.job.state === 'done');
  const missing = await as(h, patti).post<ErrorBody>('/api/admin/imports/folder', { body: { path: `${dir}/nope` } });
  expect(missing.json.error.code).toBe('import.archive_unreadable');
  (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
});
