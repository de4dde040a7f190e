/**
 * The photo status use cases: one person's report (gathered with a small, fixed number of
 * requests), and the fixes Headshot can make: send the photo to SharePoint now, apply it
 * again, and make an AD-ready 96x96 photo. No SDK here: everything goes through ports.
 */
import { AppError, toAppError } from '../errors';
import type { AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { Directory, DirectoryUser } from '../directory/directory-ports';
import type { PhotoPolicy, PhotoPolicySource, ProfilePhotos } from '../photo/profile-photo-ports';
import type {
  GraphPhoto,
  Observed,
  PhotoEvidenceReader,
  PictureTools,
  SharePointProfiles,
  SharePointThumbnails,
} from './evidence-ports';
import type { ShownPicture, StatusReport } from './status-types';
import {
  judge,
  offeredFixes,
  type PhotoFacts,
  type SharePointFacts,
  type StatusInputs,
  type VerdictSettings,
} from './verdicts';

/** Settings of the status use cases. */
interface StatusSettings extends VerdictSettings {
  /** Sides of SharePoint's S, M and L thumbnails. */
  thumbnailSides: readonly [number, number, number];
  /** Exchange takes an AD photo only up to this size (10 KB). */
  adPhotoMaxBytes: number;
}

/** What the status service needs from the world. */
export interface StatusServiceDeps {
  evidence: PhotoEvidenceReader;
  policy: PhotoPolicySource;
  /** Absent when Headshot has no SharePoint address. */
  sharePoint?: SharePointProfiles;
  photos: ProfilePhotos;
  directory: Directory;
  tools: PictureTools;
  audit: AuditLog;
  clock: Clock;
  settings: StatusSettings;
  /** The tenant's setting: every apply also writes SharePoint's legacy thumbnails; absent means never. */
  legacyPush?: () => Promise<boolean>;
  /** Called after "apply again" wrote `photo` (follow-through starts watching it); never fails the fix. */
  applied?: (userId: string, photo: Uint8Array, at: Date) => Promise<void>;
}

/** Audit actions that change the photo Microsoft 365 holds (they start Teams' caching delay). */
const PHOTO_CHANGES = new Set(['photo.apply', 'photo.undo', 'status.apply_again']);

/** Runs a read and keeps its failure as evidence instead of throwing. */
async function observe<T>(read: () => Promise<T>): Promise<Observed<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    const e = toAppError(err);
    return { ok: false, error: { code: e.code, retryable: e.retryable, retryAfterSeconds: e.retryAfterSeconds } };
  }
}

/** Builds photo status reports and applies their fixes. */
export class StatusService {
  constructor(private readonly deps: StatusServiceDeps) {}

  /**
   * One person's report. Costs one Graph `$batch` (user, photo, 48 px photo, mailbox), one
   * policy read and, for members, two SharePoint reads. Throws m365.user_not_found for an
   * unknown user; any other failure becomes an `unknown` verdict for what it kept hidden.
   */
  async report(idOrUpn: string): Promise<StatusReport> {
    const { evidence, policy, clock, settings } = this.deps;
    const [graph, policyRead] = await Promise.all([
      evidence.read(idOrUpn),
      observe<PhotoPolicy>(async () => await policy.get()),
    ]);
    if (graph.user.ok && graph.user.value === null)
      throw new AppError('m365.user_not_found', `no user ${idOrUpn}`, { status: 404 });
    const user = graph.user as Observed<DirectoryUser>;
    const [photo, sharePoint] = await Promise.all([this.photoFacts(graph.photo), this.sharePointFacts(user)]);
    const userId = user.ok ? user.value.id : idOrUpn;
    const lastChange = await this.lastChange(userId);
    const inputs: StatusInputs = {
      now: clock.now(),
      user,
      mailbox: graph.mailbox,
      photo,
      policy: policyRead,
      sharePoint,
      lastChange: lastChange,
      settings,
    };
    const systems = judge(inputs);
    return {
      userId,
      upn: user.ok ? user.value.userPrincipalName : undefined,
      displayName: user.ok ? user.value.displayName : undefined,
      mailbox: graph.mailbox.ok ? graph.mailbox.value : undefined,
      checkedAt: inputs.now,
      photo: photo.ok
        ? photo.value && { width: photo.value.width, height: photo.value.height, picture: photo.value.picture }
        : undefined,
      sharePointPicture: sharePoint !== 'not_configured' && sharePoint.ok ? sharePoint.value.shown : undefined,
      systems,
      fixes: offeredFixes(systems),
    };
  }

