/**
 * Manager approvals end to end: the real /api/messages endpoint (messages, Action.Submit,
 * `adaptiveCard/action` invokes and card refreshes) against the real local tenant over HTTP
 * (Graph: manager, memberOf, groups, installedApps, photos; the Bot Connector), real SQLite,
 * real sharp. Requesters and approvers speak different languages (en, fi, nl, pl).
 */
import sharp from 'sharp';
import { DEMO_GROUPS, DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { useHarness } from '../../support/headshot';
import { cardTexts, type AdaptiveCardJson, type TeamsChat } from '../../support/teams-chat';
import {
  approvalCopies,
  approvalsCli,
  approverChat,
  auditJson,
  cardOf,
  installedChat,
  photoInfo,
  photoWrites,
  preview,
  setPolicy,
} from '../../support/approvals';

const h = useHarness({}, {}, async (h) => {
  await setPolicy(h, '--required-for', 'everyone', '--approvers-group', DEMO_GROUPS.approvers);
});

/** Every verb a card can send (Action.Submit data.verb, Action.Execute verb, refresh included). */
const verbsOf = (card: unknown): string[] =>
  [...JSON.stringify(card).matchAll(/"verb":"([a-z._]+)"/g)].map((m) => m[1]);
const texts = (card: unknown) => cardTexts(card).join('\n');
/** A message with its {{at}} part cut off, to match cards whose instants the host formats. */
const upTo = (message: string, marker = '{{') => message.split(marker)[0].trim();

async function confirmForApproval(chat: TeamsChat, photo?: string) {
  const p = await preview(chat, photo);
  expect(await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  return p;
}

describe('approve: Megan (fi) asks, her manager Patti (en) approves', () => {
  test('cards, refreshed views, one write, every copy updated, the audit log', async () => {
    const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
    const before = await photoInfo(h, DEMO_USERS.megan);
    expect(before.hasPhoto).toBe(true);

    // Before the upload, the bot says the photo will need approval, and by whom.
    expect(await megan.say('päivitä kuvani')).toBe(200);
    const [howTo] = await megan.newCards();
    expectValidCard(howTo.card);
    expect(texts(howTo.card)).toContain(t('fi', 'cards.how_to.approval', { approver: 'Patti Fernandez' }));

    const p = await confirmForApproval(megan);
    // The preview card became the approval card, in place (the click's answer); nothing is written yet.
    const [mine] = await approvalCopies(megan, p.requestId);
    expect(mine.id).toBe(p.activity.id);
    const base = cardOf(mine);
    expectValidCard(base);
    expect(JSON.stringify(base).length).toBeLessThan(28 * 1024);
    expect(base.refresh).toMatchObject({
      action: { type: 'Action.Execute', verb: 'approval.refresh', data: { requestId: p.requestId } },
    });
    expect((base.refresh as { userIds: string[] }).userIds).toContain(`29:${DEMO_USERS.megan}`);
    expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([]);
    expect(await photoInfo(h, DEMO_USERS.megan)).toEqual(before);

    // Patti never talked to Headshot (this is the file's first test): it installed itself for her through Graph
    // and wrote in that chat.
    const installs = await h.control<{ value: { status: number }[] }>(
      'GET',
      `/_control/requests?method=POST&path=${encodeURIComponent(`/users/${DEMO_USERS.patti}/teamwork/installedApps`)}`,
    );
    expect(installs.value.map((r) => r.status)).toEqual([201]);
    const patti = await installedChat(h, DEMO_USERS.patti, 'en-US');
    const [theirs] = await approvalCopies(patti, p.requestId);
    const pattiBase = cardOf(theirs);
    expectValidCard(pattiBase);
    expect(texts(pattiBase)).toContain(t('en', 'cards.approval.title', { name: 'Megan Bowen' }));
    expect((pattiBase.refresh as { userIds: string[] }).userIds).toEqual(
      expect.arrayContaining([`29:${DEMO_USERS.patti}`]),
    );

    // Old and new photo side by side, each a small JPEG preview.
    const images = [...JSON.stringify(pattiBase).matchAll(/data:image\/jpeg;base64,([A-Za-z0-9+/=]+)/g)].map((m) =>
      Buffer.from(m[1], 'base64'),
    );
    expect(images).toHaveLength(2);
    for (const img of images) {
      const meta = await sharp(img).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(96);
    }

    // Same card, own views: the approver gets the buttons, the requester the status.
    const asApprover = await patti.invoke(theirs, 'approval.refresh', { requestId: p.requestId }, 'automatic');
    expect([asApprover.status, asApprover.body.statusCode, asApprover.body.type]).toEqual([
      200,
      200,
      'application/vnd.microsoft.card.adaptive',
    ]);
    const approverCard = asApprover.body.value as AdaptiveCardJson;
    expectValidCard(approverCard);
    expect(verbsOf(approverCard)).toEqual(expect.arrayContaining(['approval.approve', 'approval.reject']));
    expect(texts(approverCard)).toContain(t('en', 'cards.approval.title_approver', { name: 'Megan Bowen' }));
    const reason = JSON.stringify(approverCard).match(/\{"type":"Input.Text"[^}]*\}/)?.[0];
    expect(JSON.parse(reason ?? '{}')).toMatchObject({
      id: 'reason',
      isRequired: true,
      errorMessage: t('en', 'cards.approval.reason_error', { name: 'Megan Bowen' }),
    });

    const asRequester = await megan.invoke(mine, 'approval.refresh', { requestId: p.requestId }, 'automatic');
    const requesterCard = asRequester.body.value as AdaptiveCardJson;
    expectValidCard(requesterCard);
    expect(verbsOf(requesterCard)).not.toContain('approval.approve');
    expect(verbsOf(requesterCard)).toContain('approval.cancel');
    expect(texts(requesterCard)).toContain(t('fi', 'cards.approval.pending', { approvers: 'Patti Fernandez' }));

    // Approve: the answer shows the decision; the write happens in the background, once.
    const approved = await patti.invoke(theirs, 'approval.approve', { requestId: p.requestId });
    expectValidCard(approved.body.value);
    expect(verbsOf(approved.body.value)).not.toContain('approval.approve');
    expect(texts(approved.body.value)).toContain(
      upTo(t('en', 'cards.approval.approved', { name: 'Patti Fernandez', at: '{{' })),
    );
    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([200]);
    const after = await photoInfo(h, DEMO_USERS.megan);
    expect(after).toMatchObject({ hasPhoto: true, width: 648 });
    expect(after.etag).not.toBe(before.etag);

    // Every copy was updated in place, each in its reader's language.
    const [mineNow] = await approvalCopies(megan, p.requestId);
    const [theirsNow] = await approvalCopies(patti, p.requestId);
    expect(texts(cardOf(mineNow))).toContain(
      upTo(t('fi', 'cards.approval.applied', { name: 'Patti Fernandez', at: '{{' })),
    );
    expect(texts(cardOf(theirsNow))).toContain(
      upTo(t('en', 'cards.approval.applied', { name: 'Patti Fernandez', at: '{{' })),
    );
    expect(theirsNow.updates).toBeGreaterThanOrEqual(1);
    expectValidCard(cardOf(mineNow));
    expectValidCard(cardOf(theirsNow));
    // The requester is told, in Finnish, with a way to undo.
    const told = (await megan.newCards()).filter((c) => texts(c.card).includes(t('fi', 'cards.applied.title')));
    expect(told).toHaveLength(1);
    expectValidCard(told[0].card);
    expect(texts(told[0].card)).toContain(t('fi', 'cards.applied.approved_by', { name: 'Patti Fernandez' }));
    expect(verbsOf(told[0].card)).toContain('photo.undo');

    // Teams sends the same invoke again: the current card, no second write.
    const again = await patti.invoke(theirs, 'approval.approve', { requestId: p.requestId });
    expect(texts(again.body.value)).toContain(
      upTo(t('en', 'cards.approval.applied', { name: 'Patti Fernandez', at: '{{' })),
    );
    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([200]);

    // The audit log: who asked, who decided, when, both photos' hashes, the outcome.
    const audit = await auditJson(h, '--request', p.requestId);
    const asked = audit.find((e) => e.action === 'approval.request');
    const decided = audit.filter((e) => e.action === 'approval.approve');
    expect(asked).toMatchObject({ actorId: DEMO_USERS.megan, outcome: 'ok', detail: { approvers: DEMO_USERS.patti } });
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ actorId: DEMO_USERS.patti, outcome: 'ok' });
    const hashes = decided[0].detail as { oldPhotoHash: string; newPhotoHash: string };
    expect(hashes.oldPhotoHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.newPhotoHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.oldPhotoHash).not.toBe(hashes.newPhotoHash);
    expect(audit.filter((e) => e.action === 'photo.apply' && e.outcome === 'ok')).toHaveLength(1);

    const listed = await approvalsCli(h, 'list', '--json');
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({
        requestId: p.requestId,
        state: 'applied',
        requesterId: DEMO_USERS.megan,
        decidedBy: DEMO_USERS.patti,
        decision: 'approved',
        oldPhotoHash: hashes.oldPhotoHash,
        newPhotoHash: hashes.newPhotoHash,
      }),
    ]);
  });
});

