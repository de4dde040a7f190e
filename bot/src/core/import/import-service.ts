/**
 * Bulk import (docs/import.md): check a zip or folder of photos (match, prepare, decide), apply it as a durable
 * job paced within Graph's write limits, and undo it. No SDK here: everything goes through ports.
 *
 * Durable: every row, its decision and its prepared photo are stored while the check runs, and every write is
 * recorded before it leaves (`writing`, with the id of the photo request it creates) and after it came back. A
 * process that dies mid-import leaves a job whose lease runs out; whoever takes it next (any instance) finishes
 * the rows left `writing` from their photo requests (a request already applied is not written again) and goes on.
 */
import { AppError, scalarParams, toAppError } from '../errors';
import type { AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { Locale } from '../locale';
import type { ImageProcessor, PhotoWarning } from '../photo/pipeline-ports';
import { keepsPhotosOnPremises, type PhotoPolicySource, type ProfilePhotos } from '../photo/profile-photo-ports';
import type { PhotoService } from '../photo/photo-service';
import type { RequestState } from '../photo/request-ports';
import type { ApprovalService } from '../approval/approval-service';
import { applyGuidelines, currentGuidelines } from '../photo/photo-guidelines';
import type { FaceRulePolicy } from '../settings/tenant-settings';
import { PeopleIndex, type MatchablePerson, type MatchResult } from './import-matching';
import type { ImportEntry, ImportPeopleSource, ImportSource, ImportStore } from './import-ports';
import {
  writesPhoto,
  type ImportFingerprint,
  type ImportItem,
  type ImportJob,
  type ImportOptions,
  type ImportPlan,
  type ImportProgress,
  type ImportState,
} from './import-types';
import { WritePace } from './write-pace';

/** States of a photo request that an approver may still write. */
const WAITING_FOR_APPROVAL = new Set<RequestState>(['previewed', 'pending_approval', 'approved', 'applying']);

/** Two perceptual hashes this close (of 64 bits) are one photo re-encoded, not another photo. */
export const SAME_PHOTO_DISTANCE = 10;

/** What the import needs from the world. */
export interface ImportServiceDeps {
  store: ImportStore;
  tenantId: string;
  images: ImageProcessor;
  /** Reads of the photos Microsoft 365 shows (the writes go through `photoService`). */
  photos: ProfilePhotos;
  people: ImportPeopleSource;
  audit: AuditLog;
  clock: Clock;
  newId: () => string;
  /** sha256 (hex) of bytes. */
  hash: (bytes: Uint8Array) => string;
  /** Perceptual hash (16 hex digits) of an image. */
  perceptualHash: (bytes: Uint8Array) => Promise<string>;
  policy?: PhotoPolicySource;
  guidelines?: () => Promise<FaceRulePolicy>;
  /** Where a photo request is now (null: there is none); for photos an earlier import sent for approval. */
  requestState?: (requestId: string) => Promise<RequestState | null>;
  /** The service's photo use cases; absent in a process that only checks (the CLI). */
  photoService?: PhotoService;
  approvals?: ApprovalService;
  pace: WritePace;
  /** Photos prepared at once while checking (the pipeline's own slots stay the bound). */
  checkConcurrency: number;
  /** Rows written between two lease renewals. */
  batch?: number;
  /** Milliseconds a lease lasts. */
  leaseMs: number;
  /** Waits (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Elapsed time for the pace, Retry-After and the write rate (default Date.now): Graph's windows run on real time,
   * whatever the business clock says (the local tenant's virtual clock, a test's clock).
   */
  wallMs?: () => number;
}

/** Hamming distance of two perceptual hashes in hex. */
export function hashDistance(a: string, b: string): number {
  if (a.length !== b.length) return 64;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i] as string, 16) ^ parseInt(b[i] as string, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** A wait that does not keep the process alive (a stopping service's worker lets go at its next step). */
const defaultSleep = (ms: number): Promise<void> =>
  new Promise((r) => {
    const timer = setTimeout(r, ms) as { unref?: () => void };
    timer.unref?.();
  });

/** A row decided while checking, with its photo (kept only for rows that can be written). */
interface Checked {
  item: ImportItem;
  master?: Uint8Array;
  preview?: Uint8Array;
}

export class ImportService {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly wallMs: () => number;
  private readonly writtenAt: number[] = [];
  private stopping = false;

  constructor(private readonly deps: ImportServiceDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
    this.wallMs = deps.wallMs ?? Date.now;
  }

  /** Stops the work in hand at the next row (shutdown); the job's lease runs out and whoever is next goes on. */
  stop(): void {
    this.stopping = true;
  }

  /** A new job in `checking`, held by `owner` while it checks `source`. */
  async create(
    actorId: string,
    sourceName: string,
    options: ImportOptions,
    locale: Locale,
    owner: string,
    sourcePath?: string,
  ): Promise<ImportJob> {
    const { store, clock, newId, audit } = this.deps;
    const busy = (await store.listJobs(20)).find((j) => j.state === 'checking' && j.createdBy === actorId);
    if (busy) throw new AppError('import.busy', `import ${busy.id} is being checked`);
    const now = clock.now();
    const job: ImportJob = {
      id: newId(),
      createdBy: actorId,
      sourceName: sourceName.slice(0, 200),
      options,
      state: 'checking',
      checkedFiles: 0,
      totalFiles: null,
      createdAt: now,
      updatedAt: now,
      locale,
      ...(sourcePath ? { sourcePath } : {}),
    };
    await store.createJob(job, owner, new Date(now.getTime() + this.deps.leaseMs));
    await audit.append({
      at: now,
      actorId,
      action: 'import.create',
      subjectId: actorId,
      outcome: 'ok',
      detail: { importId: job.id, source: job.sourceName, match: options.match },
    });
    return job;
  }

  /** Lets go of a job `owner` created, for the service's worker to check (an upload). */
  handOver(jobId: string, owner: string): Promise<void> {
    return this.deps.store.releaseJob(jobId, owner);
  }

  /**
   * Reads every file of `source`, matches it, runs the pipeline and decides what applying would do; stores each
   * row as it goes (a check taken over after a restart starts after the last stored row). Ends `checked`, or
   * `failed` when the archive cannot be read.
   */
  async check(jobId: string, source: ImportSource, owner: string): Promise<ImportJob> {
    const { store, clock } = this.deps;
    const job = await this.job(jobId);
    try {
      await store.setProgress(jobId, job.checkedFiles, source.files, clock.now());
      const index = new PeopleIndex(await this.allPeople());
      const mapping = await source.mapping();
      const mapped = new Map((mapping ?? []).map((m) => [m.file.toLowerCase(), m.address]));
      const blocked = await keepsPhotosOnPremises(this.deps.policy);
      const guidelines = await currentGuidelines(this.deps.guidelines);
      const done = new Set((await this.allItems(jobId)).map((i) => i.seq));
      let seq = 0;
      let checked = done.size;
      let stopped = false;
      const running = new Set<Promise<void>>();
      for await (const entry of source.entries()) {
        if (stopped || this.stopping) break;
        seq++;
        if (done.has(seq)) continue;
        const mine = seq;
        const task = this.checkEntry(job, mine, entry, { index, mapped, blocked, guidelines })
          .then(async (row) => {
            await store.addItems([row]);
            checked++;
            if (checked % 10 === 0 || checked === source.files) {
              await store.setProgress(jobId, checked, source.files, clock.now());
              // Cancelled, or the lease lost: stop reading (the rows stored stay for whoever goes on).
              if (
                !(await store.renewJob(jobId, owner, this.leaseEnd())) ||
                (await store.getJob(jobId))?.state !== 'checking'
              )
                stopped = true;
            }
          })
          .finally(() => running.delete(task));
        running.add(task);
        if (running.size >= Math.max(1, this.deps.checkConcurrency)) await Promise.race(running);
      }
      await Promise.all(running);
      if (stopped || this.stopping) {
        await store.releaseJob(jobId, owner);
        return await this.job(jobId);
      }
      await store.setProgress(jobId, checked, source.files, clock.now());
      await this.markDuplicates(jobId);
      const after = await store.moveJob(jobId, ['checking'], 'checked', clock.now());
      await store.releaseJob(jobId, owner);
      return after ?? (await this.job(jobId));
    } catch (err) {
      const e = toAppError(err);
      const failed = await store.moveJob(jobId, ['checking'], 'failed', clock.now(), e.code);
      await store.releaseJob(jobId, owner);
      await this.deps.audit.append({
        at: clock.now(),
        actorId: job.createdBy,
        action: 'import.check',
        subjectId: job.createdBy,
        outcome: 'failed',
        detail: { importId: jobId, code: e.code },
      });
      if (failed) return failed;
      throw e;
    }
  }

  private async allPeople(): Promise<MatchablePerson[]> {
    const all: MatchablePerson[] = [];
    for await (const page of this.deps.people.people()) all.push(...page);
    return all;
  }

  private async allItems(jobId: string): Promise<ImportItem[]> {
    const out: ImportItem[] = [];
    for (let after = 0; ;) {
      const page = await this.deps.store.items(jobId, after, 1000);
      if (page.length === 0) return out;
      out.push(...page);
      after = page[page.length - 1]?.seq ?? after;
    }
  }

  /** One file: matched, prepared, decided. Never throws for the file's own faults (they are the row's reason). */
  private async checkEntry(
    job: ImportJob,
    seq: number,
    entry: ImportEntry,
    ctx: { index: PeopleIndex; mapped: Map<string, string>; blocked: boolean; guidelines: FaceRulePolicy },
  ): Promise<Checked> {
    const base: ImportItem = {
      jobId: job.id,
      seq,
      file: entry.path,
      bytes: entry.bytes,
      plan: 'invalid',
      warnings: [],
      outcome: 'not_written',
      attempts: 0,
    };
    if (entry.problem)
      return {
        item: {
          ...base,
          reason: entry.problem,
          ...(entry.problem === 'too_large'
            ? { reasonParams: { maxMegabytes: Math.round(entry.maxBytes / 1_048_576) } }
            : {}),
        },
      };
    const address = ctx.mapped.get(entry.path.toLowerCase());
    const match: MatchResult = address ? ctx.index.byAddress(address) : ctx.index.match(entry.path, job.options.match);
    if (match.kind === 'no_match')
      return {
        item: {
          ...base,
          plan: 'no_match',
          reason: address ? 'mapping_no_person' : 'no_match',
          ...(address ? { reasonParams: { address: address.slice(0, 100) } } : {}),
        },
      };
    if (match.kind === 'ambiguous')
      return {
        item: {
          ...base,
          plan: 'ambiguous',
          matchedBy: match.by,
          reason: 'ambiguous',
          reasonParams: {
            count: match.candidates.length,
            candidates: match.candidates
              .slice(0, 5)
              .map((c) => c.userPrincipalName)
              .join(', '),
          },
        },
      };
    const p = match.person;
    const person = { id: p.id, userPrincipalName: p.userPrincipalName, displayName: p.displayName };
    const named = { ...base, person, matchedBy: match.by, reasonParams: { name: p.displayName } };
    if (!p.accountEnabled) return { item: { ...named, plan: 'refused', reason: 'disabled' } };
    if (p.userType === 'Guest') return { item: { ...named, plan: 'refused', reason: 'guest' } };
    if (ctx.blocked) return { item: { ...named, plan: 'refused', reason: 'policy_on_premises' } };

    let bytes: Uint8Array;
    try {
      bytes = await entry.read();
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'import.archive_unreadable' || e.code === 'import.archive_too_big') throw e;
      return { item: this.unusable(named, e) };
    }
    const contentHash = this.deps.hash(bytes);
    const decided = await this.decide(p.id, contentHash, job.options);
    // The pipeline runs only for rows that may be written: a second run of the same files reads and hashes them,
    // and asks Microsoft 365 what it shows, nothing more.
    if (!writesPhoto(decided.plan, job.options))
      return { item: { ...named, contentHash, plan: decided.plan, reason: decided.reason } };
    let prepared;
    try {
      prepared = await this.prepare(bytes);
    } catch (err) {
      return { item: { ...this.unusable(named, toAppError(err)), contentHash } };
    }
    let warnings: PhotoWarning[];
    try {
      warnings = applyGuidelines(prepared.warnings, ctx.guidelines);
    } catch (err) {
      const e = toAppError(err);
      const rule = typeof e.messageKey === 'string' ? (e.messageKey.split('.').pop() ?? '') : '';
      return {
        item: {
          ...named,
          contentHash,
          warnings: prepared.warnings,
          plan: 'refused',
          reason: 'guideline',
          reasonParams: { ...named.reasonParams, rule },
        },
      };
    }
    return {
      item: { ...named, contentHash, warnings, plan: decided.plan, reason: decided.reason },
      master: prepared.master,
      preview: prepared.preview,
    };
  }

  /** A row whose file is not a photo the pipeline takes: the pipeline's own reason, in the row's words. */
  private unusable(named: ImportItem & { reasonParams: Record<string, string | number> }, e: AppError): ImportItem {
    return {
      ...named,
      plan: 'invalid',
      reason: 'photo',
      reasonParams: { ...named.reasonParams, ...scalarParams(e.params), code: e.code },
    };
  }

  /** The pipeline, waiting while it is busy with people's own photos (an import never takes their place). */
  private async prepare(
    bytes: Uint8Array,
  ): Promise<{ master: Uint8Array; preview: Uint8Array; warnings: PhotoWarning[] }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.images.prepare(bytes);
      } catch (err) {
        const e = toAppError(err);
        if (e.code !== 'photo.busy' || attempt >= 60) throw e;
        await this.sleep(Math.min(5_000, (e.retryAfterSeconds ?? 1) * 1000));
      }
    }
  }

  /** new / changed / unchanged / changed_elsewhere / skipped for a matched person, from what earlier imports left. */
  private async decide(
    userId: string,
    contentHash: string,
    options: ImportOptions,
  ): Promise<{ plan: ImportPlan; reason: string }> {
    const { store, photos } = this.deps;
    const [found, meta] = await Promise.all([store.fingerprint(userId), photos.getMeta(userId)]);
    let print = found;
    if (print && print.shownHash === null) {
      // Sent for approval by an earlier import: where that request is now decides.
      const state = this.deps.requestState ? await this.deps.requestState(print.requestId) : 'pending_approval';
      if (state === 'applied') {
        // Approved and written since: what Microsoft 365 shows now is the import's photo from here on.
        const shown = meta ? await photos.get(userId) : null;
        print = {
          ...print,
          shownHash: shown ? await this.deps.perceptualHash(shown) : '',
          shownEtag: meta?.etag ?? null,
        };
        await store.saveFingerprint(print);
      } else if (state && WAITING_FOR_APPROVAL.has(state)) {
        // Not decided yet: the same file waits for that decision, another file replaces it.
        if (print.contentHash === contentHash) return { plan: 'unchanged', reason: 'awaiting_approval' };
        return { plan: 'changed', reason: 'changed' };
      } else {
        // Rejected, expired or gone: as if that import had never sent it.
        await store.dropFingerprint(userId, print.jobId);
        print = null;
      }
    }
    if (!print) {
      if (meta && options.onlyMissing) return { plan: 'skipped', reason: 'has_photo' };
      return { plan: 'new', reason: meta ? 'replaces' : 'first_photo' };
    }
    const elsewhere = await this.changedElsewhere(print, meta);
    if (elsewhere)
      return {
        plan: 'changed_elsewhere',
        reason: options.overwriteChanged ? 'changed_elsewhere_overwrite' : 'changed_elsewhere',
      };
    if (print.contentHash === contentHash) return { plan: 'unchanged', reason: 'same_file' };
    return { plan: 'changed', reason: 'changed' };
  }

  /**
   * True when Microsoft 365 shows another photo than the import wrote: none at all, or one whose perceptual hash
   * is far from the one read back after the write (the same ETag needs no second read; a new ETag alone is not a
   * change: Microsoft 365 re-encodes photos as it syncs them).
   */
  private async changedElsewhere(print: ImportFingerprint, meta: { etag?: string } | null): Promise<boolean> {
    if (!meta) return true;
    if (print.shownEtag && meta.etag && print.shownEtag === meta.etag) return false;
    const shown = await this.deps.photos.get(print.userId);
    if (!shown) return true;
    return hashDistance(await this.deps.perceptualHash(shown), print.shownHash ?? '') > SAME_PHOTO_DISTANCE;
  }

  /** Several files for one person: every one of them becomes a duplicate row, and none is written. */
  private async markDuplicates(jobId: string): Promise<void> {
    const byPerson = new Map<string, ImportItem[]>();
    for (const item of await this.allItems(jobId)) {
      if (!item.person || item.plan === 'no_match' || item.plan === 'ambiguous') continue;
      const list = byPerson.get(item.person.id) ?? [];
      list.push(item);
      byPerson.set(item.person.id, list);
    }
    const rows: Array<{
      seq: number;
      plan: ImportPlan;
      reason: string;
      reasonParams: Record<string, string | number>;
    }> = [];
    for (const list of byPerson.values()) {
      if (list.length < 2) continue;
      for (const i of list)
        rows.push({
          seq: i.seq,
          plan: 'duplicate',
          reason: 'duplicate',
          reasonParams: { count: list.length, name: i.person?.displayName ?? '' },
        });
    }
    if (rows.length > 0) await this.deps.store.replan(jobId, rows);
  }

  /** Starts writing a checked job (the service's worker does the writing); how many rows will be written. */
  async apply(jobId: string, actorId: string): Promise<{ job: ImportJob; queued: number }> {
    const { store, clock, audit } = this.deps;
    const job = await this.ownJob(jobId, actorId);
    const plans = (['new', 'changed', 'changed_elsewhere'] as const).filter((p) => writesPhoto(p, job.options));
    const moved = await store.moveJob(jobId, ['checked'], 'applying', clock.now());
    if (!moved) throw wrongState(job.state);
    const queued = await store.queue(jobId, plans);
    await audit.append({
      at: clock.now(),
      actorId,
      action: 'import.apply',
      subjectId: actorId,
      outcome: 'ok',
      detail: { importId: jobId, queued, approval: job.options.approval },
    });
    return { job: moved, queued };
  }

  /** Stops a job: a check stops reading, the rows not written yet are cancelled; written ones stay. */
  async cancel(jobId: string, actorId: string): Promise<ImportJob> {
    const { store, clock, audit } = this.deps;
    const job = await this.ownJob(jobId, actorId);
    const moved = await store.moveJob(jobId, ['checking', 'checked', 'applying'], 'cancelled', clock.now());
    if (!moved) throw wrongState(job.state);
    for (const item of await store.due(jobId, ['waiting'], new Date(8_640_000_000_000_000), 100_000))
      await store.moveItem(jobId, item.seq, ['waiting'], 'cancelled', {});
    await store.clearPhotos(jobId);
    await audit.append({
      at: clock.now(),
      actorId,
      action: 'import.cancel',
      subjectId: actorId,
      outcome: 'ok',
      detail: { importId: jobId, was: job.state },
    });
    return moved;
  }

  /** Puts back each person's photo from before the import (rows whose photo changed since are kept). */
  async undo(jobId: string, actorId: string): Promise<ImportJob> {
    const { store, clock, audit } = this.deps;
    const job = await this.ownJob(jobId, actorId);
    const moved = await store.moveJob(jobId, ['done', 'cancelled'], 'undoing', clock.now());
    if (!moved) throw wrongState(job.state);
    await audit.append({
      at: clock.now(),
      actorId,
      action: 'import.undo',
      subjectId: actorId,
      outcome: 'ok',
      detail: { importId: jobId },
    });
    return moved;
  }

  async job(jobId: string): Promise<ImportJob> {
    const job = typeof jobId === 'string' && jobId.length <= 64 ? await this.deps.store.getJob(jobId) : null;
    if (!job) throw new AppError('import.not_found', `no import ${String(jobId).slice(0, 64)}`, { status: 404 });
    return job;
  }

  /** Admins act on any import (the route checks the admin role); the id must exist. */
  private ownJob(jobId: string, _actorId: string): Promise<ImportJob> {
    return this.job(jobId);
  }

  /** The newest imports first. */
  list(limit: number): Promise<ImportJob[]> {
    return this.deps.store.listJobs(limit);
  }

  /** Rows after `afterSeq`, in order. */
  items(jobId: string, afterSeq: number, limit: number): Promise<ImportItem[]> {
    return this.deps.store.items(jobId, afterSeq, limit);
  }

  async progress(jobId: string): Promise<ImportProgress> {
    const job = await this.job(jobId);
    const counts = await this.deps.store.counts(jobId);
    const now = this.wallMs();
    return {
      job,
      counts,
      toWrite: counts.outcomes.waiting + counts.outcomes.writing,
      perMinute: this.writtenAt.filter((t) => t > now - 60_000).length,
      throttled: this.deps.pace.throttles,
    };
  }

  // ------------------------------------------------------------------ the worker

  /**
   * Takes the next job that has work (a check left by a dead process, the one applying or undoing job) and works
   * on it while its lease holds. `openSource` reopens an upload or folder for a check taken over; null when this
   * machine does not have it. Returns true when it did some work.
   */
  async runOnce(owner: string, openSource: (job: ImportJob) => Promise<ImportSource | null>): Promise<boolean> {
    const { store, clock } = this.deps;
    const job = await store.claimJob(owner, ['checking', 'applying', 'undoing'], this.leaseEnd(), clock.now());
    if (!job) return false;
    try {
      if (job.state === 'checking') {
        const source = await openSource(job).catch(() => null);
        if (!source) {
          await store.moveJob(job.id, ['checking'], 'failed', clock.now(), 'import.archive_unreadable');
          return true;
        }
        try {
          await this.check(job.id, source, owner);
        } finally {
          await source.close();
        }
        return true;
      }
      if (job.state === 'applying') await this.write(job, owner);
      else await this.undoRows(job, owner);
      return true;
    } finally {
      await store.releaseJob(job.id, owner);
    }
  }

  private leaseEnd(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.leaseMs);
  }

  /** Writes the job's waiting rows in order, paced, until none is left or the lease is lost. */
  private async write(job: ImportJob, owner: string): Promise<void> {
    const { store, clock } = this.deps;
    const batch = this.deps.batch ?? 25;
    for (;;) {
      if (this.stopping || !(await store.renewJob(job.id, owner, this.leaseEnd()))) return;
      const current = await store.getJob(job.id);
      if (current?.state !== 'applying') return;
      const rows = await store.due(job.id, ['writing', 'waiting'], new Date(this.wallMs()), batch);
      if (rows.length === 0) {
        const next = await store.nextDue(job.id);
        if (next) {
          await this.sleep(Math.max(50, Math.min(5_000, next.getTime() - this.wallMs())));
          continue;
        }
        await store.moveJob(job.id, ['applying'], 'done', clock.now());
        await store.clearPhotos(job.id);
        await this.deps.audit.append({
          at: clock.now(),
          actorId: job.createdBy,
          action: 'import.done',
          subjectId: job.createdBy,
          outcome: 'ok',
          detail: { importId: job.id },
        });
        return;
      }
      for (const row of rows) {
        if (row.outcome === 'waiting') await this.takeWrite();
        if (this.stopping) return;
        const stop = await this.writeRow(job, row);
        if (stop) break;
      }
    }
  }

  /** One row: recorded as writing (with its request id) before the write, then its outcome. True: pause the batch. */
  private async writeRow(job: ImportJob, row: ImportItem): Promise<boolean> {
    const { store, photoService } = this.deps;
    if (!photoService || !row.person) return false;
    let requestId = row.requestId ?? this.deps.newId();
    if (row.outcome === 'writing') {
      // Left by a dead process: a request that ended without the photo (a failed write) is replaced by a new one.
      const left = await photoService.get(requestId);
      if (left && ['failed', 'cancelled', 'expired', 'superseded', 'rejected'].includes(left.state)) {
        requestId = this.deps.newId();
        if (!(await store.moveItem(job.id, row.seq, ['writing'], 'writing', { requestId }))) return false;
      }
    }
    if (row.outcome === 'waiting') {
      const took = await store.moveItem(job.id, row.seq, ['waiting'], 'writing', {
        requestId,
        attempts: row.attempts + 1,
      });
      if (!took) return false;
    }
    const photo = await store.photo(job.id, row.seq);
    try {
      if (!photo) throw new AppError('internal', `row ${row.seq} has no photo`);
      // A write a dead process left unrecorded: when Microsoft 365 already shows the photo, it is not sent again.
      if (row.outcome === 'writing' && !job.options.approval && (await this.showsAlready(row.person.id, photo.master)))
        await photoService.finishImportedShown(requestId);
      const input = {
        requestId,
        userId: row.person.id,
        tenantId: this.deps.tenantId,
        locale: job.locale as Locale,
        master: photo.master,
        preview: photo.preview,
        warnings: row.warnings,
        importId: job.id,
        actorId: job.createdBy,
        bytes: row.bytes,
      };
      if (job.options.approval && this.deps.approvals) {
        await photoService.receiveImported(input);
        const routed = await this.deps.approvals.submit(requestId, row.person.id, { force: true });
        if (!routed.routed) throw new AppError('approval.no_approver', 'not routed');
        await store.moveItem(job.id, row.seq, ['writing'], 'sent_for_approval', { requestId });
        await this.remember(row, requestId, job.id, null, null);
      } else {
        await photoService.applyImported(input);
        await store.moveItem(job.id, row.seq, ['writing'], 'applied', { requestId });
        this.writtenAt.push(this.wallMs());
        if (this.writtenAt.length > 5_000) this.writtenAt.splice(0, this.writtenAt.length - 5_000);
        await this.rememberShown(row, requestId, job.id);
      }
      await this.auditWrite(job, row, requestId, 'ok', {
        file: row.file.slice(0, 200),
        approval: job.options.approval,
      });
      return false;
    } catch (err) {
      const e = toAppError(err);
      if (e.retryable) {
        const waitMs = Math.max(1, e.retryAfterSeconds ?? 5) * 1000;
        this.deps.pace.throttled(this.wallMs(), waitMs);
        // A new request next time: this one ended failed (nothing written).
        await store.moveItem(job.id, row.seq, ['writing'], 'waiting', {
          requestId: this.deps.newId(),
          notBefore: new Date(this.wallMs() + waitMs),
          error: e.code,
        });
        return true;
      }
      await store.moveItem(job.id, row.seq, ['writing'], 'failed', { error: e.code });
      await this.auditWrite(job, row, requestId, 'failed', { code: e.code });
      return false;
    }
  }

  /** The audit entry of one row's write: the admin acted, on the row's person, for the import. */
  private async auditWrite(
    job: ImportJob,
    row: ImportItem,
    requestId: string,
    outcome: 'ok' | 'failed',
    detail: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.deps.audit.append({
      at: this.deps.clock.now(),
      actorId: job.createdBy,
      action: 'import.write',
      subjectId: row.person?.id ?? '',
      requestId,
      outcome,
      detail: { importId: job.id, ...detail },
    });
  }

  /** Waits until the pace lets one more write go (shared by writes and undo). */
  private async takeWrite(): Promise<void> {
    for (let wait = this.deps.pace.tryTake(this.wallMs()); wait > 0; wait = this.deps.pace.tryTake(this.wallMs()))
      await this.sleep(Math.min(wait, 5_000));
  }

  /** True when Microsoft 365 shows this photo for the person now (within SAME_PHOTO_DISTANCE); false on a read error. */
  private async showsAlready(userId: string, master: Uint8Array): Promise<boolean> {
    try {
      const shown = await this.deps.photos.get(userId);
      if (!shown) return false;
      const [a, b] = await Promise.all([this.deps.perceptualHash(shown), this.deps.perceptualHash(master)]);
      return hashDistance(a, b) <= SAME_PHOTO_DISTANCE;
    } catch {
      return false;
    }
  }

  /** What Microsoft 365 shows after the write, kept for the next run (read failures leave it to that run). */
  private async rememberShown(row: ImportItem, requestId: string, jobId: string): Promise<void> {
    let shownHash: string | null = null;
    let shownEtag: string | null = null;
    try {
      const [meta, shown] = await Promise.all([
        this.deps.photos.getMeta(row.person?.id ?? ''),
        this.deps.photos.get(row.person?.id ?? ''),
      ]);
      shownEtag = meta?.etag ?? null;
      shownHash = shown ? await this.deps.perceptualHash(shown) : null;
    } catch {
      // Unread: the next run compares with the photo's own hash instead.
    }
    if (shownHash === null) {
      const photo = await this.deps.store.photo(jobId, row.seq);
      shownHash = photo ? await this.deps.perceptualHash(photo.master) : '';
    }
    await this.remember(row, requestId, jobId, shownHash, shownEtag);
  }

  private async remember(
    row: ImportItem,
    requestId: string,
    jobId: string,
    shownHash: string | null,
    shownEtag: string | null,
  ): Promise<void> {
    if (!row.person || !row.contentHash) return;
    await this.deps.store.saveFingerprint({
      userId: row.person.id,
      jobId,
      requestId,
      contentHash: row.contentHash,
      shownHash,
      shownEtag,
      appliedAt: this.deps.clock.now(),
    });
  }

  /** Undoes each applied row: the person's photo from before, unless it changed since (then it is kept). */
  private async undoRows(job: ImportJob, owner: string): Promise<void> {
    const { store, clock, photoService } = this.deps;
    if (!photoService) return;
    for (;;) {
      if (this.stopping || !(await store.renewJob(job.id, owner, this.leaseEnd()))) return;
      const rows = await store.due(job.id, ['applied'], new Date(this.wallMs()), this.deps.batch ?? 25);
      if (rows.length === 0) {
        await store.moveJob(job.id, ['undoing'], 'undone', clock.now());
        return;
      }
      for (const row of rows) {
        if (!row.person || !row.requestId) continue;
        await this.takeWrite();
        try {
          // Only a photo Microsoft 365 still shows as the import left it is put back: a change made since (by the
          // person in Outlook or Teams, by a later import) stays.
          const print = await store.fingerprint(row.person.id);
          if (
            !print ||
            print.jobId !== job.id ||
            (await this.changedElsewhere(print, await this.deps.photos.getMeta(row.person.id)))
          ) {
            await store.moveItem(job.id, row.seq, ['applied'], 'kept', { error: 'photo_changed_since' });
            continue;
          }
          await photoService.undo(row.person.id, job.createdBy, { requestId: row.requestId, asAdmin: true });
          await store.moveItem(job.id, row.seq, ['applied'], 'undone', {});
          await store.dropFingerprint(row.person.id, job.id);
        } catch (err) {
          const e = toAppError(err);
          if (e.code === 'undo.already_done') {
            await store.moveItem(job.id, row.seq, ['applied'], 'undone', {});
            await store.dropFingerprint(row.person.id, job.id);
          } else if (e.code === 'undo.nothing_to_undo') {
            await store.moveItem(job.id, row.seq, ['applied'], 'kept', { error: 'photo_changed_since' });
          } else if (e.retryable) {
            this.deps.pace.throttled(this.wallMs(), Math.max(1, e.retryAfterSeconds ?? 5) * 1000);
            break;
          } else {
            await store.moveItem(job.id, row.seq, ['applied'], 'kept', { error: e.code });
          }
        }
      }
    }
  }
}

function wrongState(state: ImportState): AppError {
  return new AppError('import.wrong_state', `import is ${state}`, { params: { state } });
}
