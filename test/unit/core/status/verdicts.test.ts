/** The verdicts, one known cause at a time, and properties that hold for any evidence. */
import { fc, test as fcTest } from '@fast-check/jest';
import type { DirectoryUser, MailboxKind } from '../../../../bot/src/core/directory/directory-ports';
import type { PhotoPolicy } from '../../../../bot/src/core/photo/profile-photo-ports';
import type { Observed, SharePointProfile } from '../../../../bot/src/core/status/evidence-ports';
import { hammingDistance, samePicture } from '../../../../bot/src/core/status/picture-match';
import {
  FIX_ACTIONS,
  REASON_CODES,
  STATUS_SYSTEMS,
  type StatusSystem,
  type SystemVerdict,
} from '../../../../bot/src/core/status/status-types';
import {
  judge,
  offeredFixes,
  type PhotoFacts,
  type SharePointFacts,
  type StatusInputs,
} from '../../../../bot/src/core/status/verdicts';

const NOW = new Date('2025-03-10T12:00:00Z');
const HASH_A = '0f0f0f0f0f0f0f0f';
const HASH_B = 'f0f0f0f0f0f0f0f0';
const ok = <T>(value: T): Observed<T> => ({ ok: true, value });
const failed: Observed<never> = { ok: false, error: { code: 'm365.unavailable', retryable: true } };

const member: DirectoryUser = {
  id: 'u1',
  userPrincipalName: 'ann@contoso.test',
  displayName: 'Ann',
  userType: 'Member',
  onPremisesSyncEnabled: false,
  accountEnabled: true,
};
const photo = (hash = HASH_A): PhotoFacts => ({
  width: 648,
  height: 648,
  picture: { hash, preview: new Uint8Array(1) },
});
const profile = (over: Partial<SharePointProfile> = {}): SharePointProfile => ({
  accountName: 'i:0#.f|membership|ann@contoso.test',
  pictureUrl: 'https://contoso-my.sharepoint.com/User%20Photos/Profile%20Pictures/ann_contoso_test_MThumb.jpg',
  pictureTimestamp: new Date('2025-03-10T06:00:00Z'),
  placeholder: false,
  exchangeSyncState: 1,
  ...over,
});
const sp = (p: SharePointProfile | null, hash: string | null = HASH_A): Observed<SharePointFacts> =>
  ok({ profile: p, shown: hash ? { hash, preview: new Uint8Array(1) } : null });

function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    now: NOW,
    user: ok(member),
    mailbox: ok<MailboxKind>('online'),
    photo: ok<PhotoFacts | null>(photo()),
    policy: ok<PhotoPolicy>({ source: 'cloud', allowedRoles: [] }),
    sharePoint: sp(profile()),
    settings: { sharePointPictures: 'legacy', sharePointSyncHours: 24, teamsCacheDays: 60 },
    ...over,
  };
}

const row = (i: StatusInputs, system: StatusSystem): SystemVerdict =>
  judge(i).find((r) => r.system === system) as SystemVerdict;

test('everything in place: every system in sync, nothing to fix', () => {
  const rows = judge(inputs());
  expect(rows.map((r) => [r.system, r.state])).toEqual(STATUS_SYSTEMS.map((s) => [s, 'in_sync']));
  expect(offeredFixes(rows)).toEqual([]);
});

test('perceptual hashes: a few bits apart is the same picture', () => {
  expect(hammingDistance(HASH_A, HASH_A)).toBe(0);
  expect(hammingDistance(HASH_A, HASH_B)).toBe(64);
  expect(samePicture('0f0f0f0f0f0f0f0f', '0f0f0f0f0f0f0f0e')).toBe(true);
  expect(hammingDistance('zz', HASH_A)).toBe(64);
});

