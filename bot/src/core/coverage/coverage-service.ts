/**
 * The coverage scan: streams the directory page by page (Graph `$select`, 999 a page), reads
 * photo presence through `$batch` with the status code's batched reader, asks SharePoint for
 * the placeholder of users who have a photo, and writes each page to the store. Memory holds
 * one page. A scan has a lease: when its process dies, the next one starts it again.
 */
import type { Clock } from '../clock';
import type { PhotoEvidenceReader } from '../status/evidence-ports';
import type { PhotoAges } from './photo-age';
import { classify, notApplicableReason } from './classify';
import {
  COVERAGE_CATEGORIES,
  zeroCounts,
  type CoverageCardTarget,
  type CoverageCounts,
  type CoverageEntry,
  type CoverageScanRecord,
  type CoverageUser,
  type CoverageView,
} from './coverage-types';

/** Pages of directory users. */
export interface CoverageUserSource {
  /** Every user of the tenant, a page at a time. */
  pages(): AsyncIterable<CoverageUser[]>;
}

/** SharePoint's view of a user's picture. */
interface PlaceholderReader {
  /** True when SharePoint shows its placeholder for the user; null when it cannot tell. */
  showsPlaceholder(upn: string): Promise<boolean | null>;
}

/** Where scans and their per-user rows live. */
export interface CoverageStore {
  /** Starts a scan unless one is running with a live lease; returns the running one. */
  begin(
    scan: CoverageScanRecord,
    owner: string,
    leaseUntil: Date,
  ): Promise<{ scan: CoverageScanRecord; started: boolean }>;
  /** Takes over a scan whose lease ran out (its rows are dropped: the scan starts over); false when it is alive. */
  takeOver(scanId: string, owner: string, leaseUntil: Date, now: Date): Promise<boolean>;
  /** Scans left running by a process that died (lease expired). */
  abandoned(now: Date): Promise<CoverageScanRecord[]>;
  /** Appends a page of results and extends the lease; false when another process owns the scan now. */
  addPage(scanId: string, owner: string, entries: readonly CoverageEntry[], leaseUntil: Date): Promise<boolean>;
  /** Ends a scan. */
  finish(scanId: string, owner: string, state: 'done' | 'failed', at: Date, error?: string): Promise<void>;
  get(scanId: string): Promise<CoverageScanRecord | null>;
  /** The newest scan (running or not), or null. */
  latest(): Promise<CoverageScanRecord | null>;
  /** The newest finished scan, or null. */
  latestDone(): Promise<CoverageScanRecord | null>;
  counts(scanId: string): Promise<CoverageCounts>;
  /** Up to `limit` rows after `afterUserId` (by user id), optionally of some categories. */
  page(
    scanId: string,
    afterUserId: string,
    limit: number,
    categories?: readonly string[],
  ): Promise<Array<CoverageEntry & { scanId: string }>>;
  /** The card showing this scan's progress. */
  setCard(scanId: string, target: CoverageCardTarget): Promise<void>;
  card(scanId: string): Promise<CoverageCardTarget | null>;
  /** Deletes all but the newest `keep` finished scans. */
  prune(keep: number): Promise<void>;
}

/** Shows progress while a scan runs (the Teams card, updated in place). */
export interface CoverageProgressSink {
  /** Called every few seconds and once at the end. */
  progress(view: CoverageView, target: CoverageCardTarget): Promise<void>;
}

/** What the service needs. */
export interface CoverageDeps {
  users: CoverageUserSource;
  evidence: PhotoEvidenceReader;
  sharePoint?: PlaceholderReader;
  store: CoverageStore;
  clock: Clock;
  newId: () => string;
  /** This process (leases). */
  owner: string;
  /** A photo smaller than this is stale (default 240). */
  minPhotoSide: number;
  sink?: CoverageProgressSink;
  /** Photo age (refresh reminders): told of every photo the scan sees. */
  ages?: Pick<PhotoAges, 'seen'>;
  /** Least time between two progress calls (default 2 s). */
  progressEveryMs?: number;
  onError?: (err: unknown) => void;
}

const LEASE_MS = 120_000;
const SHAREPOINT_CONCURRENCY = 4;

