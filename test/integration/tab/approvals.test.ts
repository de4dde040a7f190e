/**
 * Approvals through the tab: the admin sets the policy in the tab's settings, a submit goes to
 * the manager, who sees it in GET /api/approvals and decides with POST .../decision, with the
 * card's rules (reason required on reject, first decision wins, only approvers decide).
 */
import sharp from 'sharp';
import { DEMO_USERS } from '../../../emulator';
import type { ApprovalItemView, MeView, PhotoRequestView } from '../../../bot/src/api/tab-contract';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { as, clearServiceState, type ErrorBody } from '../../support/tab-state';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts } from '../../support/teams-chat';

const h = useHarness({}, {}, async (harness) => clearServiceState(harness));
const photo = image('exif-orientation-examples/Portrait_1.jpg');

interface PhotoInfo {
  hasPhoto: boolean;
  etag: string | null;
}

async function requireApprovalForEveryone(): Promise<void> {
  const res = await as(h, DEMO_USERS.patti).put('/api/admin/settings', {
    body: { approvalPolicy: { requiredFor: 'everyone' } },
  });
  expect(res.status).toBe(200);
}

async function submitted(userId: string): Promise<PhotoRequestView> {
  const me = as(h, userId);
  const up = await me.post<PhotoRequestView>('/api/me/photo-requests', { raw: photo });
  const res = await me.post<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}/submit`);
  expect(res.status).toBe(200);
  return res.json;
}

const photoInfo = (userId: string) => h.control<PhotoInfo>('GET', `/_control/users/${userId}/photo-info`);

test('policy everyone: pending with Megan as approver; she approves in the tab and the photo is applied', async () => {
  await requireApprovalForEveryone();
  expect((await as(h, DEMO_USERS.alex).get<MeView>('/api/me')).json).toMatchObject({
    approvalRequired: true,
    isApprover: false,
  });
  expect((await as(h, DEMO_USERS.megan).get<MeView>('/api/me')).json).toMatchObject({ isApprover: true });

  const pending = await submitted(DEMO_USERS.alex);
  expect(pending).toMatchObject({
    state: 'pending_approval',
    approval: { approvers: [{ userId: DEMO_USERS.megan, displayName: 'Megan Bowen', role: 'manager' }] },
    message: t('en', 'tab.request.pending_approval', { names: 'Megan Bowen' }),
  });
  expect((await photoInfo(DEMO_USERS.alex)).hasPhoto).toBe(false);
  // The card Megan got, for the tab's "what your approver sees": the approver's copy, with the decision buttons.
  const card = pending.approval?.card;
  expectValidCard(card);
  expect(cardTexts(card).join(' ')).toContain('Alex Wilber');
  expect(cardActions(card).map((x) => x.verb)).toEqual(expect.arrayContaining(['approval.approve', 'approval.reject']));

  const megan = as(h, DEMO_USERS.megan, 'fi');
  const list = await megan.get<ApprovalItemView[]>('/api/approvals');
  expect(list.status).toBe(200);
  const item = list.json.find((i) => i.requestId === pending.requestId);
  expect(item).toMatchObject({
    state: 'pending_approval',
    requester: { id: DEMO_USERS.alex, displayName: 'Alex Wilber' },
    canDecide: true,
    message: t('fi', 'tab.approval.pending_approval', { name: 'Alex Wilber' }),
  });
  expect(item?.oldPhoto).toBeUndefined(); // Alex had no photo
  expect((await sharp(Buffer.from((item?.newPhoto ?? '').split(',')[1] ?? '', 'base64')).metadata()).width).toBe(96);

  const decided = await megan.post<ApprovalItemView>(`/api/approvals/${pending.requestId}/decision`, {
    body: { decision: 'approve' },
  });
  expect(decided.status).toBe(200);
  expect(decided.json).toMatchObject({ requestId: pending.requestId, decidedByName: 'Megan Bowen', canDecide: false });
  await h.service.approvals.idle();

  const after = await as(h, DEMO_USERS.alex).get<PhotoRequestView>(`/api/me/photo-requests/${pending.requestId}`);
  expect(after.json).toMatchObject({ state: 'applied', approval: { decidedByName: 'Megan Bowen' } });
  expect((await photoInfo(DEMO_USERS.alex)).hasPhoto).toBe(true);
  const history = await megan.get<ApprovalItemView[]>('/api/approvals?scope=decided');
  expect(history.json.find((i) => i.requestId === pending.requestId)).toMatchObject({
    state: 'applied',
    canDecide: false,
    message: t('fi', 'tab.approval.applied', { name: 'Megan Bowen' }),
  });
  expect((await megan.get<ApprovalItemView[]>('/api/approvals')).json.map((i) => i.requestId)).not.toContain(
    pending.requestId,
  );

  // First decision wins: a late reject changes nothing.
  const late = await megan.post<ApprovalItemView>(`/api/approvals/${pending.requestId}/decision`, {
    body: { decision: 'reject', reason: 'too late' },
  });
  expect(late.json.state).toBe('applied');
});

test('a non-approver cannot decide (403, audited) and nothing changes', async () => {
  await requireApprovalForEveryone();
  const pending = await submitted(DEMO_USERS.alex);
  const before = await photoInfo(DEMO_USERS.alex);
  for (const [who, locale] of [
    [DEMO_USERS.adele, 'nl'],
    [DEMO_USERS.alex, 'en'],
  ] as const) {
    const res = await as(h, who, locale).post<ErrorBody>(`/api/approvals/${pending.requestId}/decision`, {
      body: { decision: 'approve' },
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toEqual({
      code: 'approval.not_approver',
      message: t(locale, 'errors.approval.not_approver'),
    });
  }
  expect((await as(h, DEMO_USERS.adele).get<ApprovalItemView[]>('/api/approvals')).json).toEqual([]);
  const still = await as(h, DEMO_USERS.alex).get<PhotoRequestView>(`/api/me/photo-requests/${pending.requestId}`);
  expect(still.json.state).toBe('pending_approval');
  expect(await photoInfo(DEMO_USERS.alex)).toEqual(before);
  const refusals = (await h.service.db.all(
    `SELECT actor_id FROM audit_log WHERE request_id = ? AND action = 'approval.approve' AND outcome = 'refused'`,
    [pending.requestId],
  )) as { actor_id: string }[];
  expect(refusals.map((r) => r.actor_id).sort()).toEqual([DEMO_USERS.alex, DEMO_USERS.adele].sort());
});

test('reject needs a reason (400, in Finnish); with one the requester sees it; over 500 characters is refused', async () => {
  await requireApprovalForEveryone();
  const pending = await submitted(DEMO_USERS.adele);
  const megan = as(h, DEMO_USERS.megan, 'fi');
  const path = `/api/approvals/${pending.requestId}/decision`;
  const bare = await megan.post<ErrorBody>(path, { body: { decision: 'reject' } });
  expect(bare.status).toBe(400);
  expect(bare.json.error).toEqual({
    code: 'approval.reason_required',
    message: t('fi', 'errors.approval.reason_required'),
  });
  const blank = await megan.post<ErrorBody>(path, { body: { decision: 'reject', reason: '   ' } });
  expect(blank.json.error.code).toBe('approval.reason_required');
  const long = await megan.post<ErrorBody>(path, { body: { decision: 'reject', reason: 'x'.repeat(501) } });
  expect([long.status, long.json.error]).toEqual([
    400,
    { code: 'input.invalid', message: t('fi', 'tab.errors.decision_invalid') },
  ]);
  const odd = await megan.post<ErrorBody>(path, { body: { decision: 'maybe' } });
  expect(odd.status).toBe(400);
  const still = await as(h, DEMO_USERS.adele).get<PhotoRequestView>(`/api/me/photo-requests/${pending.requestId}`);
  expect(still.json.state).toBe('pending_approval');

  const rejected = await megan.post<ApprovalItemView>(path, {
    body: { decision: 'reject', reason: 'Ilman aurinkolaseja, kiitos' },
  });
  expect(rejected.json).toMatchObject({ state: 'rejected', reason: 'Ilman aurinkolaseja, kiitos' });
  const seen = await as(h, DEMO_USERS.adele, 'nl').get<PhotoRequestView>(`/api/me/photo-requests/${pending.requestId}`);
  expect(seen.json).toMatchObject({
    state: 'rejected',
    approval: { reason: 'Ilman aurinkolaseja, kiitos', decidedByName: 'Megan Bowen' },
    message: t('nl', 'tab.request.rejected', { name: 'Megan Bowen' }),
  });
  expect((await photoInfo(DEMO_USERS.adele)).hasPhoto).toBe(false);
});

test("the approver sees the requester's current photo as the old one (Megan's, for Patti)", async () => {
  await requireApprovalForEveryone();
  const pending = await submitted(DEMO_USERS.megan);
  const list = await as(h, DEMO_USERS.patti).get<ApprovalItemView[]>('/api/approvals');
  const item = list.json.find((i) => i.requestId === pending.requestId);
  expect(item?.oldPhoto).toMatch(/^data:image\/jpeg;base64,/);
  expect(item?.newPhoto).not.toBe(item?.oldPhoto);
  // The requester withdraws it: a pending request's cancel is a decision like the approvers'.
  const cancelled = await as(h, DEMO_USERS.megan).post<PhotoRequestView>(
    `/api/me/photo-requests/${pending.requestId}/cancel`,
  );
  expect(cancelled.json.state).toBe('cancelled');
  const after = await as(h, DEMO_USERS.patti).get<ApprovalItemView[]>('/api/approvals?scope=decided');
  expect(after.json.find((i) => i.requestId === pending.requestId)).toMatchObject({
    state: 'cancelled',
    canDecide: false,
  });
});
