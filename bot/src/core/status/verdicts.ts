/**
 * From evidence to verdicts: one pure function per system, then the tenant policy over all
 * of them. Knows the known causes (domain.md): one-time hybrid sync and the 10 KB rule,
 * SharePoint's 24-hour copy on profile view, guests, no mailbox, on-premises mailboxes,
 * the tenant policy, Teams caching.
 */
import type { DirectoryUser, MailboxKind } from '../directory/directory-ports';
import type { PhotoPolicy } from '../photo/profile-photo-ports';
import type { Observed, SharePointProfile } from './evidence-ports';
import { samePicture } from './picture-match';
import {
  FIX_ACTIONS,
  type FixAction,
  type Instruction,
  type ReasonCode,
  type ShownPicture,
  type SystemVerdict,
} from './status-types';
import { sharePointExperience, type SharePointPicturesSetting } from './sharepoint-model';

/** Settings the verdicts depend on. */
export interface VerdictSettings {
  /** How the tenant's SharePoint shows pictures: set, or `auto` to judge from what it serves (sharepoint-model.ts). */
  sharePointPictures: SharePointPicturesSetting;
  /** How long SharePoint waits between copies from Exchange (24 h). */
  sharePointSyncHours: number;
  /** How long Teams may keep showing an old photo. */
  teamsCacheDays: number;
}

/** The photo Graph holds, with its fingerprint when it could be made. */
export interface PhotoFacts {
  width: number;
  height: number;
  picture?: ShownPicture;
}

/** What SharePoint said, when it was asked. */
export interface SharePointFacts {
  profile: SharePointProfile | null;
  shown: ShownPicture | null;
}

/** Everything the verdicts look at. */
export interface StatusInputs {
  now: Date;
  user: Observed<DirectoryUser>;
  mailbox: Observed<MailboxKind>;
  photo: Observed<PhotoFacts | null>;
  policy: Observed<PhotoPolicy>;
  /** 'not_configured' when Headshot has no SharePoint address. */
  sharePoint: Observed<SharePointFacts> | 'not_configured';
  /** When the photo last changed through Headshot, if it did. */
  lastChange?: Date;
  settings: VerdictSettings;
}

type Draft = Omit<SystemVerdict, 'system'>;

const DAY_MS = 86_400_000;

function verdict(
  state: SystemVerdict['state'],
  reasons: ReasonCode[],
  extra: Partial<Omit<Draft, 'state' | 'reasons'>> = {},
): Draft {
  return {
    state,
    reasons,
    evidence: extra.evidence ?? {},
    fixes: extra.fixes ?? [],
    instructions: extra.instructions ?? [],
  };
}

const unknown = (): Draft => verdict('unknown', ['service_failed'], { instructions: ['try_later'] });

const photoEvidence = (p: PhotoFacts, lastChange?: Date): Draft['evidence'] => ({
  width: p.width,
  height: p.height,
  picture: 'same',
  ...(lastChange ? { lastChange } : {}),
});

function entraVerdict(i: StatusInputs): Draft {
  if (!i.user.ok || !i.photo.ok) return unknown();
  const hybrid = i.user.value.onPremisesSyncEnabled;
  const mailboxOnline = i.mailbox.ok && i.mailbox.value === 'online';
  // Graph reads a mailbox user's photo from Exchange; for a synced user, AD writes Entra ID's own copy, which no API reads.
  if (hybrid && (mailboxOnline || !i.mailbox.ok)) {
    return verdict('unknown', ['hybrid_ad_source'], { fixes: i.photo.value ? ['apply_again'] : ['upload'] });
  }
  const extra: ReasonCode[] = hybrid ? ['hybrid_ad_source'] : [];
  if (i.photo.value === null) return verdict('missing', ['no_photo', ...extra], { fixes: ['upload'] });
  return verdict('in_sync', [mailboxOnline ? 'entra_with_mailbox' : 'entra_without_mailbox', ...extra], {
    evidence: photoEvidence(i.photo.value, i.lastChange),
  });
}

