/**
 * The photo guidelines end to end, with the face check on (the real detector in its worker): the chat's
 * preview card and the tab show the face warnings, the tab's scan answers faces and the square, and the
 * admin's policy per rule refuses a photo or sends it to the manager's approval (approvals otherwise off).
 * Fixtures: test/fixtures/faces (SOURCES.md), group photos from the @vladmandic/face-api package.
 */
import { DEMO_USERS } from '../../../emulator';
import type {
  CoverageJson,
  DownloadLink,
  FaceScanJson,
  PhotoRequestView,
  TenantSettingsView,
} from '../../../bot/src/api/tab-contract';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { approverChat, approvalCopies, auditJson, cardOf, photoWrites, setPolicy } from '../../support/approvals';
import { faceFixture, labelledImages } from '../../support/face-set';
import { useHarness } from '../../support/headshot';
import { as, clearServiceState, type ErrorBody } from '../../support/tab-state';
import { cardActions, cardTexts } from '../../support/teams-chat';

jest.setTimeout(90_000);

const h = useHarness({ FACE_CHECK: '1' }, {}, async (harness) => clearServiceState(harness));

async function groupPhoto(): Promise<Buffer> {
  return (await labelledImages()).find((i) => i.name.endsWith('sample1.jpg'))!.bytes;
}

async function setFaceRules(rules: TenantSettingsView['faceRules'] extends infer R ? Partial<R> : never) {
  const put = await as(h, DEMO_USERS.patti).put<TenantSettingsView>('/api/admin/settings', {
    body: { faceRules: rules },
  });
  expect(put.status).toBe(200);
  return put.json;
}

afterEach(async () => {
  await setFaceRules({ no_face: 'warn', multiple_faces: 'warn' });
});

test("a photo of three people in the chat: the preview card says so, in the chat's language, and is a valid card", async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'nl-NL' });
  expect(await chat.sendFile(await groupPhoto(), 'team.jpg')).toBe(200);
  const [preview] = await chat.newCards();
  expectValidCard(preview.card);
  expect(cardTexts(preview.card)).toContain(t('nl', 'warnings.multiple_faces', { faces: 3 }));
  expect(cardActions(preview.card).map((a) => a.verb)).toContain('photo.confirm');
});

test('the tab: the scan finds the face and the square, the upload with that square has no face warning', async () => {
  const alex = as(h, DEMO_USERS.alex, 'pl');
  const bytes = faceFixture('astronaut.jpg');
  const scan = await alex.post<FaceScanJson>('/api/me/photo-faces', { raw: bytes });
  expect(scan.status).toBe(200);
  expect(scan.json).toMatchObject({ status: 'checked', width: 480, height: 480 });
  expect(scan.json.faces).toHaveLength(1);
  expect(scan.json.faces[0]).toEqual(
    expect.objectContaining({ x: expect.any(Number), width: expect.any(Number), score: expect.any(Number) }),
  );
  expect(scan.json.suggested).toEqual({ cropLeft: 0, cropTop: 0, cropSize: 480 });

  const { cropLeft, cropTop, cropSize } = scan.json.suggested!;
  const upload = await alex.post<PhotoRequestView>(
    `/api/me/photo-requests?cropLeft=${cropLeft}&cropTop=${cropTop}&cropSize=${cropSize}`,
    { raw: bytes },
  );
  expect(upload.status).toBe(200);
  expect(upload.json.warnings.map((w) => w.code)).not.toEqual(
    expect.arrayContaining(['no_face', 'multiple_faces', 'face_cut_off', 'face_not_centred', 'face_too_small']),
  );

  // A square that cuts the face: the warning, localised.
  const cut = await alex.post<PhotoRequestView>('/api/me/photo-requests?cropLeft=210&cropTop=0&cropSize=260', {
    raw: bytes,
  });
  const warning = cut.json.warnings.find((w) => w.code === 'face_cut_off');
  expect(warning?.message).toMatch(/^Kwadrat przecina Twoją twarz: mieści się w nim tylko \d+% jej powierzchni/);
});

test('the scan refuses what an upload refuses, and takes no crop', async () => {
  const alex = as(h, DEMO_USERS.alex);
  const notImage = await alex.post<ErrorBody>('/api/me/photo-faces', { raw: Buffer.from('%PDF-1.4 not a photo') });
  expect([notImage.status, notImage.json.error.code]).toEqual([422, 'photo.unsupported_format']);
  const crop = await alex.post<ErrorBody>('/api/me/photo-faces?cropLeft=0&cropTop=0&cropSize=200', {
    raw: faceFixture('astronaut.jpg'),
  });
  expect([crop.status, crop.json.error.code]).toEqual([400, 'input.invalid']);
  const anonymous = await fetch(`${h.service.url}/api/me/photo-faces`, {
    method: 'POST',
    body: faceFixture('astronaut.jpg'),
  });
  expect(anonymous.status).toBe(401);
});

