/**
 * The admin page's API as Patti (HeadshotAdmin app role) and as non-admins: coverage, campaigns,
 * the audit log, and the tenant settings (round trip, bad input, audit entry, the SharePoint
 * legacy push after an apply), plus the status routes the same page family uses.
 */
import { useLegacySharePoint } from '../../support/status-reports';
import { DEMO_GROUPS, DEMO_USERS } from '../../../emulator';
import type {
  AuditPage,
  CampaignPreviewJson,
  CampaignProgressJson,
  CoverageJson,
  DownloadLink,
  PhotoRequestView,
  StatusReportJson,
  TenantSettingsView,
} from '../../../bot/src/api/tab-contract';
import { t } from '../../../bot/src/i18n/i18n';
import { SqlTenantSettingsStore } from '../../../bot/src/store/sql-tenant-settings';
import { SqlAuditLog } from '../../../bot/src/store/sql-audit-log';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { as, clearServiceState, type ErrorBody } from '../../support/tab-state';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts } from '../../support/teams-chat';

const h = useHarness({}, {}, async (harness) => clearServiceState(harness));
const photo = image('exif-orientation-examples/Landscape_1.jpg');

const ADMIN_ROUTES: Array<['get' | 'post' | 'put', string]> = [
  ['get', '/api/admin/coverage'],
  ['post', '/api/admin/coverage/scans'],
  ['post', '/api/admin/coverage/some-scan/csv-link'],
  ['get', '/api/admin/campaigns'],
  ['post', '/api/admin/campaigns'],
  ['post', '/api/admin/campaigns/preview'],
  ['get', '/api/admin/campaigns/abcdefgh12'],
  ['post', '/api/admin/campaigns/abcdefgh12/cancel'],
  ['get', '/api/admin/campaigns/abcdefgh12/funnel'],
  ['post', '/api/admin/campaigns/abcdefgh12/report-link'],
  ['get', '/api/admin/audit'],
  ['get', '/api/admin/settings'],
  ['put', '/api/admin/settings'],
];

test('every admin route refuses a non-admin with 403 in their language, before doing anything', async () => {
  const megan = as(h, DEMO_USERS.megan, 'fi');
  for (const [method, path] of ADMIN_ROUTES) {
    const body = method === 'get' ? undefined : { approvalPolicy: { requiredFor: 'everyone' } };
    const res = await megan[method]<ErrorBody>(path, { body });
    expect([method, path, res.status, res.json.error]).toEqual([
      method,
      path,
      403,
      { code: 'auth.forbidden', message: t('fi', 'errors.auth.forbidden') },
    ]);
  }
  expect(await h.service.admin.coverage.view()).toBeNull();
  expect(
    (await as(h, DEMO_USERS.patti).get<TenantSettingsView>('/api/admin/settings')).json.approvalPolicy.requiredFor,
  ).toBe('nobody');
});

test('coverage as Patti: none yet (null), start a scan, then its CSV link', async () => {
  const patti = as(h, DEMO_USERS.patti);
  const none = await patti.get('/api/admin/coverage');
  expect([none.status, none.bytes.toString()]).toEqual([200, 'null']);
  const started = await patti.post<CoverageJson>('/api/admin/coverage/scans');
  expect(started.status).toBe(200);
  expect(started.json).toMatchObject({ state: 'running', finishedAt: null });
  await h.service.admin.coverage.idle();
  const done = await patti.get<CoverageJson>('/api/admin/coverage');
  expect(done.json).toMatchObject({ scanId: started.json.scanId, state: 'done' });
  expect(done.json.scanned).toBeGreaterThan(5);
  const link = await patti.post<DownloadLink>(`/api/admin/coverage/${started.json.scanId}/csv-link`);
  expect(link.json.minutes).toBe(10);
  const csv = await fetch(link.json.url);
  expect(csv.status).toBe(200);
  expect(await csv.text()).toContain('alexw@example.com');
  const missing = await patti.post<ErrorBody>('/api/admin/coverage/no-such-scan/csv-link');
  expect(missing.status).toBe(404);
});

