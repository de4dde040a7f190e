import { ActivityLog } from '../connector/activity-log';
import { TeamsConnectorRateLimiter } from '../connector/rate-limit';
import { FileStore } from '../files/file-store';
import { generatedPortrait } from '../images/generated-portrait';
import { padJpeg } from '../images/jpeg-padding';
import { AppCertificates } from '../identity/app-certificates';
import type { TokenSigner } from '../identity/token-signer';
import { DEMO_APP_SEED } from '../seed/demo-seed';
import type { OrgSeed } from '../seed/org-seed';
import { VirtualClock } from './clock';
import { Directory } from './directory';
import { FaultInjector } from './fault-injector';
import { PhotoRateLimiter } from './photo-rate-limit';
import { DirectoryWriteLimiter, GRAPH_DIRECTORY_WRITE_LIMITS } from './directory-write-limit';
import { PhotoStore } from './photo-store';
import { PhotoSync } from './photo-sync';
import { RequestLog } from './request-log';
import { SharePointStore } from './sharepoint-store';
import { TeamsAppInstallations } from './teams-app-installations';

/** Colour of a seeded AD thumbnail (stable per user). */
function adPortraitColour(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `#${(0x205020 + (h % 0x5f5f5f)).toString(16).padStart(6, '0').slice(0, 6)}`;
}

/** Everything the local tenant knows; route modules read and change it, `reset` restores the initial seed. */
export class TenantState {
  readonly clock = new VirtualClock();
  /** Entra ID's photos (what Graph serves for users without an Exchange Online mailbox). */
  readonly photos = new PhotoStore();
  /** Exchange Online mailbox photos (what Graph serves for mailbox users). */
  readonly exchangePhotos = new PhotoStore();
  readonly sharePoint = new SharePointStore();
  readonly sync: PhotoSync = new PhotoSync(this);
  readonly photoLimiter = new PhotoRateLimiter();
  /** Graph's directory write limits on photo writes (on, with Microsoft's numbers, after every reset). */
  readonly writeLimiter = new DirectoryWriteLimiter();
  readonly faults = new FaultInjector();
  readonly requests = new RequestLog();
  readonly connector = new ActivityLog();
  /** Teams' bot rate limits on the connector (off unless the start options or the control API turn them on). */
  readonly connectorLimiter: TeamsConnectorRateLimiter;
  readonly files = new FileStore();
  /** Teams apps installed for users (and the bot chats that come with them). */
  readonly teamsApps = new TeamsAppInstallations();
  /** Certificates uploaded to app registrations (kept across reset, like the apps' secrets). */
  readonly appCertificates = new AppCertificates();
  directory: Directory;
  /** Base URL the server listens on (set once listening; used for issuers and links). */
  baseUrl = '';

  /**
   * @param initialSeed the organisation `reset` returns to (the demo organisation unless the caller chose one)
   */
  constructor(
    readonly signer: TokenSigner,
    private readonly initialSeed: OrgSeed,
    teamsRateLimits = false,
  ) {
    this.connectorLimiter = new TeamsConnectorRateLimiter(teamsRateLimits);
    this.directory = new Directory(initialSeed, [DEMO_APP_SEED]);
  }

  /** Token issuer for this tenant, e.g. `http://127.0.0.1:3979/<tenantId>/v2.0`. */
  issuer(): string {
    return `${this.baseUrl}/${this.directory.tenantId}/v2.0`;
  }

  /**
   * Replaces the organisation: users, apps, policy and photos (generated seed photos included),
   * then brings the stores to where a settled tenant would be: AD thumbnails synced, SharePoint
   * profiles created and (legacy) copied from Exchange, Teams caches filled.
   */
  async applySeed(seed: OrgSeed): Promise<void> {
    const directory = new Directory(seed, [DEMO_APP_SEED]);
    const portraits = await Promise.all(
      directory.users.map(async (u) =>
        u.photo === undefined ? undefined : { user: u, bytes: await generatedPortrait(u.photo.size, u.photo.color) },
      ),
    );
    const thumbnails = await Promise.all(
      directory.users.map(async (u) =>
        u.onPremisesThumbnailPhoto === undefined
          ? undefined
          : {
              user: u,
              bytes: padJpeg(await generatedPortrait(96, adPortraitColour(u.id)), u.onPremisesThumbnailPhoto.bytes),
            },
      ),
    );
    this.directory = directory;
    this.teamsApps.clear();
    this.photos.clear();
    this.exchangePhotos.clear();
    this.sharePoint.clear();
    this.sync.reset(seed.sharePointPictures ?? 'modern');
    for (const p of portraits) {
      if (p === undefined || p.user.photo === undefined) continue;
      const size = p.user.photo.size;
      this.sync.write(p.user, {
        bytes: p.bytes,
        contentType: 'image/jpeg',
        width: size,
        height: size,
        updatedAt: this.clock.iso(),
      });
    }
    for (const a of thumbnails) if (a !== undefined) await this.sync.setAdThumbnail(a.user, a.bytes);
    this.sync.directorySync();
    await this.sync.seedSharePoint();
    this.sync.seedTeams();
  }

  /** Back to the initial organisation with clean photos, policy, faults, clock, logs, connector, files, throttling and SharePoint. */
  async reset(): Promise<void> {
    this.clock.reset();
    this.faults.clear();
    this.requests.clear();
    this.connector.clear();
    this.connectorLimiter.reset();
    this.photoLimiter.configure(null);
    this.writeLimiter.configure(GRAPH_DIRECTORY_WRITE_LIMITS);
    this.files.clear();
    await this.applySeed(this.initialSeed);
  }
}