  /** Whether the tenant policy keeps people from changing their photo in Microsoft 365 (false when it cannot be read: Graph refuses the write itself then). */
  async selfServiceBlocked(): Promise<boolean> {
    const read = await observe(async () => await this.deps.policy.get());
    return read.ok && read.value.source === 'onPremises';
  }

  /**
   * "Send my photo to SharePoint now": writes S/M/L thumbnails of the current photo to the
   * profile pictures library and sets PictureURL, SPS-PicturePlaceholderState=0 and SPS-PictureTimestamp.
   */
  async fixSharePoint(actorId: string, userId: string): Promise<void> {
    const { sharePoint, clock } = this.deps;
    await this.refuseWhenBlocked(actorId, userId, 'status.fix_sharepoint');
    if (!sharePoint) throw new AppError('internal', 'SharePoint is not configured');
    const { upn, thumbnails } = await this.sharePointThumbnails(userId);
    await this.audited(actorId, userId, 'status.fix_sharepoint', () =>
      sharePoint.setPicture(upn, thumbnails, clock.now()),
    );
  }

  /** Whether Headshot can write to SharePoint at all (a My Site Host is configured). */
  get sharePointAvailable(): boolean {
    return this.deps.sharePoint !== undefined;
  }

  /**
   * Called after every successful apply. With the tenant's legacy push on, the same SharePoint write as
   * fixSharePoint. Never throws: the photo in Microsoft 365 stands; a failure is audited
   * (`sharepoint.legacy_push`, failed) and the status report shows SharePoint's state as usual.
   */
  async afterApply(actorId: string, userId: string, requestId?: string): Promise<void> {
    const { sharePoint, audit, clock } = this.deps;
    if (!(await this.deps.legacyPush?.())) return;
    const entry = { actorId, action: 'sharepoint.legacy_push', subjectId: userId, requestId };
    try {
      if (!sharePoint) throw new AppError('internal', 'SharePoint is not configured');
      const { upn, thumbnails } = await this.sharePointThumbnails(userId);
      await sharePoint.setPicture(upn, thumbnails, clock.now());
      await audit.append({ ...entry, at: clock.now(), outcome: 'ok' });
    } catch (err) {
      const e = toAppError(err);
      await audit.append({
        ...entry,
        at: clock.now(),
        outcome: 'failed',
        detail: { code: e.code, retryable: e.retryable },
      });
    }
  }

  /** "Apply again": writes the photo Microsoft 365 holds once more (Exchange and Entra ID get it again). */
  async applyAgain(actorId: string, userId: string): Promise<void> {
    await this.refuseWhenBlocked(actorId, userId, 'status.apply_again');
    const bytes = await this.currentPhoto(userId);
    await this.audited(actorId, userId, 'status.apply_again', () => this.deps.photos.put(userId, bytes));
    await this.afterApply(actorId, userId);
    await this.deps.applied?.(userId, bytes, this.deps.clock.now()).catch(() => undefined);
  }

  /** A 96x96 JPEG of the current photo, at most adPhotoMaxBytes, for on-premises AD's thumbnailPhoto. */
  async adReadyPhoto(actorId: string, userId: string): Promise<Uint8Array> {
    const bytes = await this.currentPhoto(userId);
    return this.audited(actorId, userId, 'status.ad_photo', () =>
      this.deps.tools.adThumbnail(bytes, this.deps.settings.adPhotoMaxBytes),
    );
  }