test('campaigns as Patti: create for a group, list, progress, cancel, report link; bad drafts refused', async () => {
  const patti = as(h, DEMO_USERS.patti, 'nl');
  const sendAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
  const created = await patti.post<CampaignProgressJson>('/api/admin/campaigns', {
    body: { message: { kind: 'reminder' }, audience: { kind: 'group', groupId: DEMO_GROUPS.sales }, sendAt },
  });
  expect(created.status).toBe(200);
  expect(created.json).toMatchObject({
    state: 'scheduled',
    createdBy: DEMO_USERS.patti,
    message: { kind: 'reminder' },
    audience: { kind: 'group', groupId: DEMO_GROUPS.sales, includeGuests: false },
  });
  const id = created.json.id;
  expect((await patti.get<CampaignProgressJson[]>('/api/admin/campaigns')).json.map((c) => c.id)).toContain(id);
  // The list is polled while a campaign sends: the group's name comes from the directory once, not per poll.
  const lookups = () =>
    h.control<{ value: Array<{ path: string }> }>(
      'GET',
      `/_control/requests?method=GET&path=${encodeURIComponent(`/groups/${DEMO_GROUPS.sales}`)}`,
    );
  const before = (await lookups()).value.filter((r) => !r.path.includes('/members')).length;
  for (let i = 0; i < 3; i += 1) {
    const listed = (await patti.get<CampaignProgressJson[]>('/api/admin/campaigns')).json.find((c) => c.id === id);
    expect(listed?.audience.groupName).toBe('Sales');
  }
  expect((await lookups()).value.filter((r) => !r.path.includes('/members')).length).toBe(before);
  expect((await patti.get<CampaignProgressJson>(`/api/admin/campaigns/${id}`)).json.id).toBe(id);
  const cancelled = await patti.post<CampaignProgressJson>(`/api/admin/campaigns/${id}/cancel`);
  expect(cancelled.json.state).toBe('cancelled');
  const link = await patti.post<DownloadLink>(`/api/admin/campaigns/${id}/report-link`);
  expect(link.json.url).toContain('/api/admin/broadcast-report.csv?ticket=');

  for (const body of [
    { message: { kind: 'reminder' }, audience: { kind: 'category', categories: ['no_photo', 'hybrid_stuck'] } },
    { message: { kind: 'custom', text: '' }, audience: { kind: 'everyone' } },
    { message: { kind: 'shout' }, audience: { kind: 'everyone' } },
  ]) {
    const res = await patti.post<ErrorBody>('/api/admin/campaigns', { body });
    expect([res.status, res.json.error.code]).toEqual([expect.any(Number), 'broadcast.invalid']);
    expect(res.status).toBeGreaterThanOrEqual(400);
  }
  expect((await patti.get<ErrorBody>('/api/admin/campaigns/nope')).json.error.code).toBe('broadcast.not_found');
});

