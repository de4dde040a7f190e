import { ActivityLog } from '../connector/activity-log';
import { UnlimitedConnectorRateLimiter, type ConnectorRateLimiter } from '../connector/rate-limit';
import { FileStore } from '../files/file-store';
import { generatedPortrait } from '../images/generated-portrait';
import type { TokenSigner } from '../identity/token-signer';
import { DEMO_APP_SEED } from '../seed/demo-seed';
import type { OrgSeed } from '../seed/org-seed';
import { VirtualClock } from './clock';
import { Directory } from './directory';
import { FaultInjector } from './fault-injector';
import { PhotoStore } from './photo-store';
import { RequestLog } from './request-log';

/** Everything the local tenant knows; route modules read and change it, `reset` restores the initial seed. */
export class TenantState {
  readonly clock = new VirtualClock();
  readonly photos = new PhotoStore();
  readonly faults = new FaultInjector();
  readonly requests = new RequestLog();
  readonly connector = new ActivityLog();
  readonly connectorLimiter: ConnectorRateLimiter = new UnlimitedConnectorRateLimiter();
  readonly files = new FileStore();
  directory: Directory;
  /** Base URL the server listens on (set once listening; used for issuers and links). */
  baseUrl = '';

  /**
   * @param initialSeed the organisation `reset` returns to (the demo organisation unless the caller chose one)
   */
  constructor(
    readonly signer: TokenSigner,
    private readonly initialSeed: OrgSeed,
  ) {
    this.directory = new Directory(initialSeed, [DEMO_APP_SEED]);
  }

  /** Token issuer for this tenant, e.g. `http://127.0.0.1:3979/<tenantId>/v2.0`. */
  issuer(): string {
    return `${this.baseUrl}/${this.directory.tenantId}/v2.0`;
  }

  /** Replaces the organisation: users, apps, policy and photos (generated seed photos included). */
  async applySeed(seed: OrgSeed): Promise<void> {
    const directory = new Directory(seed, [DEMO_APP_SEED]);
    const portraits = await Promise.all(
      directory.users.map(async (u) => (u.photo === undefined ? undefined : { user: u, bytes: await generatedPortrait(u.photo.size, u.photo.color) })),
    );
    this.directory = directory;
    this.photos.clear();
    for (const p of portraits) {
      if (p === undefined || p.user.photo === undefined) continue;
      const size = p.user.photo.size;
      this.photos.put(p.user.id, { bytes: p.bytes, contentType: 'image/jpeg', width: size, height: size, updatedAt: this.clock.iso() });
    }
  }

  /** Back to the initial organisation with clean photos, policy, faults, clock, logs, connector and files. */
  async reset(): Promise<void> {
    this.clock.reset();
    this.faults.clear();
    this.requests.clear();
    this.connector.clear();
    this.connectorLimiter.reset();
    this.files.clear();
    await this.applySeed(this.initialSeed);
  }
}
