/**
 * Wiring of the photo status use cases, shared by the two entry points that need it: the
 * service and the `headshot status` command. Defaults are documented here.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Clock } from '../core/clock';
import type { PhotoPolicySource } from '../core/photo/profile-photo-ports';
import type { SharePointProfiles } from '../core/status/evidence-ports';
import { StatusService } from '../core/status/status-service';
import { GraphBatchRunner } from '../m365/graph-batch';
import { GraphDirectory } from '../m365/graph-directory';
import { GraphPhotoEvidenceReader } from '../m365/graph-photo-evidence';
import { GraphPhotoPolicy } from '../m365/graph-photo-policy';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import { RestSharePointProfiles } from '../m365/sharepoint-profiles';
import { SharpPictureTools } from '../photo/picture-tools';
import type { Mode } from './mode';

/** SharePoint's copy interval in legacy tenants (seed article: once per 24 hours). */
const SHAREPOINT_SYNC_HOURS = 24;

/** What status wiring needs. */
export interface StatusWiringArgs {
  config: Readonly<Config>;
  graph: Client;
  mode: Mode;
  audit: AuditLog;
  clock: Clock;
  /** The tenant setting "write SharePoint's legacy thumbnails on every apply" (the service); absent: never. */
  legacyPush?: () => Promise<boolean>;
  /** After "apply again" wrote a photo (follow-through). */
  applied?: (userId: string, photo: Uint8Array, at: Date) => Promise<void>;
}

/** The status service and the policy reader (the photo flow checks the policy too). */
export interface StatusWiring {
  status: StatusService;
  policy: PhotoPolicySource;
  /** SharePoint profiles, when a My Site Host is configured (the admin coverage scan reads placeholders). */
  sharePoint?: SharePointProfiles;
  /** Graph evidence in batches (follow-through reads many people's photos with it). */
  evidence: GraphPhotoEvidenceReader;
}

/** Builds the status use cases on Graph, SharePoint REST and sharp. */
export function composeStatus({
  config,
  graph,
  mode,
  audit,
  clock,
  legacyPush,
  applied,
}: StatusWiringArgs): StatusWiring {
  const policy = new GraphPhotoPolicy(graph);
  const sharePoint = mode.sharePoint
    ? new RestSharePointProfiles({ ...mode.sharePoint, tokens: mode.tokens })
    : undefined;
  const evidence = new GraphPhotoEvidenceReader(
    // Someone is waiting for one person's report: few attempts, short waits.
    new GraphBatchRunner(graph, { maxAttempts: 3, maxRetryAfterSeconds: 5 }),
    // Scans can wait out throttling.
    new GraphBatchRunner(graph, { maxAttempts: 8, maxRetryAfterSeconds: 60 }),
  );
  const status = new StatusService({
    evidence,
    policy,
    sharePoint,
    photos: new GraphProfilePhotos(graph),
    directory: new GraphDirectory(graph),
    tools: new SharpPictureTools(),
    audit,
    clock,
    settings: {
      sharePointPictures: config.sharePoint.pictures,
      sharePointSyncHours: SHAREPOINT_SYNC_HOURS,
      teamsCacheDays: config.status.teamsCacheDays,
      thumbnailSides: config.sharePoint.thumbnailSides,
      adPhotoMaxBytes: config.status.adPhotoMaxBytes,
    },
    legacyPush,
    applied,
  });
  return { status, policy, sharePoint, evidence };
}