test('a campaign preview counts who it reaches as sending would, shows the words in the caller language, queues nothing', async () => {
  const patti = as(h, DEMO_USERS.patti, 'fi');
  const preview = (audience: object, more: object = {}) =>
    patti.post<CampaignPreviewJson>('/api/admin/campaigns/preview', {
      body: { message: { kind: 'reminder' }, audience, ...more },
    });
  const before = (await patti.get<CampaignProgressJson[]>('/api/admin/campaigns')).json.map((c) => c.id);
  // The demo organisation: nine people, one of them a guest (Jordan) and one disabled (Henrietta).
  expect((await preview({ kind: 'everyone' })).json.recipients).toBe(7);
  expect((await preview({ kind: 'everyone' }, { includeGuests: true, includeDisabled: true })).json.recipients).toBe(9);
  expect((await preview({ kind: 'group', groupId: DEMO_GROUPS.sales })).json.recipients).toBe(2);
  const words = await preview({ kind: 'group', groupId: DEMO_GROUPS.marketing });
  expect(words.json).toEqual({
    recipients: 3,
    sendAt: null,
    reminder: {
      title: t('fi', 'admin.reminder.title'),
      text: t('fi', 'admin.reminder.text'),
      button: t('fi', 'admin.reminder.button'),
      from: t('fi', 'admin.reminder.from'),
    },
    card: expect.objectContaining({ type: 'AdaptiveCard', version: '1.5' }),
  });
  // The card is the one recipients get (the bot's own reminder card), valid and in the caller's language.
  expectValidCard(words.json.card);
  expect(cardTexts(words.json.card)).toEqual(
    expect.arrayContaining([t('fi', 'admin.reminder.title'), t('fi', 'admin.reminder.button')]),
  );
  expect(cardActions(words.json.card).map((a) => [a.type, a.verb])).toEqual([
    ['Action.Execute', 'photo.start'],
    ['Action.Execute', 'reminder.stop'],
  ]);
  // The tenant's own words for the language replace the product's; a custom text is shown as typed.
  // (Written to the store directly: the settings test counts the audited changes.)
  await new SqlTenantSettingsStore(h.service.db).update(
    { reminderTexts: { fi: { title: 'Kuva puuttuu', text: null } } },
    new Date(),
    DEMO_USERS.patti,
  );
  expect((await preview({ kind: 'everyone' })).json.reminder.title).toBe('Kuva puuttuu');
  const custom = await patti.post<CampaignPreviewJson>('/api/admin/campaigns/preview', {
    body: { message: { kind: 'custom', text: ' **Lisää** kuva ' }, audience: { kind: 'everyone' } },
  });
  expect(custom.json.reminder.text).toBe('**Lisää** kuva');
  const later = new Date(Date.now() + 3_600_000).toISOString();
  expect((await preview({ kind: 'everyone' }, { sendAt: later })).json.sendAt).toBe(later);

  const missing = await preview({ kind: 'group', groupId: '00000000-0000-4000-8000-0000000009ff' });
  expect([missing.status, missing.json]).toEqual([
    404,
    { error: { code: 'broadcast.group_not_found', message: t('fi', 'errors.broadcast.group_not_found') } },
  ]);
  // A category counts from the newest coverage scan, the same rows sending streams.
  await patti.post('/api/admin/coverage/scans');
  await h.service.admin.coverage.idle();
  const scan = (await patti.get<CoverageJson>('/api/admin/coverage')).json;
  expect((await preview({ kind: 'category', categories: ['no_photo'] })).json.recipients).toBe(scan.counts.no_photo);
  const bad = await patti.post<ErrorBody>('/api/admin/campaigns/preview', { body: { audience: { kind: 'all' } } });
  expect([bad.status, bad.json.error.code]).toEqual([400, 'broadcast.invalid']);
  expect((await patti.get<CampaignProgressJson[]>('/api/admin/campaigns')).json.map((c) => c.id)).toEqual(before);
});