describe('reject: Adele (nl) asks, Megan (fi) rejects with a reason', () => {
  test('no reason is refused on the card; the reason reaches the requester in her language; she starts again', async () => {
    const adele = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
    const p = await confirmForApproval(adele);
    const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId);
    const [card] = await approvalCopies(megan, p.requestId);

    const empty = await megan.invoke(card, 'approval.reject', { requestId: p.requestId, reason: '   ' });
    expectValidCard(empty.body.value);
    expect(texts(empty.body.value)).toContain(t('fi', 'errors.approval.reason_required'));
    expect(verbsOf(empty.body.value)).toContain('approval.approve'); // still undecided

    const reason = 'Graag een foto zonder zonnebril';
    const rejected = await megan.invoke(card, 'approval.reject', { requestId: p.requestId, reason });
    expectValidCard(rejected.body.value);
    expect(texts(rejected.body.value)).toContain(t('fi', 'cards.approval.reason', { reason }));
    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.adele)).toEqual([]);

    const told = (await adele.newCards()).find((c) =>
      texts(c.card).includes(t('nl', 'approval.rejected', { name: 'Megan Bowen', reason })),
    );
    expect(told).toBeDefined();
    expectValidCard(told?.card);
    const [mine] = await approvalCopies(adele, p.requestId);
    expect(texts(cardOf(mine))).toContain(t('nl', 'cards.approval.reason', { reason }));

    // Starting again from her card: the how-to card arrives, in Dutch.
    const own = await adele.invoke(mine, 'approval.refresh', { requestId: p.requestId }, 'automatic');
    expect(verbsOf(own.body.value)).toContain('photo.start');
    expect((await adele.invoke(mine, 'photo.start', { requestId: p.requestId })).status).toBe(200);
    const [howTo] = await adele.newCards();
    expect(texts(howTo.card)).toContain(t('nl', 'cards.how_to.title'));
    expect(texts(howTo.card)).toContain(t('nl', 'cards.how_to.approval', { approver: 'Megan Bowen' }));

    expect(
      (await auditJson(h, '--request', p.requestId, '--action', 'approval.reject')).map((e) => [
        e.outcome,
        (e.detail as { reason?: string }).reason,
      ]),
    ).toEqual([['ok', reason]]);
  });
});

