/**
 * The "update my photo" use cases: receive a photo, confirm it, cancel it, and
 * finish work a restart interrupted. No SDK here: everything goes through ports.
 */
import { AppError, scalarParams, toAppError } from '../errors';
import type { AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { Locale } from '../locale';
import type { CropRect, FaceScan, ImageProcessor, PrepareOptions, QuarterTurn, SquareJpeg } from './pipeline-ports';
import {
  keepsPhotosOnPremises,
  type PhotoMeta,
  type PhotoPolicySource,
  type ProfilePhotos,
} from './profile-photo-ports';
import type {
  PhotoNotifier,
  PhotoRequest,
  PhotoSource,
  RequestCards,
  RequestOutcome,
  RequestRepository,
  RequestState,
} from './request-ports';
import { canTransition } from './request-lifecycle';
import { applyGuidelines, currentGuidelines } from './photo-guidelines';
import type { FaceRulePolicy } from '../settings/tenant-settings';

/** What the photo service needs from the world. */
export interface PhotoServiceDeps {
  images: ImageProcessor;
  photos: ProfilePhotos;
  requests: RequestRepository;
  audit: AuditLog;
  clock: Clock;
  newId: () => string;
  /** How long a preview waits for confirmation. */
  requestTtlMs: number;
  notifier?: PhotoNotifier;
  /** The cards each request was shown on, closed in place when it is over (or undone). */
  cards?: RequestCards;
  /** The tenant photo policy; with source onPremises, confirm refuses before writing. */
  policy?: PhotoPolicySource;
  /**
   * Runs after a photo was written (self-service, approved, undo restoring a photo): the SharePoint legacy push.
   * It must not throw; if it does anyway, the apply still stands.
   */
  afterApply?: (request: PhotoRequest, photo: Uint8Array) => Promise<void>;
  /** The tenant's photo guidelines (what each face rule does); absent: every rule warns. */
  guidelines?: () => Promise<FaceRulePolicy>;
}

/** A photo someone sent, with who they are. */
export interface IncomingPhoto {
  userId: string;
  tenantId: string;
  locale: Locale;
  bytes: Uint8Array;
  source: PhotoSource;
  crop?: CropRect;
  /** Clockwise quarter turns after EXIF orientation, before the crop. */
  rotate?: QuarterTurn;
}

/** A photo an admin's import prepared for one person. */
export interface ImportedPhoto {
  /** Chosen by the import before the write, so that a restart finds the request. */
  requestId: string;
  userId: string;
  tenantId: string;
  locale: Locale;
  master: Uint8Array;
  preview: Uint8Array;
  warnings: PhotoRequest['warnings'];
  importId: string;
  /** The admin who runs the import. */
  actorId: string;
  /** Size of the source file. */
  bytes: number;
}

/** A request together with its card preview. */
export interface RequestWithPreview {
  request: PhotoRequest;
  preview: Uint8Array;
  /** Requests this one superseded (their preview cards are now stale). */
  superseded: string[];
  /** The Teams avatar renditions, smallest first (only right after receiving; they are not stored). */
  avatars?: SquareJpeg[];
}

/** Receives, confirms and applies profile photos. */
export class PhotoService {
  constructor(private readonly deps: PhotoServiceDeps) {}

  /** Runs the pipeline on an upload and stores a previewed request; nothing is written to Microsoft 365 yet. */
  async receive(input: IncomingPhoto): Promise<RequestWithPreview> {
    const { images, requests, audit, clock, newId, requestTtlMs } = this.deps;
    let prepared;
    try {
      const options: PrepareOptions = input.crop ? { crop: input.crop } : {};
      if (input.rotate) options.rotate = input.rotate;
      prepared = await images.prepare(input.bytes, options);
      prepared = {
        ...prepared,
        warnings: applyGuidelines(prepared.warnings, await currentGuidelines(this.deps.guidelines)),
      };
    } catch (err) {
      const e = toAppError(err);
      await audit.append({
        at: clock.now(),
        actorId: input.userId,
        action: 'photo.receive',
        subjectId: input.userId,
        outcome: 'refused',
        // The error's params (sizes, limits) too: the admin's audit log words the refusal as the person saw it.
        detail: { ...scalarParams(e.params), code: e.code, source: input.source, bytes: input.bytes.byteLength },
      });
      throw e;
    }
    const now = clock.now();
    const request: PhotoRequest = {
      id: newId(),
      userId: input.userId,
      tenantId: input.tenantId,
      locale: input.locale,
      state: 'previewed',
      source: input.source,
      warnings: prepared.warnings,
      // Kept with the request: the coverage's face check column is taken from it once the photo is applied.
      sourceInfo:
        prepared.faceCheck && prepared.faceCheck.status !== 'off'
          ? { ...prepared.source, faceCheck: prepared.faceCheck.status }
          : prepared.source,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + requestTtlMs),
      version: 1,
    };
    const superseded = await requests.create(request, { master: prepared.master, preview: prepared.preview });
    for (const id of superseded) {
      const old = await requests.get(id);
      if (old) await this.closeCards(old, 'superseded');
    }
    await audit.append({
      at: now,
      actorId: input.userId,
      action: 'photo.receive',
      subjectId: input.userId,
      requestId: request.id,
      outcome: 'ok',
      detail: {
        source: input.source,
        format: prepared.source.format,
        width: prepared.source.width,
        height: prepared.source.height,
        warnings: prepared.warnings.map((w) => w.code).join(',') || null,
      },
    });
    return { request, preview: prepared.preview, superseded, avatars: prepared.avatars };
  }

  /**
   * The faces of a photo before it is cropped, and the square the pipeline would cut (the tab's editor starts
   * there and outlines them). Stores nothing; the pipeline remembers the answer, so the upload that follows
   * does not run the detector again.
   */
  scanFaces(bytes: Uint8Array, rotate?: QuarterTurn): Promise<FaceScan> {
    return this.deps.images.scanFaces(bytes, rotate ? { rotate } : {});
  }

  /**
   * Writes a photo an admin's import prepared, as a request of the person's (source `import`, id given by the
   * import so that a restart finds it): created `applying` and written at once, or, when a restart finds the
   * request already there, finished from its state (an applied request is not written again). Throws what the
   * write threw; a retryable failure leaves the request failed, and the import tries again with a new one.
   */
  async applyImported(input: ImportedPhoto): Promise<PhotoRequest> {
    const existing = await this.deps.requests.get(input.requestId);
    if (existing) {
      if (existing.state === 'applied') return existing;
      if (existing.state === 'applying') return (await this.apply(existing)).request;
      throw new AppError('internal', `import request ${input.requestId} is ${existing.state}`);
    }
    const request = this.importedRequest(input, 'applying');
    await this.createImported(request, input);
    return (await this.apply(request)).request;
  }

  /**
   * Finishes an import's request a dead process left `applying` when Microsoft 365 already shows its photo (the
   * write went through, its answer was never recorded): applied without a second write. Null when it is not there.
   */
  async finishImportedShown(requestId: string): Promise<PhotoRequest | null> {
    const request = await this.deps.requests.get(requestId);
    if (request?.state !== 'applying' || request.source !== 'import') return request;
    const photo = await this.deps.requests.getPhoto(requestId);
    const applied = await this.move(requestId, 'applying', 'applied');
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actorId: request.userId,
      action: 'photo.apply',
      subjectId: request.userId,
      requestId,
      outcome: 'ok',
      detail: { bytes: photo?.master.byteLength ?? 0, found: 'already_shown' },
    });
    if (applied && photo && this.deps.afterApply)
      await this.deps.afterApply(applied, photo.master).catch(() => undefined);
    return applied;
  }

  /** An import's photo as a previewed request of the person's, for the approval flow to take (nothing written). */
  async receiveImported(input: ImportedPhoto): Promise<PhotoRequest> {
    const existing = await this.deps.requests.get(input.requestId);
    if (existing) return existing;
    const request = this.importedRequest(input, 'previewed');
    await this.createImported(request, input);
    return request;
  }

  /** Stores an import's request; a preview the person still had open is superseded (its cards say so). */
  private async createImported(request: PhotoRequest, input: ImportedPhoto): Promise<void> {
    const superseded = await this.deps.requests.create(request, { master: input.master, preview: input.preview });
    for (const id of superseded) {
      const old = await this.deps.requests.get(id);
      if (old) await this.closeCards(old, 'superseded');
    }
    await this.auditImported(input);
  }

  private importedRequest(input: ImportedPhoto, state: RequestState): PhotoRequest {
    const now = this.deps.clock.now();
    return {
      id: input.requestId,
      userId: input.userId,
      tenantId: input.tenantId,
      locale: input.locale,
      state,
      source: 'import',
      warnings: input.warnings,
      sourceInfo: { format: 'jpeg', width: 648, height: 648, bytes: input.bytes },
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + this.deps.requestTtlMs),
      version: 1,
    };
  }

  private async auditImported(input: ImportedPhoto): Promise<void> {
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actorId: input.actorId,
      action: 'photo.receive',
      subjectId: input.userId,
      requestId: input.requestId,
      outcome: 'ok',
      detail: {
        source: 'import',
        importId: input.importId,
        warnings: input.warnings.map((w) => w.code).join(',') || null,
      },
    });
  }

  /** Receives a photo from outside the chat and sends its preview to the user's chat. */
  async receiveAndNotify(input: IncomingPhoto): Promise<RequestWithPreview & { delivered: boolean }> {
    const result = await this.receive(input);
    const delivered = this.deps.notifier
      ? await this.deps.notifier.previewReady(result.request, result.preview)
      : false;
    return { ...result, delivered };
  }

  /**
   * Confirms a previewed request and writes the photo to Microsoft 365.
   * Exactly one of any number of concurrent confirms wins; the others get request.in_progress or request.already_applied.
   */
  async confirm(requestId: string, actorId: string): Promise<RequestWithPreview> {
    const request = await this.ownedRequest(requestId, actorId, 'photo.confirm');
    const now = this.deps.clock.now();
    if (request.state === 'previewed' && request.expiresAt.getTime() <= now.getTime()) {
      await this.move(request.id, 'previewed', 'expired');
      throw new AppError('request.expired', undefined, {
        params: { hours: Math.round(this.deps.requestTtlMs / 3_600_000) },
      });
    }
    if (request.state === 'previewed' && (await keepsPhotosOnPremises(this.deps.policy))) {
      await this.deps.audit.append({
        at: now,
        actorId,
        action: 'photo.confirm',
        subjectId: request.userId,
        requestId,
        outcome: 'refused',
        detail: { reason: 'policy_on_premises' },
      });
      throw new AppError('m365.blocked_by_policy', 'photo policy source is onPremises', { status: 403 });
    }
    const claimed = request.state === 'previewed' ? await this.move(request.id, 'previewed', 'applying') : null;
    if (!claimed) throw this.notConfirmable((await this.deps.requests.get(requestId)) ?? request);
    return this.apply(claimed);
  }

  /** Cancels a previewed request of the actor's. */
  async cancel(requestId: string, actorId: string): Promise<PhotoRequest> {
    const request = await this.ownedRequest(requestId, actorId, 'photo.cancel');
    const cancelled = request.state === 'previewed' ? await this.move(request.id, 'previewed', 'cancelled') : null;
    if (!cancelled) throw this.notConfirmable((await this.deps.requests.get(requestId)) ?? request);
    await this.closeCards(cancelled, 'cancelled');
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actorId,
      action: 'photo.cancel',
      subjectId: request.userId,
      requestId,
      outcome: 'ok',
    });
    return cancelled;
  }

  /**
   * Finishes requests a crash left in `applying` (the write is idempotent) and tells their owners.
   * Approved requests are the approval service's to finish (it also updates their cards).
   */
  async resumeInterrupted(): Promise<number> {
    // Imports finish their own (core/import/import-service.ts): the person did not ask, so nobody is told.
    const stuck = (await this.deps.requests.listByState('applying')).filter(
      (r) => r.flow !== 'approval' && r.source !== 'import',
    );
    for (const request of stuck) {
      let error: AppError | undefined;
      let preview: Uint8Array | null = null;
      try {
        preview = (await this.apply(request)).preview;
      } catch (err) {
        error = toAppError(err);
        preview = (await this.deps.requests.getPhoto(request.id))?.preview ?? null;
      }
      const final = (await this.deps.requests.get(request.id)) ?? request;
      await this.tellEnded(final, preview, error ? { code: error.code, params: error.params } : undefined);
    }
    return stuck.length;
  }

  /** Marks previews whose time ran out as expired and tells their owners. */
  async expireDue(): Promise<number> {
    const ids = await this.deps.requests.listExpired(this.deps.clock.now());
    let count = 0;
    for (const id of ids) {
      const expired = await this.move(id, 'previewed', 'expired');
      if (!expired) continue;
      count++;
      // The preview card says so in place; a new message only where no card could change.
      if ((await this.closeCards(expired, 'expired')) === 0) await this.tellEnded(expired, null);
    }
    return count;
  }

  /** Cancels the user's open preview, if there is one; returns it, or null when there was nothing to cancel. */
  async cancelOpen(userId: string): Promise<PhotoRequest | null> {
    const open = await this.deps.requests.openForUser(userId);
    return open ? this.cancel(open.id, userId) : null;
  }

  /** What Microsoft 365 holds as the user's photo now (null: no photo). */
  current(userId: string): Promise<PhotoMeta | null> {
    return this.deps.photos.getMeta(userId);
  }

  /** The stored request, or null. */
  /** The refusal a new photo would get now because the pipeline is full (photo.busy, with Retry-After), or null. */
  busyNow(): Error | null {
    return this.deps.images.refusalNow();
  }

  async get(requestId: string): Promise<PhotoRequest | null> {
    return await this.deps.requests.get(requestId);
  }

  /** The 96 px preview of a request, or null once the request ended and its photo was cleared. */
  async preview(requestId: string): Promise<Uint8Array | null> {
    return (await this.deps.requests.getPhoto(requestId))?.preview ?? null;
  }

  /** The user's newest photo request of their own (undo requests left out), or null. */
  async latestFor(userId: string): Promise<PhotoRequest | null> {
    return await this.deps.requests.latestForUser(userId);
  }

  /**
   * Writes an approved request's photo. The claim (approved -> applying) is a compare-and-set, so of any
   * number of callers exactly one writes; the others get null. Busy Microsoft 365: back to approved.
   */
  async applyApproved(requestId: string): Promise<RequestWithPreview | null> {
    const claimed = await this.move(requestId, 'approved', 'applying');
    return claimed ? this.apply(claimed) : null;
  }

  /** Finishes an approved request a crash left in `applying` (call once, at start-up); null when it is not there. */
  async finishApplying(requestId: string): Promise<RequestWithPreview | null> {
    const request = await this.deps.requests.get(requestId);
    return request?.state === 'applying' ? this.apply(request) : null;
  }

  /**
   * Restores the photo the user had before their most recent applied change (`requestId`, when given, must be
   * that change), as a new request of flow `undo`. `asAdmin` lets an admin undo someone else's change.
   * A change can be undone once; undoing an undo restores the change again.
   */
  async undo(
    userId: string,
    actorId: string,
    options: { requestId?: string; asAdmin?: boolean } = {},
  ): Promise<RequestWithPreview> {
    const { requests, audit, clock, newId } = this.deps;
    const refuse = async (
      code: 'undo.nothing_to_undo' | 'undo.already_done' | 'request.not_yours',
      reason: string,
      requestId?: string,
    ): Promise<AppError> => {
      await audit.append({
        at: clock.now(),
        actorId,
        action: 'photo.undo',
        subjectId: userId,
        requestId,
        outcome: 'refused',
        detail: { reason },
      });
      return code === 'request.not_yours'
        ? new AppError(code, `actor ${actorId} may not undo for ${userId}`, { status: 403 })
        : new AppError(code, reason, { status: 409 });
    };
    if (actorId !== userId && !options.asAdmin) throw await refuse('request.not_yours', 'not_owner', options.requestId);
    const latest = await requests.latestApplied(userId);
    const target = options.requestId === undefined ? latest : await requests.get(options.requestId);
    if (target && target.userId !== userId) throw await refuse('request.not_yours', 'not_owner', target.id);
    if (!target || !latest || target.id !== latest.id)
      throw await refuse('undo.nothing_to_undo', 'not_latest_applied', options.requestId);
    const previous = await requests.getPrevious(target.id);
    if (!previous) throw await refuse('undo.nothing_to_undo', 'nothing_kept', target.id);
    const now = clock.now();
    const request: PhotoRequest = {
      id: newId(),
      userId,
      tenantId: target.tenantId,
      locale: target.locale,
      state: 'applying',
      source: 'undo',
      warnings: [],
      sourceInfo: { format: 'jpeg', width: 0, height: 0, bytes: previous.photo?.byteLength ?? 0 },
      createdAt: now,
      updatedAt: now,
      expiresAt: now,
      version: 1,
      flow: 'undo',
      undoOf: target.id,
    };
    // An empty master means "the user had no photo": applying it removes the photo.
    if (
      !(await requests.createUndo(request, { master: previous.photo ?? new Uint8Array(0), preview: new Uint8Array(0) }))
    ) {
      throw await refuse('undo.already_done', 'already_undone', target.id);
    }
    await audit.append({
      at: now,
      actorId,
      action: 'photo.undo',
      subjectId: userId,
      requestId: request.id,
      outcome: 'ok',
      detail: { undoes: target.id, restores: previous.photo ? 'photo' : 'no_photo', asAdmin: actorId !== userId },
    });
    const restored = await this.apply(request);
    // The undone change's preview card no longer says it is the profile photo; undoing an undo brings it back.
    await this.closeCards(target, 'undone', (await requests.getPhoto(target.id))?.preview);
    const origin = target.flow === 'undo' && target.undoOf ? await requests.get(target.undoOf) : null;
    if (origin) await this.closeCards(origin, 'applied', (await requests.getPhoto(origin.id))?.preview);
    return restored;
  }

  private async apply(request: PhotoRequest): Promise<RequestWithPreview> {
    const { photos, requests, audit, clock } = this.deps;
    const photo = await requests.getPhoto(request.id);
    if (!photo) {
      await this.move(request.id, 'applying', 'failed', 'internal');
      throw new AppError('internal', `request ${request.id} has no pending photo`);
    }
    const removes = request.flow === 'undo' && photo.master.byteLength === 0;
    let previousSaved = false;
    try {
      await requests.savePrevious(request.userId, request.id, await photos.get(request.userId), clock.now());
      previousSaved = true;
    } catch {
      // Undo is a convenience; a failed read of the old photo must not block the new one.
    }
    try {
      if (removes) await photos.remove(request.userId);
      // An import's write says it can wait: Graph then throttles it before people's own changes.
      else await photos.put(request.userId, photo.master, request.source === 'import' ? { lowPriority: true } : {});
    } catch (err) {
      const e = toAppError(err);
      // Throttled or down: nothing was written. A self-service request goes back to previewed and can be
      // confirmed again; an approved one back to approved (the scheduler tries again); an undo fails.
      const busy = busyStateOf(request);
      if (e.retryable && busy !== 'failed') await this.move(request.id, 'applying', busy);
      else {
        const failed = await this.move(request.id, 'applying', 'failed', e.code);
        if (failed && request.flow !== 'approval') await this.closeCards(failed, 'failed', photo.preview);
      }
      await audit.append({
        at: clock.now(),
        actorId: request.userId,
        action: 'photo.apply',
        subjectId: request.userId,
        requestId: request.id,
        outcome: 'failed',
        detail: { code: e.code, retryable: e.retryable },
      });
      throw e;
    }
    const applied = await this.move(request.id, 'applying', 'applied');
    await audit.append({
      at: clock.now(),
      actorId: request.userId,
      action: 'photo.apply',
      subjectId: request.userId,
      requestId: request.id,
      outcome: 'ok',
      detail: { bytes: photo.master.byteLength, previousSaved, ...(request.flow ? { flow: request.flow } : {}) },
    });
    // An approval's cards are the approval service's (the preview card became the approval card).
    if (applied && request.flow !== 'approval') await this.closeCards(applied, 'applied', photo.preview);
    if (!removes && this.deps.afterApply)
      await this.deps.afterApply(applied ?? request, photo.master).catch(() => undefined);
    return { request: applied ?? request, preview: photo.preview, superseded: [] };
  }

  /** Tells the owner how a request ended; an unreachable user must not stop the work on everyone else's. */
  private async tellEnded(
    request: PhotoRequest,
    preview: Uint8Array | null,
    error?: { code: string; params: Record<string, string | number> },
  ): Promise<boolean> {
    if (!this.deps.notifier) return false;
    try {
      return await this.deps.notifier.requestEnded(request, preview, error);
    } catch {
      return false;
    }
  }

  /** Closes the request's cards; how many show the outcome (0 without cards). Never fails the caller's work. */
  private async closeCards(
    request: PhotoRequest,
    outcome: RequestOutcome,
    preview?: Uint8Array | null,
  ): Promise<number> {
    if (!this.deps.cards) return 0;
    try {
      return await this.deps.cards.close(request, outcome, preview);
    } catch {
      return 0;
    }
  }

  private async ownedRequest(requestId: string, actorId: string, action: string): Promise<PhotoRequest> {
    const request = typeof requestId === 'string' ? await this.deps.requests.get(requestId) : null;
    if (!request) throw new AppError('request.not_found', `no request ${String(requestId)}`, { status: 404 });
    if (request.userId !== actorId) {
      await this.deps.audit.append({
        at: this.deps.clock.now(),
        actorId,
        action,
        subjectId: request.userId,
        requestId,
        outcome: 'refused',
        detail: { reason: 'not_owner' },
      });
      throw new AppError('request.not_yours', `actor is not the owner of ${requestId}`, { status: 403 });
    }
    return request;
  }

  private notConfirmable(request: PhotoRequest): AppError {
    switch (request.state) {
      case 'applied':
        return new AppError('request.already_applied');
      case 'applying':
        return new AppError('request.in_progress');
      case 'expired':
        return new AppError('request.expired', undefined, {
          params: { hours: Math.round(this.deps.requestTtlMs / 3_600_000) },
        });
      default:
        return new AppError('request.closed', undefined, { params: { state: request.state } });
    }
  }

  private async move(
    id: string,
    from: RequestState,
    to: RequestState,
    errorCode?: string,
  ): Promise<PhotoRequest | null> {
    if (!canTransition(from, to)) throw new Error(`illegal transition ${from} -> ${to}`);
    return await this.deps.requests.transition(id, from, to, this.deps.clock.now(), errorCode);
  }
}

/** Where a request goes when Microsoft 365 is busy while writing it. */
function busyStateOf(request: PhotoRequest): RequestState {
  if (request.flow === 'approval') return 'approved';
  if (request.source === 'import') return 'failed';
  if (request.flow === 'undo') return 'failed';
  return 'previewed';
}