describe('SharePoint (legacy: a copy made from Exchange at most once per 24 h, on profile view)', () => {
  test('a different picture within 24 h of the last copy: stale, send-now offered, view the profile after the next allowed copy', () => {
    const r = row(inputs({ sharePoint: sp(profile(), HASH_B) }), 'sharepoint');
    expect(r).toMatchObject({
      state: 'stale',
      reasons: ['sharepoint_legacy_sync'],
      fixes: ['fix_sharepoint'],
      instructions: ['view_profile_after'],
    });
    expect(r.evidence.until).toEqual(new Date('2025-03-11T06:00:00Z'));
  });

  test('more than 24 h after the last copy: viewing the profile now would copy it', () => {
    const r = row(inputs({ now: new Date('2025-03-12T00:00:00Z'), sharePoint: sp(profile(), HASH_B) }), 'sharepoint');
    expect(r.instructions).toEqual(['view_profile']);
  });

  test('the placeholder while a photo exists: placeholder', () => {
    expect(
      row(
        inputs({ sharePoint: sp(profile({ placeholder: true, pictureUrl: null, pictureTimestamp: null }), HASH_B) }),
        'sharepoint',
      ),
    ).toMatchObject({
      state: 'placeholder',
      reasons: ['sharepoint_legacy_sync_never'],
    });
  });

  test('no mailbox: SharePoint keeps its own upload; no profile view will help', () => {
    const r = row(
      inputs({
        mailbox: ok<MailboxKind>('none'),
        sharePoint: sp(profile({ exchangeSyncState: 0, placeholder: true }), HASH_B),
      }),
      'sharepoint',
    );
    expect(r).toMatchObject({
      state: 'placeholder',
      reasons: ['sharepoint_own_upload'],
      instructions: [],
      fixes: ['fix_sharepoint'],
    });
  });

  test('a guest is never synced to SharePoint', () => {
    expect(
      row(inputs({ user: ok({ ...member, userType: 'Guest' }), mailbox: ok<MailboxKind>('none') }), 'sharepoint'),
    ).toMatchObject({ state: 'not_applicable', reasons: ['guest'] });
  });

  test('SharePoint down: unknown for SharePoint only', () => {
    const rows = judge(inputs({ sharePoint: failed }));
    expect(rows.filter((r) => r.state === 'unknown').map((r) => r.system)).toEqual(['sharepoint']);
  });

  test('what SharePoint shows decides: a modern tenant showing the Graph photo over a placeholder is in sync', () => {
    expect(row(inputs({ sharePoint: sp(profile({ placeholder: true }), HASH_A) }), 'sharepoint')).toMatchObject({
      state: 'in_sync',
      reasons: ['sharepoint_modern'],
    });
  });
});

describe('Exchange and Entra ID', () => {
  test('hybrid user without an Exchange photo: missing, because of the one-time sync and the 10 KB rule; Entra ID cannot be read', () => {
    const i = inputs({ user: ok({ ...member, onPremisesSyncEnabled: true }), photo: ok(null) });
    expect(row(i, 'exchange')).toMatchObject({
      state: 'missing',
      reasons: ['hybrid_one_time_sync'],
      fixes: ['upload'],
    });
    expect(row(i, 'entra')).toMatchObject({ state: 'unknown', reasons: ['hybrid_ad_source'], fixes: ['upload'] });
  });

  test('no mailbox, guest, on-premises mailbox: not applicable, each with its reason', () => {
    expect(row(inputs({ mailbox: ok<MailboxKind>('none') }), 'exchange')).toMatchObject({
      state: 'not_applicable',
      reasons: ['no_mailbox'],
      instructions: ['ask_admin_licence'],
    });
    expect(row(inputs({ mailbox: ok<MailboxKind>('onPremises') }), 'exchange')).toMatchObject({
      state: 'not_applicable',
      reasons: ['mailbox_on_premises'],
      fixes: ['ad_photo'],
    });
    expect(
      row(inputs({ user: ok({ ...member, userType: 'Guest' }), mailbox: ok<MailboxKind>('none') }), 'exchange').reasons,
    ).toEqual(['guest']);
    expect(row(inputs({ mailbox: ok<MailboxKind>('none') }), 'entra').reasons).toEqual(['entra_without_mailbox']);
  });
});

describe('Teams and the policy', () => {
  test('changed through Headshot 3 days ago: Teams may still show the old photo for up to 60 days', () => {
    const r = row(inputs({ lastChange: new Date('2025-03-07T12:00:00Z') }), 'teams');
    expect(r).toMatchObject({
      state: 'stale',
      reasons: ['teams_cache'],
      instructions: ['sign_out_in'],
      evidence: { days: 60 },
    });
    expect(r.evidence.until).toEqual(new Date('2025-05-06T12:00:00Z'));
    expect(row(inputs({ lastChange: new Date('2024-12-01T00:00:00Z') }), 'teams').state).toBe('in_sync');
  });

  test('policy onPremises: blocked; missing photos are blocked too; no fix that writes is offered', () => {
    const i = inputs({ policy: ok<PhotoPolicy>({ source: 'onPremises', allowedRoles: [] }), photo: ok(null) });
    const rows = judge(i);
    expect(rows.find((r) => r.system === 'policy')).toMatchObject({
      state: 'blocked_by_policy',
      reasons: ['policy_on_premises'],
    });
    expect(rows.find((r) => r.system === 'exchange')).toMatchObject({
      state: 'blocked_by_policy',
      reasons: ['policy_on_premises', 'no_photo'],
    });
    expect(offeredFixes(rows)).toEqual([]);
  });
});