describe('cancel: Isaiah (pl) withdraws while pending', () => {
  test('the approver sees who cancelled and can no longer decide', async () => {
    const isaiah = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
    const p = await confirmForApproval(isaiah);
    const [mine] = await approvalCopies(isaiah, p.requestId);
    const cancelled = await isaiah.invoke(mine, 'approval.cancel', { requestId: p.requestId });
    expectValidCard(cancelled.body.value);
    expect(texts(cancelled.body.value)).toContain(
      upTo(t('pl', 'cards.approval.cancelled', { name: 'Isaiah Langer', at: '{{' })),
    );
    await h.service.tick();

    const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId);
    const [theirs] = await approvalCopies(megan, p.requestId);
    expect(texts(cardOf(theirs))).toContain(
      t('fi', 'cards.approval.cancelled', { name: 'Isaiah Langer', at: '{{' }).split('{{')[0].trim(),
    );
    const late = await megan.invoke(theirs, 'approval.approve', { requestId: p.requestId });
    expect(texts(late.body.value)).toContain(
      upTo(t('fi', 'cards.approval.already_decided', { name: 'Isaiah Langer', at: '{{' })),
    );
    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.isaiah)).toEqual([]);
  });
});

describe('undo', () => {
  test('the requester restores the photo Headshot kept, once', async () => {
    const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
    const original = await photoInfo(h, DEMO_USERS.megan);
    const p = await confirmForApproval(megan);
    const patti = await approverChat(h, DEMO_USERS.patti, 'en-US', p.requestId);
    await patti.invoke((await approvalCopies(patti, p.requestId))[0], 'approval.approve', { requestId: p.requestId });
    await h.service.tick();
    expect((await photoInfo(h, DEMO_USERS.megan)).etag).not.toBe(original.etag);

    const [mine] = await approvalCopies(megan, p.requestId);
    const own = await megan.invoke(mine, 'approval.refresh', { requestId: p.requestId }, 'automatic');
    expect(verbsOf(own.body.value)).toContain('photo.undo');
    const undone = await megan.invoke(mine, 'photo.undo', { requestId: p.requestId });
    expectValidCard(undone.body.value);
    expect(texts(undone.body.value)).toContain(t('fi', 'undo.restored'));
    expect(verbsOf(undone.body.value)).not.toContain('photo.undo');
    expect((await photoInfo(h, DEMO_USERS.megan)).bytes).toBe(original.bytes);
    expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([200, 200]);

    const twice = await megan.invoke(mine, 'photo.undo', { requestId: p.requestId });
    expect(texts(twice.body.value)).toContain(t('fi', 'errors.undo.nothing_to_undo'));
    expect(await photoWrites(h, DEMO_USERS.megan)).toEqual([200, 200]);
    const undos = await auditJson(h, '--user', DEMO_USERS.megan, '--action', 'photo.undo');
    expect(undos.map((e) => e.outcome).sort()).toEqual(['ok', 'refused']);
  });

  test('without approvals, the applied card offers undo too', async () => {
    await setPolicy(h, '--required-for', 'nobody');
    const adele = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
    const p = await preview(adele);
    await adele.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
    const applied = (await adele.newCards()).find((c) => texts(c.card).includes(t('nl', 'cards.applied.title')));
    expect(verbsOf(applied?.card)).toEqual(['photo.undo']);
    const undone = await adele.invoke(applied?.activity, 'photo.undo', { requestId: p.requestId });
    expectValidCard(undone.body.value);
    expect(texts(undone.body.value)).toContain(t('nl', 'undo.removed')); // Adele had no photo before
    expect((await photoInfo(h, DEMO_USERS.adele)).hasPhoto).toBe(false);
    expect((await auditJson(h, '--user', DEMO_USERS.adele)).filter((e) => e.outcome === 'refused')).toEqual([]);
  });

  test("an admin restores a user's previous state from the command line (here: no photo)", async () => {
    await setPolicy(h, '--required-for', 'nobody');
    const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    const p = await preview(alex);
    await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
    expect((await photoInfo(h, DEMO_USERS.alex)).hasPhoto).toBe(true);

    const res = await approvalsCli(h, 'undo', 'alexw@example.com', '--actor', 'patti', '--json');
    expect([res.code, res.err]).toEqual([0, '']);
    expect(JSON.parse(res.out)).toMatchObject({
      userId: DEMO_USERS.alex,
      undoes: p.requestId,
      restored: 'no_photo',
      state: 'applied',
    });
    expect((await photoInfo(h, DEMO_USERS.alex)).hasPhoto).toBe(false);
    const [entry] = await auditJson(h, '--user', DEMO_USERS.alex, '--action', 'photo.undo');
    expect(entry).toMatchObject({ actorId: 'admin:patti', outcome: 'ok' });
    // Undoing again undoes the undo: the photo of the change comes back.
    const redo = await approvalsCli(h, 'undo', 'alexw@example.com', '--json');
    expect(JSON.parse(redo.out)).toMatchObject({ restored: 'photo' });
    expect((await photoInfo(h, DEMO_USERS.alex)).hasPhoto).toBe(true);
    expect(await photoWrites(h, DEMO_USERS.alex, 'DELETE')).toEqual([204]);
  });
});