function exchangeVerdict(i: StatusInputs): Draft {
  if (!i.mailbox.ok) return unknown();
  const guest = i.user.ok && i.user.value.userType === 'Guest';
  const photo = i.photo.ok ? i.photo.value : undefined;
  if (guest) return verdict('not_applicable', ['guest']);
  if (i.mailbox.value === 'none')
    return verdict('not_applicable', ['no_mailbox'], { instructions: ['ask_admin_licence'] });
  if (i.mailbox.value === 'onPremises') {
    return verdict('not_applicable', ['mailbox_on_premises'], {
      instructions: ['ask_admin_on_prem'],
      fixes: photo ? ['ad_photo'] : [],
    });
  }
  if (!i.photo.ok) return unknown();
  const hybrid = i.user.ok && i.user.value.onPremisesSyncEnabled;
  if (photo === null || photo === undefined)
    return verdict('missing', [hybrid ? 'hybrid_one_time_sync' : 'no_photo'], { fixes: ['upload'] });
  return verdict('in_sync', hybrid ? ['exchange_has_photo', 'hybrid_one_time_sync'] : ['exchange_has_photo'], {
    evidence: photoEvidence(photo, i.lastChange),
    fixes: hybrid ? ['apply_again', 'ad_photo'] : [],
  });
}

function sharePointVerdict(i: StatusInputs): Draft {
  if (i.user.ok && i.user.value.userType === 'Guest') return verdict('not_applicable', ['guest']);
  if (i.sharePoint === 'not_configured') return verdict('not_applicable', ['sharepoint_not_configured']);
  if (!i.sharePoint.ok) return unknown();
  const { profile, shown } = i.sharePoint.value;
  if (profile === null) return verdict('missing', ['sharepoint_no_profile']);
  const graphPicture = i.photo.ok ? (i.photo.value?.picture ?? undefined) : undefined;
  const modern = sharePointExperience(i.settings.sharePointPictures, profile, shown, graphPicture) === 'modern';
  const lastChange = profile.pictureTimestamp ?? undefined;
  const placeholder = profile.placeholder || profile.pictureUrl === null;
  // Legacy SharePoint keeps its own copy, made from Exchange, or uploaded for people without an Exchange Online
  // mailbox. SPS-PictureExchangeSyncState is 0 on every new profile and after a direct upload (Headshot's push
  // included), so for someone whose mailbox is in Exchange Online it means "not copied from Exchange yet", never
  // "no mailbox": the mailbox decides when it is known, the property only when it is not.
  const ownUpload = i.mailbox.ok ? i.mailbox.value !== 'online' : profile.exchangeSyncState === 0;
  const syncReason: ReasonCode = modern
    ? 'sharepoint_modern'
    : ownUpload
      ? 'sharepoint_own_upload'
      : lastChange
        ? 'sharepoint_legacy_sync'
        : 'sharepoint_legacy_sync_never';
  const when = lastChange ? { lastChange } : {};

  if (!i.photo.ok) {
    // Without Microsoft 365's photo there is nothing to compare with; a placeholder is a placeholder all the same.
    return placeholder && !modern
      ? verdict('placeholder', [syncReason], { evidence: { picture: 'none', ...when } })
      : unknown();
  }
  const photo = i.photo.value;
  if (photo === null) {
    if (placeholder || modern) return verdict('missing', ['no_photo'], { fixes: ['upload'] });
    return verdict('stale', [syncReason], { evidence: { picture: 'different', ...when } });
  }
  // What SharePoint shows decides, whatever its properties say (a modern tenant shows the Graph photo over a placeholder).
  if (shown && photo.picture && samePicture(shown.hash, photo.picture.hash)) {
    return verdict('in_sync', [placeholder ? 'sharepoint_modern' : syncReason], {
      evidence: { picture: 'same', ...(placeholder ? {} : when) },
    });
  }
  if (modern)
    return verdict('stale', ['sharepoint_differs_from_graph', 'sharepoint_modern'], {
      evidence: { picture: 'different' },
    });
  if (!placeholder && (shown === null || photo.picture === undefined)) return unknown();
  const nextCopy = lastChange ? new Date(lastChange.getTime() + i.settings.sharePointSyncHours * 3_600_000) : undefined;
  const later = !ownUpload && nextCopy !== undefined && nextCopy.getTime() > i.now.getTime();
  const instructions: Instruction[] = ownUpload ? [] : [later ? 'view_profile_after' : 'view_profile'];
  return verdict(placeholder ? 'placeholder' : 'stale', [syncReason], {
    evidence: { picture: placeholder ? 'none' : 'different', ...when, ...(later ? { until: nextCopy } : {}) },
    fixes: ['fix_sharepoint'],
    instructions,
  });
}