/** Runs and reports coverage scans. */
export class CoverageService {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly d: CoverageDeps) {}

  /** Starts a scan (or joins the running one); `card` is where progress shows. Returns at once. */
  async start(requestedBy: string): Promise<{ scan: CoverageScanRecord; started: boolean; done: Promise<void> }> {
    const now = this.d.clock.now();
    const record: CoverageScanRecord = {
      id: this.d.newId(),
      state: 'running',
      startedAt: now,
      requestedBy,
      scanned: 0,
    };
    const result = await this.d.store.begin(record, this.d.owner, new Date(now.getTime() + LEASE_MS));
    const done = result.started ? this.launch(result.scan.id) : (this.running.get(result.scan.id) ?? Promise.resolve());
    return { ...result, done };
  }

  /** Runs a scan to the end in this call (the CLI). */
  async scanNow(requestedBy: string): Promise<CoverageView> {
    const { scan, done } = await this.start(requestedBy);
    await done;
    // Another process was already scanning: wait for it.
    for (let s = await this.d.store.get(scan.id); s && s.state === 'running'; s = await this.d.store.get(scan.id))
      await new Promise((r) => setTimeout(r, 250));
    return (await this.view(scan.id)) as CoverageView;
  }

  /** Takes over scans whose process died. */
  async resumeAbandoned(): Promise<void> {
    const now = this.d.clock.now();
    for (const scan of await this.d.store.abandoned(now))
      if (await this.d.store.takeOver(scan.id, this.d.owner, new Date(now.getTime() + LEASE_MS), now))
        void this.launch(scan.id);
  }

  /** The view of a scan (the newest when no id is given), or null. */
  async view(scanId?: string): Promise<CoverageView | null> {
    const scan = scanId ? await this.d.store.get(scanId) : await this.d.store.latest();
    if (!scan) return null;
    return toView(scan, await this.d.store.counts(scan.id));
  }

  /** The newest finished scan's view. */
  async latestDone(): Promise<CoverageView | null> {
    const scan = await this.d.store.latestDone();
    return scan ? toView(scan, await this.d.store.counts(scan.id)) : null;
  }

  /** Waits for scans this process runs (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(scanId: string): Promise<void> {
    const job = this.run(scanId)
      .catch(async (err: unknown) => {
        this.d.onError?.(err);
        await this.d.store.finish(
          scanId,
          this.d.owner,
          'failed',
          this.d.clock.now(),
          (err as Error)?.message ?? String(err),
        );
      })
      .then(() => this.report(scanId, true))
      .finally(() => this.running.delete(scanId));
    this.running.set(scanId, job);
    return job;
  }

  private async run(scanId: string): Promise<void> {
    let lastProgress = 0;
    const every = this.d.progressEveryMs ?? 2_000;
    for await (const users of this.d.users.pages()) {
      const entries = await this.classifyPage(users);
      const leaseUntil = new Date(this.d.clock.now().getTime() + LEASE_MS);
      if (!(await this.d.store.addPage(scanId, this.d.owner, entries, leaseUntil))) return; // taken over elsewhere
      if (Date.now() - lastProgress >= every) {
        lastProgress = Date.now();
        await this.report(scanId, false);
      }
    }
    await this.d.store.finish(scanId, this.d.owner, 'done', this.d.clock.now());
    await this.d.store.prune(5);
  }

  private async classifyPage(users: readonly CoverageUser[]): Promise<CoverageEntry[]> {
    const applicable = users.filter((u) => notApplicableReason(u) === null);
    const { photos } = applicable.length
      ? await this.d.evidence.scan(applicable.map((u) => u.id))
      : { photos: new Map() };
    const placeholders = new Map<string, boolean | null>();
    if (this.d.sharePoint) {
      const withPhoto = applicable.filter((u) => {
        const p = photos.get(u.id);
        return p?.ok && p.value !== null;
      });
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < withPhoto.length) {
          const u = withPhoto[next++] as CoverageUser;
          placeholders.set(
            u.id,
            (await this.d.sharePoint?.showsPlaceholder(u.userPrincipalName).catch(() => null)) ?? null,
          );
        }
      };
      await Promise.all(Array.from({ length: SHAREPOINT_CONCURRENCY }, worker));
    }
    // Photo age is a side line: a failure there leaves ages as they were and the scan goes on.
    const seen = applicable.flatMap((u) => {
      const p = photos.get(u.id);
      return p?.ok && p.value ? [{ userId: u.id, etag: p.value.etag }] : [];
    });
    await this.d.ages?.seen(seen).catch((err: unknown) => this.d.onError?.(err));
    return users.map((user) => ({
      user,
      ...classify(user, photos.get(user.id), placeholders.get(user.id) ?? null, this.d.minPhotoSide),
    }));
  }

  private async report(scanId: string, final: boolean): Promise<void> {
    const target = await this.d.store.card(scanId);
    const view = await this.view(scanId);
    if (!target || !view || !this.d.sink) return;
    if (final && view.state === 'running') return;
    await this.d.sink.progress(view, target).catch((err: unknown) => this.d.onError?.(err));
  }
}

/** A scan and its counts as the documented view. */
function toView(scan: CoverageScanRecord, counts: CoverageCounts): CoverageView {
  const applicable = COVERAGE_CATEGORIES.filter((c) => c !== 'not_applicable').reduce((n, c) => n + counts[c], 0);
  return {
    scanId: scan.id,
    state: scan.state,
    startedAt: scan.startedAt.toISOString(),
    finishedAt: scan.finishedAt?.toISOString() ?? null,
    scanned: scan.scanned,
    counts: { ...zeroCounts(), ...counts },
    coverage: applicable > 0 ? counts.has_photo / applicable : null,
  };
}