describe('who may decide', () => {
  test('a tampered payload or someone else is refused, audited, and changes nothing', async () => {
    const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    const lynne = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: 'fi-FI' });
    const a = await confirmForApproval(alex); // approver: Megan
    const l = await confirmForApproval(lynne); // approver: Patti
    const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', a.requestId);
    const [meganCard] = await approvalCopies(megan, a.requestId);

    // Megan's own card, its payload edited to point at Lynne's request (Patti decides that one).
    const tampered = await megan.invoke(meganCard, 'approval.approve', { requestId: l.requestId });
    expect(tampered.status).toBe(200);
    expectValidCard(tampered.body.value);
    expect(texts(tampered.body.value)).toContain(t('fi', 'errors.approval.not_approver'));
    // Adele is nobody's approver here; nor may she look at the card.
    const adele = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
    expect(texts((await adele.invoke(undefined, 'approval.approve', { requestId: a.requestId })).body.value)).toContain(
      t('nl', 'errors.approval.not_approver'),
    );
    expect(
      texts((await adele.invoke(undefined, 'approval.refresh', { requestId: a.requestId }, 'automatic')).body.value),
    ).toContain(t('nl', 'errors.approval.not_approver'));
    // The requester cannot approve their own photo, nor can the approver cancel it for them.
    expect(texts((await alex.invoke(undefined, 'approval.approve', { requestId: a.requestId })).body.value)).toContain(
      t('en', 'errors.approval.not_approver'),
    );
    expect(texts((await megan.invoke(meganCard, 'approval.cancel', { requestId: a.requestId })).body.value)).toContain(
      t('fi', 'errors.request.not_yours'),
    );
    // Garbage is refused without touching anything.
    expect(texts((await megan.invoke(meganCard, 'approval.approve', { requestId: '../../etc' })).body.value)).toContain(
      t('fi', 'errors.input.invalid'),
    );
    expect(
      texts((await megan.invoke(meganCard, 'approval.delete_everything', { requestId: a.requestId })).body.value),
    ).toContain(t('fi', 'errors.input.invalid'));

    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.alex)).toEqual([]);
    expect(await photoWrites(h, DEMO_USERS.lynne)).toEqual([]);
    const refused = (await auditJson(h, '--action', 'approval')).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => [e.actorId, e.action, e.requestId, (e.detail as { reason?: string }).reason])).toEqual(
      expect.arrayContaining([
        [DEMO_USERS.megan, 'approval.approve', l.requestId, 'not_approver'],
        [DEMO_USERS.adele, 'approval.approve', a.requestId, 'not_approver'],
        [DEMO_USERS.adele, 'approval.view', a.requestId, 'not_participant'],
        [DEMO_USERS.alex, 'approval.approve', a.requestId, 'not_approver'],
        [DEMO_USERS.megan, 'approval.cancel', a.requestId, 'not_approver'],
      ]),
    );
    // Both requests are still waiting for their real approvers.
    expect(JSON.parse((await approvalsCli(h, 'list', '--state', 'pending_approval', '--json')).out)).toHaveLength(2);
  });
});