test('settings: a PUT round trip, stored and audited; bad input is refused whole and in the caller language', async () => {
  const patti = as(h, DEMO_USERS.patti, 'pl');
  const change = {
    approvalPolicy: {
      requiredFor: 'groups',
      groupIds: [DEMO_GROUPS.marketing],
      approversGroupId: DEMO_GROUPS.approvers,
      remindAfterMinutes: 60,
    },
    reminderTexts: { fi: { title: 'Kuva puuttuu', text: '  Lisää kuva tänään!  ' }, pl: { title: '', text: null } },
  };
  const put = await patti.put<TenantSettingsView>('/api/admin/settings', { body: change });
  expect(put.status).toBe(200);
  expect(put.json).toMatchObject({
    approvalPolicy: {
      requiredFor: 'groups',
      groupIds: [DEMO_GROUPS.marketing],
      approversGroupId: DEMO_GROUPS.approvers,
      remindAfterMinutes: 60,
      escalateAfterMinutes: 2880,
      expireAfterMinutes: 10080,
    },
    sharePoint: { pictures: 'auto', legacyPush: false, available: true },
    reminderTexts: {
      en: { title: null, text: null },
      fi: { title: 'Kuva puuttuu', text: 'Lisää kuva tänään!' },
      pl: { title: null, text: null },
    },
    updatedBy: DEMO_USERS.patti,
  });
  expect((await patti.get<TenantSettingsView>('/api/admin/settings')).json).toEqual(put.json);
  // The policy is the one the approval flow uses: Alex (Marketing) now needs approval, Isaiah (Sales) does not.
  expect((await as(h, DEMO_USERS.alex).get<{ approvalRequired: boolean }>('/api/me')).json.approvalRequired).toBe(true);
  expect((await as(h, DEMO_USERS.isaiah).get<{ approvalRequired: boolean }>('/api/me')).json.approvalRequired).toBe(
    false,
  );

  const audit = await patti.get<AuditPage>('/api/admin/audit?limit=5');
  expect(audit.json.entries[0]).toMatchObject({
    actorId: DEMO_USERS.patti,
    action: 'settings.update',
    outcome: 'ok',
    detail: { parts: 'approvalPolicy,reminderTexts', requiredFor: 'groups', reminderLocales: 'fi,pl' },
  });

  for (const bad of [
    { approvalPolicy: { requiredFor: 'groups', groupIds: [] } },
    { approvalPolicy: { remindAfterMinutes: 0 } },
    { approvalPolicy: { requiredFor: 'managers' } },
    { reminderTexts: { de: { title: 'Foto', text: null } } },
    { reminderTexts: { fi: { title: 'x'.repeat(201), text: null } } },
    { colour: 'red' },
    'not json',
  ]) {
    const res = await patti.put<ErrorBody>('/api/admin/settings', { body: bad });
    expect([JSON.stringify(bad), res.status, res.json.error]).toEqual([
      JSON.stringify(bad),
      400,
      { code: 'input.invalid', message: t('pl', 'tab.errors.settings_invalid') },
    ]);
  }
  expect((await patti.get<TenantSettingsView>('/api/admin/settings')).json).toEqual(put.json);
  const after = await patti.get<AuditPage>('/api/admin/audit?limit=50');
  expect(after.json.entries.filter((e) => e.action === 'settings.update')).toHaveLength(1);
});

test('the audit log names everyone on the page, asked in one $batch and not person by person', async () => {
  const patti = as(h, DEMO_USERS.patti);
  const log = new SqlAuditLog(h.service.db);
  const people = Object.values(DEMO_USERS);
  for (const [i, subject] of people.entries())
    await log.append({
      at: new Date(Date.now() + i),
      actorId: DEMO_USERS.patti,
      action: 'photo.undo',
      subjectId: subject,
      outcome: 'ok',
    });
  const requests = async (path: string) =>
    (
      await h.control<{ value: { clientRequestId: string }[] }>(
        'GET',
        `/_control/requests?method=${path.includes('batch') ? 'POST' : 'GET'}&path=${encodeURIComponent(path)}`,
      )
    ).value;
  const BATCH = '^/v1\\.0/\\$batch$';
  const USER = '^/v1\\.0/users/[0-9a-f-]+$';
  const [batchesBefore, usersBefore] = [(await requests(BATCH)).length, (await requests(USER)).length];

  const page = await patti.get<AuditPage>(`/api/admin/audit?limit=${people.length}`);
  expect(page.status).toBe(200);
  const names = await Promise.all(
    page.json.entries.map(async (e) => [e.subjectId, e.subjectName, e.actorName] as const),
  );
  for (const [subject, subjectName, actorName] of names) {
    expect(subjectName).toEqual(expect.any(String));
    expect(subjectName).not.toBe(subject);
    expect(actorName).toBe('Patti Fernandez');
  }
  expect(new Set(names.map(([, name]) => name)).size).toBe(people.length);
  // One $batch; every user read since is one of its inner requests (the local tenant logs those with the batch's id).
  const batches = (await requests(BATCH)).slice(batchesBefore);
  expect(batches).toHaveLength(1);
  const reads = (await requests(USER)).slice(usersBefore);
  expect(reads).toHaveLength(people.length);
  expect(reads.every((r) => r.clientRequestId === batches[0].clientRequestId)).toBe(true);
});