  private async photoFacts(photo: Observed<GraphPhoto | null>): Promise<Observed<PhotoFacts | null>> {
    if (!photo.ok || photo.value === null) return photo as Observed<null>;
    const { width, height, small } = photo.value;
    return { ok: true, value: { width, height, picture: small ? await this.picture(small) : undefined } };
  }

  private async sharePointFacts(user: Observed<DirectoryUser>): Promise<Observed<SharePointFacts> | 'not_configured'> {
    const sp = this.deps.sharePoint;
    if (!sp) return 'not_configured';
    if (!user.ok) return user;
    // Guests' photos never reach SharePoint: nothing to ask.
    if (user.value.userType === 'Guest') return { ok: true, value: { profile: null, shown: null } };
    const upn = user.value.userPrincipalName;
    return observe(async () => {
      const [profile, shownBytes] = await Promise.all([sp.getProfile(upn), sp.getShownPicture(upn)]);
      return { profile, shown: profile ? ((await this.picture(shownBytes)) ?? null) : null };
    });
  }

  /** The fingerprint of a picture, or undefined when it cannot be read (it then counts as not comparable). */
  private async picture(bytes: Uint8Array): Promise<ShownPicture | undefined> {
    try {
      const f = await this.deps.tools.fingerprint(bytes);
      return { hash: f.hash, preview: f.preview };
    } catch {
      return undefined;
    }
  }

  private async lastChange(userId: string): Promise<Date | undefined> {
    return (await this.deps.audit.list({ subjectId: userId, limit: 50 })).find(
      (e) => e.outcome === 'ok' && PHOTO_CHANGES.has(e.action),
    )?.at;
  }

  /** The S/M/L thumbnails of the user's current photo, and whose profile they go to. */
  private async sharePointThumbnails(userId: string): Promise<{ upn: string; thumbnails: SharePointThumbnails }> {
    const [user, bytes] = await Promise.all([this.userOf(userId), this.currentPhoto(userId)]);
    const [small, medium, large] = await this.deps.tools.squares(bytes, this.deps.settings.thumbnailSides);
    return {
      upn: user.userPrincipalName,
      thumbnails: { small: small as Uint8Array, medium: medium as Uint8Array, large: large as Uint8Array },
    };
  }

  private async userOf(userId: string): Promise<DirectoryUser> {
    const user = await this.deps.directory.getUser(userId);
    if (!user) throw new AppError('m365.user_not_found', `no user ${userId}`, { status: 404 });
    return user;
  }

  private async currentPhoto(userId: string): Promise<Uint8Array> {
    const bytes = await this.deps.photos.get(userId);
    if (!bytes) throw new AppError('m365.no_photo', `${userId} has no photo`, { status: 409 });
    return bytes;
  }

  private async refuseWhenBlocked(actorId: string, userId: string, action: string): Promise<void> {
    if (!(await this.selfServiceBlocked())) return;
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actorId,
      action,
      subjectId: userId,
      outcome: 'refused',
      detail: { reason: 'policy_on_premises' },
    });
    throw new AppError('m365.blocked_by_policy', 'photo policy source is onPremises', { status: 403 });
  }

  private async audited<T>(actorId: string, userId: string, action: string, run: () => Promise<T>): Promise<T> {
    const { audit, clock } = this.deps;
    try {
      const result = await run();
      await audit.append({ at: clock.now(), actorId, action, subjectId: userId, outcome: 'ok' });
      return result;
    } catch (err) {
      const e = toAppError(err);
      await audit.append({
        at: clock.now(),
        actorId,
        action,
        subjectId: userId,
        outcome: 'failed',
        detail: { code: e.code },
      });
      throw e;
    }
  }
}