const observed = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Observed<T>> =>
  fc.oneof(
    arb.map((value) => ({ ok: true as const, value })),
    fc.constant(failed),
  );
const hash = fc.constantFrom(HASH_A, HASH_B);
const anyInputs: fc.Arbitrary<StatusInputs> = fc.record({
  now: fc.constant(NOW),
  user: observed(
    fc
      .record({ userType: fc.constantFrom<'Member' | 'Guest'>('Member', 'Guest'), onPremisesSyncEnabled: fc.boolean() })
      .map((u) => ({ ...member, ...u })),
  ),
  mailbox: observed(fc.constantFrom<MailboxKind>('online', 'none', 'onPremises')),
  photo: observed(
    fc.option(
      hash.map((h) => photo(h)),
      { nil: null },
    ),
  ),
  policy: observed(
    fc.constantFrom<'cloud' | 'onPremises'>('cloud', 'onPremises').map((source) => ({ source, allowedRoles: [] })),
  ),
  sharePoint: fc.oneof(
    fc.constant<'not_configured'>('not_configured'),
    observed(
      fc.record({
        profile: fc.option(
          fc
            .record({ placeholder: fc.boolean(), exchangeSyncState: fc.constantFrom<0 | 1 | null>(0, 1, null) })
            .map((p) => profile(p)),
          { nil: null },
        ),
        shown: fc.option(
          hash.map((h) => ({ hash: h, preview: new Uint8Array(1) })),
          { nil: null },
        ),
      }),
    ),
  ),
  lastChange: fc.option(fc.date({ min: new Date('2024-01-01'), max: NOW, noInvalidDate: true }), { nil: undefined }),
  settings: fc
    .constantFrom<'legacy' | 'modern'>('legacy', 'modern')
    .map((p) => ({ sharePointPictures: p, sharePointSyncHours: 24, teamsCacheDays: 60 })),
});

fcTest.prop([anyInputs])(
  'any evidence: one verdict per system, each with a known reason; fixes fit the photo and the policy',
  (i) => {
    const rows = judge(i);
    expect(rows.map((r) => r.system)).toEqual([...STATUS_SYSTEMS]);
    const hasPhoto = i.photo.ok && i.photo.value !== null;
    const blocked = i.policy.ok && i.policy.value.source === 'onPremises';
    for (const r of rows) {
      expect(r.reasons.length).toBeGreaterThan(0);
      for (const reason of r.reasons) expect(REASON_CODES).toContain(reason);
      for (const fix of r.fixes) {
        expect(FIX_ACTIONS).toContain(fix);
        if (fix === 'upload') expect(hasPhoto).toBe(false);
        else expect(hasPhoto).toBe(true);
        if (blocked) expect(['ad_photo']).toContain(fix);
      }
      if (r.state === 'unknown') expect(['service_failed', 'hybrid_ad_source']).toContain(r.reasons[0]);
    }
  },
);

describe('SharePoint sync state 0 means "no mailbox" only when the mailbox is not known to be in Exchange Online', () => {
  test('a mailbox user with a fresh profile (sync state 0, placeholder): not copied yet, view the profile', () => {
    const r = row(
      inputs({
        sharePoint: sp(
          profile({ exchangeSyncState: 0, placeholder: true, pictureUrl: null, pictureTimestamp: null }),
          HASH_B,
        ),
      }),
      'sharepoint',
    );
    expect(r).toMatchObject({
      state: 'placeholder',
      reasons: ['sharepoint_legacy_sync_never'],
      instructions: ['view_profile'],
    });
  });

  test('a mailbox user after a direct upload (sync state 0, same picture): in sync, copied from Exchange from now on', () => {
    const r = row(inputs({ sharePoint: sp(profile({ exchangeSyncState: 0 }), HASH_A) }), 'sharepoint');
    expect(r).toMatchObject({ state: 'in_sync', reasons: ['sharepoint_legacy_sync'] });
  });

  test('an on-premises mailbox keeps its own upload whatever the property says', () => {
    const r = row(
      inputs({ mailbox: ok<MailboxKind>('onPremises'), sharePoint: sp(profile({ exchangeSyncState: 1 }), HASH_B) }),
      'sharepoint',
    );
    expect(r.reasons).toEqual(['sharepoint_own_upload']);
  });

  test('mailbox unknown (Exchange did not answer): the property decides', () => {
    const r = row(
      inputs({ mailbox: failed, sharePoint: sp(profile({ exchangeSyncState: 0, placeholder: true }), HASH_B) }),
      'sharepoint',
    );
    expect(r.reasons).toEqual(['sharepoint_own_upload']);
  });
});