test('the audit log pages backwards with nextBefore; a bad cursor is 400', async () => {
  const patti = as(h, DEMO_USERS.patti);
  for (let i = 0; i < 3; i++)
    await patti.put('/api/admin/settings', { body: { approvalPolicy: { remindAfterMinutes: 100 + i } } });
  const first = await patti.get<AuditPage>('/api/admin/audit?limit=2');
  expect(first.json.entries).toHaveLength(2);
  expect(first.json.nextBefore).not.toBeNull();
  const second = await patti.get<AuditPage>(`/api/admin/audit?limit=2&before=${first.json.nextBefore}`);
  expect(second.json.entries).toHaveLength(2);
  // Newest first, and the second page goes on where the first stopped.
  expect(first.json.entries.map((e) => e.detail?.remindAfterMinutes)).toEqual([102, 101]);
  expect(second.json.entries[0]?.detail?.remindAfterMinutes).toBe(100);
  expect((await patti.get('/api/admin/audit?before=abc')).status).toBe(400);
  expect((await patti.get('/api/admin/audit?limit=5000')).status).toBe(400);
});

describe('SharePoint legacy push', () => {
  // The legacy copy matters in a tenant whose SharePoint still shows it.
  beforeEach(() => useLegacySharePoint(h));
  interface PhotoState {
    sharePoint: {
      properties: Record<string, string> | null;
      files: Array<{ name: string; bytes: number; modifiedAt: string }>;
    };
  }
  const sharePointOf = async (userId: string) =>
    (await h.control<PhotoState>('GET', `/_control/users/${userId}/photo-state`)).sharePoint;

  async function applyAsAlex(): Promise<PhotoRequestView> {
    const alex = as(h, DEMO_USERS.alex);
    const up = await alex.post<PhotoRequestView>('/api/me/photo-requests', { raw: photo });
    return (await alex.post<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}/submit`)).json;
  }

  test('off (the default): an apply writes nothing to SharePoint', async () => {
    const before = await sharePointOf(DEMO_USERS.alex);
    expect((await applyAsAlex()).state).toBe('applied');
    expect(await sharePointOf(DEMO_USERS.alex)).toEqual(before);
  });

  test('on: after an apply the S/M/L thumbnails and the profile properties are in SharePoint', async () => {
    const patti = as(h, DEMO_USERS.patti);
    const on = await patti.put<TenantSettingsView>('/api/admin/settings', {
      body: { sharePoint: { legacyPush: true } },
    });
    expect(on.json.sharePoint).toEqual({ pictures: 'auto', legacyPush: true, available: true });
    expect((await sharePointOf(DEMO_USERS.alex)).files).toEqual([]);
    const applied = await applyAsAlex();
    expect(applied.state).toBe('applied');
    const sp = await sharePointOf(DEMO_USERS.alex);
    expect(sp.files.map((f) => f.name).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/_LThumb\.jpg$/), expect.stringMatching(/_MThumb\.jpg$/)]),
    );
    expect(sp.files).toHaveLength(3);
    expect(sp.properties).toMatchObject({ 'SPS-PicturePlaceholderState': '0' });
    expect(sp.properties?.PictureURL).toMatch(/_MThumb\.jpg/);
    const audit = await patti.get<AuditPage>('/api/admin/audit?limit=10');
    expect(audit.json.entries.find((e) => e.action === 'sharepoint.legacy_push')).toMatchObject({
      outcome: 'ok',
      subjectId: DEMO_USERS.alex,
      requestId: applied.requestId,
    });
  });

  test('on: an approved apply and "apply again" push too', async () => {
    const patti = as(h, DEMO_USERS.patti);
    await patti.put('/api/admin/settings', {
      body: { sharePoint: { legacyPush: true }, approvalPolicy: { requiredFor: 'everyone' } },
    });
    const pending = await applyAsAlex();
    expect(pending.state).toBe('pending_approval');
    expect((await sharePointOf(DEMO_USERS.alex)).files).toEqual([]);
    await as(h, DEMO_USERS.megan).post(`/api/approvals/${pending.requestId}/decision`, {
      body: { decision: 'approve' },
    });
    await h.service.approvals.idle();
    expect((await sharePointOf(DEMO_USERS.alex)).files).toHaveLength(3);

    // Megan already has a photo (and the thumbnails SharePoint copied of it): "apply again" writes it to
    // Microsoft 365 again, and the thumbnails with it (a minute later on the tenant's clock).
    const before = (await sharePointOf(DEMO_USERS.megan)).files.map((f) => f.modifiedAt);
    await h.control('POST', '/_control/clock/advance', { seconds: 60 });
    const again = await as(h, DEMO_USERS.megan).post('/api/me/status/fixes/apply_again');
    expect(again.status).toBe(200);
    const after = (await sharePointOf(DEMO_USERS.megan)).files.map((f) => f.modifiedAt);
    expect(after).toHaveLength(3);
    for (const [i, at] of after.entries()) expect(Date.parse(at)).toBeGreaterThan(Date.parse(before[i] ?? '0'));
  });

  test('a SharePoint failure does not fail or undo the apply: audited as failed, the status shows SharePoint', async () => {
    await as(h, DEMO_USERS.patti).put('/api/admin/settings', { body: { sharePoint: { legacyPush: true } } });
    await h.control('POST', '/_control/faults', { path: '/sp/*', status: 500, times: 50 });
    const applied = await applyAsAlex();
    expect(applied.state).toBe('applied');
    await h.control('DELETE', '/_control/faults');
    expect(
      (await h.control<{ hasPhoto: boolean }>('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`)).hasPhoto,
    ).toBe(true);
    expect((await sharePointOf(DEMO_USERS.alex)).files).toEqual([]);
    const failed = (await h.service.db.all(
      `SELECT outcome, detail FROM audit_log WHERE action = 'sharepoint.legacy_push' AND request_id = ?`,
      [applied.requestId],
    )) as { outcome: string; detail: string }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.outcome).toBe('failed');
    const status = await as(h, DEMO_USERS.alex).get<StatusReportJson>('/api/me/status');
    expect(status.json.systems.find((s) => s.system === 'sharepoint')?.fixes).toContain('fix_sharepoint');
  });
});