describe('people without a manager, and policies by group', () => {
  test('Patti has no manager: the approvers group decides', async () => {
    const patti = h.chat({ aadObjectId: DEMO_USERS.patti, locale: 'en-US' });
    await patti.say('update my photo');
    const [howTo] = await patti.newCards();
    expect(texts(howTo.card)).toContain(t('en', 'cards.how_to.approval', { approver: 'Photo approvers' }));
    const p = await confirmForApproval(patti);
    const megan = await approverChat(h, DEMO_USERS.megan, 'fi-FI', p.requestId); // the group minus Patti herself
    const [card] = await approvalCopies(megan, p.requestId);
    await megan.invoke(card, 'approval.approve', { requestId: p.requestId });
    await h.service.tick();
    expect(await photoWrites(h, DEMO_USERS.patti)).toEqual([200]);
  });

  test('no manager and no approvers group: the requester is told, nothing changes', async () => {
    await setPolicy(h, '--approvers-group', 'none');
    const patti = h.chat({ aadObjectId: DEMO_USERS.patti, locale: 'en-US' });
    const p = await preview(patti);
    await patti.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
    const cards = [...(await patti.newCards()), ...patti.newAnswers()];
    expect(cards.map((c) => texts(c.card)).join('\n')).toContain(t('en', 'errors.approval.no_approver'));
    cards.forEach((c) => expectValidCard(c.card));
    expect(await photoWrites(h, DEMO_USERS.patti)).toEqual([]);
  });

  test('required for the Sales group only: Alex (Marketing) writes at once, Isaiah (Sales) waits', async () => {
    await setPolicy(h, '--required-for', 'groups', '--groups', DEMO_GROUPS.sales);
    const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    await alex.say('update my photo');
    expect(texts((await alex.newCards())[0].card)).not.toContain(
      upTo(t('en', 'cards.how_to.approval', { approver: '{{' })),
    );
    const a = await preview(alex);
    await alex.execute(a.activity, 'photo.confirm', { requestId: a.requestId });
    expect(await photoWrites(h, DEMO_USERS.alex)).toEqual([200]);

    const isaiah = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
    const i = await confirmForApproval(isaiah);
    expect(await photoWrites(h, DEMO_USERS.isaiah)).toEqual([]);
    expect(await approvalCopies(isaiah, i.requestId)).toHaveLength(1);
  });
});