function teamsVerdict(i: StatusInputs): Draft {
  if (!i.photo.ok) return unknown();
  if (i.photo.value === null) return verdict('missing', ['no_photo'], { fixes: ['upload'] });
  const until = i.lastChange ? new Date(i.lastChange.getTime() + i.settings.teamsCacheDays * DAY_MS) : undefined;
  if (i.lastChange && until && until.getTime() > i.now.getTime()) {
    return verdict('stale', ['teams_cache'], {
      evidence: { lastChange: i.lastChange, until, days: i.settings.teamsCacheDays },
      instructions: ['sign_out_in'],
    });
  }
  return verdict('in_sync', ['teams_reads_photo'], { evidence: i.lastChange ? { lastChange: i.lastChange } : {} });
}

function policyVerdict(i: StatusInputs): Draft {
  if (!i.policy.ok) return unknown();
  if (i.policy.value.source === 'onPremises') {
    return verdict('blocked_by_policy', ['policy_on_premises'], {
      instructions: ['ask_admin_policy'],
      fixes: i.photo.ok && i.photo.value ? ['ad_photo'] : [],
    });
  }
  return verdict('in_sync', ['policy_cloud']);
}

/** Fixes that write to Microsoft 365; a policy that keeps photos on-premises rules them out. */
const WRITING_FIXES: readonly FixAction[] = ['fix_sharepoint', 'apply_again', 'upload'];

/** The verdict on every system, in report order, with the tenant policy applied. */
export function judge(i: StatusInputs): SystemVerdict[] {
  const rows: SystemVerdict[] = [
    { system: 'entra', ...entraVerdict(i) },
    { system: 'exchange', ...exchangeVerdict(i) },
    { system: 'sharepoint', ...sharePointVerdict(i) },
    { system: 'teams', ...teamsVerdict(i) },
    { system: 'policy', ...policyVerdict(i) },
  ];
  const blocked = i.policy.ok && i.policy.value.source === 'onPremises';
  const hasPhoto = i.photo.ok && i.photo.value !== null;
  for (const row of rows) {
    if (blocked) {
      row.fixes = row.fixes.filter((f) => !WRITING_FIXES.includes(f));
      if ((row.system === 'entra' || row.system === 'exchange') && (row.state === 'missing' || row.state === 'stale')) {
        row.state = 'blocked_by_policy';
        row.reasons = ['policy_on_premises', ...row.reasons];
        row.instructions = [...row.instructions, 'ask_admin_policy'];
      }
    }
    // A fix that sends the current photo needs one; "upload" only makes sense without one.
    row.fixes = row.fixes.filter((f) => (f === 'upload' ? !hasPhoto && i.photo.ok : hasPhoto));
  }
  return rows;
}

/** Every fix offered in any row, once, in FIX_ACTIONS order. */
export function offeredFixes(rows: readonly SystemVerdict[]): FixAction[] {
  const all = new Set(rows.flatMap((r) => r.fixes));
  return FIX_ACTIONS.filter((f) => all.has(f));
}