test('policy "refuse" for no face: the upload is refused with the reason in the caller\'s language, nothing stored', async () => {
  await setFaceRules({ no_face: 'refuse' });
  const alex = as(h, DEMO_USERS.alex, 'fi');
  const before = await alex.get<PhotoRequestView>('/api/me/photo-requests/latest');
  const refused = await alex.post<ErrorBody>('/api/me/photo-requests', { raw: faceFixture('coffee.jpg') });
  expect(refused.status).toBe(422);
  expect(refused.json.error).toEqual({
    code: 'photo.guideline',
    message: `${t('fi', 'errors.photo.guideline')} ${t('fi', 'warnings.no_face')}`,
  });
  const after = await alex.get<PhotoRequestView>('/api/me/photo-requests/latest');
  expect([after.status, after.json?.requestId]).toEqual([before.status, before.json?.requestId]);
  const audit = await auditJson(h, '--action', 'photo.receive');
  expect(audit[0]).toMatchObject({
    outcome: 'refused',
    detail: expect.objectContaining({ code: 'photo.guideline', rule: 'no_face' }),
  });
  // A photo with a face is not touched by that rule.
  expect((await alex.post('/api/me/photo-requests', { raw: faceFixture('astronaut.jpg') })).status).toBe(200);
});

test('policy "needs approval" for no face: with approvals off, a no-face photo goes to the manager, with the reason on the card', async () => {
  await setPolicy(h, '--required-for', 'nobody');
  await setFaceRules({ no_face: 'approval' });
  const megan = as(h, DEMO_USERS.megan, 'en');
  const upload = await megan.post<PhotoRequestView>('/api/me/photo-requests', { raw: faceFixture('coffee.jpg') });
  expect(upload.status).toBe(200);
  expect(upload.json.warnings.map((w) => w.code)).toContain('no_face');
  const submitted = await megan.post<PhotoRequestView>(`/api/me/photo-requests/${upload.json.requestId}/submit`);
  expect(submitted.json.state).toBe('pending_approval');
  expect(submitted.json.approval?.approvers.map((a) => a.userId)).toEqual([DEMO_USERS.patti]);
  expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([]);

  const patti = await approverChat(h, DEMO_USERS.patti, 'en-US', upload.json.requestId);
  const [copy] = await approvalCopies(patti, upload.json.requestId);
  const card = cardOf(copy);
  expectValidCard(card);
  expect(cardTexts(card)).toEqual(
    expect.arrayContaining([t('en', 'cards.approval.guideline_reason'), t('en', 'warnings.no_face')]),
  );

  // A photo with a face from the same person is not held: approvals are off for her otherwise.
  const face = await megan.post<PhotoRequestView>('/api/me/photo-requests', { raw: faceFixture('astronaut.jpg') });
  const applied = await megan.post<PhotoRequestView>(`/api/me/photo-requests/${face.json.requestId}/submit`);
  expect(applied.json.state).toBe('applied');
});

test('the admin settings show and keep the rules; a bad action is refused and changes nothing', async () => {
  const patti = as(h, DEMO_USERS.patti, 'en');
  const saved = await setFaceRules({ multiple_faces: 'approval' });
  expect(saved.faceRules).toEqual({
    no_face: 'warn',
    multiple_faces: 'approval',
    face_too_small: 'warn',
    face_cut_off: 'warn',
    face_not_centred: 'warn',
  });
  expect(saved.faceCheckEnabled).toBe(true);
  const bad = await patti.put<ErrorBody>('/api/admin/settings', { body: { faceRules: { no_face: 'ban' } } });
  expect(bad.status).toBe(400);
  expect((await patti.get<TenantSettingsView>('/api/admin/settings')).json.faceRules.no_face).toBe('warn');
  const notAdmin = await as(h, DEMO_USERS.megan).put('/api/admin/settings', {
    body: { faceRules: { no_face: 'off' } },
  });
  expect(notAdmin.status).toBe(403);
});

test('coverage: the face check of each photo Headshot applied, in the JSON summary and the CSV column', async () => {
  const patti = as(h, DEMO_USERS.patti, 'en');
  const alex = as(h, DEMO_USERS.alex, 'en');
  const megan = as(h, DEMO_USERS.megan, 'en');
  await setPolicy(h, '--required-for', 'nobody');
  const apply = async (who: typeof alex, bytes: Buffer) => {
    const up = await who.post<PhotoRequestView>('/api/me/photo-requests', { raw: bytes });
    expect(up.status).toBe(200);
    const done = await who.post<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}/submit`);
    expect(done.json.state).toBe('applied');
  };
  await apply(alex, await groupPhoto());
  await apply(megan, faceFixture('astronaut.jpg'));

  const started = await patti.post<CoverageJson>('/api/admin/coverage/scans');
  await h.service.admin.coverage.idle();
  const done = await patti.get<CoverageJson>('/api/admin/coverage');
  expect(done.json.faceChecks?.byRule.multiple_faces).toBeGreaterThanOrEqual(1);
  expect(done.json.faceChecks?.clean).toBeGreaterThanOrEqual(1);

  const link = await patti.post<DownloadLink>(`/api/admin/coverage/${started.json.scanId}/csv-link`);
  const lines = (await (await fetch(link.json.url)).text()).split(/\r?\n/);
  expect(lines[0]).toMatch(/,faceCheck$/);
  expect(lines.find((l) => l.includes('alexw@example.com'))).toMatch(/,multiple_faces$/);
  expect(lines.find((l) => l.includes('meganb@example.com'))).toMatch(/,ok$/);
  // Someone Headshot never gave a photo: nothing to say.
  expect(lines.find((l) => l.includes('adelev@example.com'))).toMatch(/,$/);
});
