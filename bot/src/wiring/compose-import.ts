/**
 * Bulk import (docs/import.md), put together for the service (which checks uploads and writes every import) and
 * for `headshot import` (which checks a folder or zip on its own machine and leaves the writing to the service).
 */
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config';
import type { ApprovalService } from '../core/approval/approval-service';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Clock } from '../core/clock';
import type { ImportSource } from '../core/import/import-ports';
import { ImportService } from '../core/import/import-service';
import type { ImportJob } from '../core/import/import-types';
import { WritePace } from '../core/import/write-pace';
import type { ImageProcessor } from '../core/photo/pipeline-ports';
import type { PhotoPolicySource } from '../core/photo/profile-photo-ports';
import type { PhotoService } from '../core/photo/photo-service';
import type { FaceRulePolicy } from '../core/settings/tenant-settings';
import type { Logger } from '../logger';
import { GraphImportPeople } from '../m365/graph-import-people';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import { perceptualHash } from '../photo/perceptual-hash';
import { faceCheckerFor, type FaceChecker } from '../photo/face-check';
import { SharpImageProcessor } from '../photo/sharp-image-processor';
import { openImportSource, type ArchiveLimits } from '../photo/photo-archive';
import type { SqlDb } from '../store/sql/sql-db';
import { SqlImportStore } from '../store/sql-import-store';
import { SqlRequestRepository } from '../store/sql-request-repository';

/** What the import is made of. */
export interface ImportParts {
  config: Readonly<Config>;
  db: SqlDb;
  graph: Client;
  tenantId: string;
  images: ImageProcessor;
  audit: AuditLog;
  clock: Clock;
  policy?: PhotoPolicySource;
  guidelines?: () => Promise<FaceRulePolicy>;
  /** The service's photo use cases: only the service writes. */
  photos?: PhotoService;
  approvals?: ApprovalService;
}

/** The import and where its uploads wait to be checked. */
export interface ImportWiring {
  service: ImportService;
  /** The limits every zip and folder is opened with. */
  limits: ArchiveLimits;
  /** The folder uploads are kept in until their check ends. */
  uploadDir: string;
  /** Opens what a job checks (its upload, or the folder or zip the CLI named), on this machine; null when absent. */
  openSource(job: ImportJob): Promise<ImportSource | null>;
}

/** The image pipeline as configured (the service's, and the CLI's for a check), with its face detector if any. */
export function configuredPipeline(config: Readonly<Config>): { images: SharpImageProcessor; faces?: FaceChecker } {
  const faces = faceCheckerFor(config.photo.faceCheck);
  const images = new SharpImageProcessor({
    maxBytes: config.photo.maxBytes,
    maxPixels: config.photo.maxPixels,
    minSide: config.photo.minSide,
    background: config.photo.background,
    concurrency: config.photo.concurrency,
    queueLimit: config.photo.queueLimit,
    heicMemoryMb: config.photo.heicMemoryMb,
    faces,
  });
  return faces ? { images, faces } : { images };
}

const sha256 = (bytes: Uint8Array): string => crypto.createHash('sha256').update(bytes).digest('hex');

export function composeImport(p: ImportParts): ImportWiring {
  const { config } = p;
  const limits: ArchiveLimits = {
    maxFiles: config.import.maxFiles,
    maxEntryBytes: config.photo.maxBytes,
    maxTotalBytes: config.import.maxBytes,
    maxRatio: config.import.maxRatio,
  };
  const uploadDir = path.resolve(config.dataDir, 'imports');
  const requests = new SqlRequestRepository(p.db);
  const service = new ImportService({
    store: new SqlImportStore(p.db),
    tenantId: p.tenantId,
    images: p.images,
    // Every read an import makes says it can wait (x-ms-throttle-priority: low); so do its writes (photo-service).
    photos: new GraphProfilePhotos(p.graph, { lowPriority: true }),
    people: new GraphImportPeople(p.graph),
    audit: p.audit,
    clock: p.clock,
    newId: () => crypto.randomUUID(),
    hash: sha256,
    perceptualHash,
    policy: p.policy,
    guidelines: p.guidelines,
    requestState: async (id) => (await requests.get(id))?.state ?? null,
    photoService: p.photos,
    approvals: p.approvals,
    pace: new WritePace(
      [
        { limit: config.import.writesPer150s, windowMs: 150_000 },
        { limit: config.import.writesPer5min, windowMs: 300_000 },
      ],
      config.import.headroom,
    ),
    // The import leaves at least one of the pipeline's slots to people's own photos.
    checkConcurrency: Math.max(1, Math.min(4, (config.photo.concurrency ?? 2) - 1)),
    leaseMs: config.import.leaseSeconds * 1000,
  });
  return {
    service,
    limits,
    uploadDir,
    async openSource(job) {
      if (!job.sourcePath) return null;
      const source = await openImportSource(job.sourcePath, limits, job.sourceName).catch(() => null);
      if (!source) return null;
      const upload = path.dirname(path.resolve(job.sourcePath)) === uploadDir;
      return {
        ...source,
        // An upload is deleted once its check is over (the rows and their photos are in the store by then).
        close: async () => {
          await source.close();
          const now = await service.job(job.id).catch(() => null);
          if (upload && now?.state !== 'checking') await fsp.rm(job.sourcePath ?? '', { force: true });
        },
      };
    },
  };
}

/** The service's import worker: takes the next job with work whenever there is one. */
export function startImportWorker(
  wiring: ImportWiring,
  options: { pollMs: number; logger: Logger },
): { stop(graceMs: number): Promise<void> } {
  const owner = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let worked = false;
      try {
        worked = await wiring.service.runOnce(owner, (job) => wiring.openSource(job));
      } catch (err) {
        options.logger.warn({ err: { message: (err as Error)?.message ?? String(err) } }, 'import worker');
      }
      if (!worked && !stopped)
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, options.pollMs).unref();
        });
    }
  })();
  return {
    async stop(graceMs) {
      stopped = true;
      wiring.service.stop();
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