test('status routes: the report, the fix that sends the photo to SharePoint now, and the AD-ready photo', async () => {
  const megan = as(h, DEMO_USERS.megan, 'fi');
  const report = await megan.get<StatusReportJson>('/api/me/status');
  expect(report.status).toBe(200);
  expect(report.json.user.id).toBe(DEMO_USERS.megan);
  expect(report.json.systems.map((s) => s.system)).toEqual(expect.arrayContaining(['entra', 'exchange', 'sharepoint']));
  const fixed = await megan.post<StatusReportJson>('/api/me/status/fixes/fix_sharepoint');
  expect(fixed.status).toBe(200);
  const sp = (
    await h.control<{ sharePoint: { files: unknown[] } }>('GET', `/_control/users/${DEMO_USERS.megan}/photo-state`)
  ).sharePoint;
  expect(sp.files).toHaveLength(3);
  const unknownFix = await megan.post<ErrorBody>('/api/me/status/fixes/format_disk');
  expect([unknownFix.status, unknownFix.json.error.code]).toEqual([400, 'input.invalid']);
  const ad = await megan.get('/api/me/ad-photo');
  expect([ad.status, ad.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
  expect(ad.bytes.length).toBeLessThanOrEqual(10 * 1024);
  expect(ad.headers.get('content-disposition')).toContain('attachment');
});
