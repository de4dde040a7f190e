/**
 * Runs many Graph requests through JSON `$batch`: at most 20 inner requests per batch, at
 * most `concurrency` batches in flight (4: Graph's documented concurrency for the
 * Exchange-backed photo endpoints), and each inner 429/503/504 retried on its own after its
 * own Retry-After (the SDK retries only the outer request). After a 429 no new batch starts
 * before its Retry-After has passed, and the batches in flight are halved (one more after each
 * batch without a 429, up to the limit again): sending more into an empty bucket only earns
 * more 429s. From the time between two 429s and the requests that got through in between, it
 * learns the rate the service allows and paces batches to it (only while 429s keep coming: the
 * estimate holds under load, and is forgotten a minute after the last 429). Results come back per id.
 */
import { parseRetryAfter } from './retry-after';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { AppError } from '../core/errors';
import type { BatchStats } from '../core/status/evidence-ports';
import { fromGraphError } from './graph-errors';

/** Graph's limit on inner requests per `$batch`. */
const MAX_BATCH_SIZE = 20;
/** Concurrent requests Graph allows an app per mailbox for Exchange-backed resources. */
export const PHOTO_CONCURRENCY = 4;

/** One inner request; `id` must be unique within a run. */
export interface BatchItem {
  id: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Relative to the version root, e.g. `/users/{id}/photo`. */
  url: string;
  headers?: Record<string, string>;
}

/** An inner answer (binary bodies stay base64, as Graph sends them), or the failure of its batch. */
export type BatchOutcome = { status: number; headers: Record<string, string>; body?: unknown } | { error: AppError };

/** Options of a runner. */
export interface GraphBatchOptions {
  version?: 'v1.0' | 'beta';
  maxBatchSize?: number;
  concurrency?: number;
  /** Attempts per inner request, the first included (default 4). */
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited for: the answer stands (default 60). */
  maxRetryAfterSeconds?: number;
  /** Waits between attempts when Graph gives no Retry-After: 1 s, 2 s, 4 s, ... */
  baseDelaySeconds?: number;
}

/** Fresh counters. */
export function emptyStats(): BatchStats {
  return { httpRequests: 0, innerRequests: 0, throttled: 0, retried: 0 };
}

const RETRYABLE = new Set([429, 503, 504]);
/** Two 429s at most this far apart measure the allowed rate. */
const PACE_WINDOW_MS = 30_000;
/** A learnt rate is used this long after the 429 that taught it. */
const PACE_MEMORY_MS = 60_000;

interface Pending {
  item: BatchItem;
  attempts: number;
  readyAt: number;
}

/** A header of an inner answer, whatever its case. */
function innerHeader(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers?.[key];
}

/** The AppError an inner failure stands for (mapped exactly as a direct call's would be). */
export function innerError(outcome: { status: number; headers: Record<string, string>; body?: unknown }): AppError {
  const body = outcome.body as { error?: { code?: string; message?: string } } | undefined;
  const err = new GraphError(outcome.status, body?.error?.message ?? `inner request answered ${outcome.status}`);
  err.code = body?.error?.code ?? null;
  err.headers = new Headers(Object.entries(outcome.headers ?? {}));
  return fromGraphError(err);
}

/** Runs inner requests in batches with bounded concurrency and per-request retries. */
export class GraphBatchRunner {
  private readonly version: 'v1.0' | 'beta';
  private readonly size: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly baseDelayMs: number;
  /** No new batch before this time (epoch ms): the latest 429's Retry-After. */
  private pausedUntil = 0;
  /** Batches allowed in flight now: halved on a 429, grown by one per batch without. */
  private window: number;
  /** Inner requests per second to pace at, once learnt from two 429s; undefined until then. */
  private pace?: number;
  /** When the learnt pace is forgotten (epoch ms). */
  private paceUntil = 0;
  /** Earliest start of the next batch under the pace (epoch ms). */
  private nextStartAt = 0;
  /** The last 429 that paused sending, and the inner requests answered without 429 since. */
  private lastThrottleAt?: number;
  private passedSinceThrottle = 0;

  constructor(
    private readonly graph: Client,
    options: GraphBatchOptions = {},
  ) {
    this.version = options.version ?? 'v1.0';
    this.size = Math.min(options.maxBatchSize ?? MAX_BATCH_SIZE, MAX_BATCH_SIZE);
    this.concurrency = options.concurrency ?? PHOTO_CONCURRENCY;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRetryAfterMs = (options.maxRetryAfterSeconds ?? 60) * 1000;
    this.baseDelayMs = (options.baseDelaySeconds ?? 1) * 1000;
    this.window = this.concurrency;
  }

  /** Runs every item; never throws for a failed request (its outcome says so). */
  run(items: readonly BatchItem[], stats: BatchStats = emptyStats()): Promise<Map<string, BatchOutcome>> {
    const results = new Map<string, BatchOutcome>();
    const queue: Pending[] = items.map((item) => ({ item, attempts: 0, readyAt: 0 }));
    let active = 0;
    let timer: NodeJS.Timeout | undefined;
    return new Promise((resolve) => {
      const pump = (): void => {
        if (results.size >= items.length) {
          resolve(results);
          return;
        }
        const now = Date.now();
        while (active < this.window && now >= this.pausedUntil && now >= this.nextStartAt) {
          const ready = this.takeReady(queue, now);
          if (ready.length === 0) break;
          if (this.pace && now > this.paceUntil) this.pace = undefined;
          if (this.pace) this.nextStartAt = Math.max(now, this.nextStartAt) + (ready.length / this.pace) * 1000;
          active++;
          void this.send(ready, queue, results, stats).then(() => {
            active--;
            pump();
          });
        }
        if (active < this.window && queue.length > 0 && timer === undefined) {
          const earliest = Math.max(
            this.pausedUntil,
            this.nextStartAt,
            queue.reduce((m, p) => Math.min(m, p.readyAt), Number.POSITIVE_INFINITY),
          );
          timer = setTimeout(
            () => {
              timer = undefined;
              pump();
            },
            Math.max(1, earliest - now),
          );
        }
      };
      pump();
    });
  }

  /** Removes and returns up to one batch of items whose wait is over, oldest first. */
  private takeReady(queue: Pending[], now: number): Pending[] {
    const out: Pending[] = [];
    for (let i = 0; i < queue.length && out.length < this.size;) {
      if ((queue[i] as Pending).readyAt <= now) out.push(...queue.splice(i, 1));
      else i++;
    }
    return out;
  }

  /** Sends one batch and files each answer as a result or a retry. */
  private async send(
    batch: Pending[],
    queue: Pending[],
    results: Map<string, BatchOutcome>,
    stats: BatchStats,
  ): Promise<void> {
    for (const p of batch) p.attempts++;
    stats.httpRequests++;
    stats.innerRequests += batch.length;
    let answers: Map<string, { status: number; headers: Record<string, string>; body?: unknown }>;
    try {
      const body = (await this.graph
        .api('/$batch')
        .version(this.version)
        .post({
          requests: batch.map((p) => ({
            id: p.item.id,
            method: p.item.method,
            url: p.item.url,
            ...(p.item.headers ? { headers: p.item.headers } : {}),
          })),
        })) as {
        responses?: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
      };
      answers = new Map(
        (body.responses ?? []).map((r) => [r.id, { status: r.status, headers: r.headers ?? {}, body: r.body }]),
      );
    } catch (err) {
      // The SDK already retried the batch itself; what is left fails (or waits) as a whole.
      const error = fromGraphError(err);
      if (error.code === 'm365.throttled') stats.throttled++;
      for (const p of batch) {
        if (error.retryable && this.requeue(p, error.retryAfterSeconds, queue, stats)) continue;
        results.set(p.item.id, { error });
      }
      return;
    }
    const throttledBefore = stats.throttled;
    for (const p of batch) {
      const answer = answers.get(p.item.id);
      if (answer === undefined) {
        results.set(p.item.id, {
          status: 500,
          headers: {},
          body: { error: { code: 'generalException', message: 'No answer for this request in the batch.' } },
        });
        continue;
      }
      if (answer.status === 429) stats.throttled++;
      if (RETRYABLE.has(answer.status)) {
        const after = parseRetryAfter(innerHeader(answer.headers, 'retry-after'));
        if (answer.status === 429 && after !== undefined) this.throttledFor(after);
        if (this.requeue(p, after, queue, stats)) continue;
      }
      results.set(p.item.id, answer);
      if (answer.status !== 429) this.passedSinceThrottle++;
    }
    this.window =
      stats.throttled > throttledBefore
        ? Math.max(1, Math.floor(this.window / 2))
        : Math.min(this.concurrency, this.window + 1);
  }

  /** A 429 said to wait: pause new batches, and learn the allowed rate from the previous pause to this one. */
  private throttledFor(retryAfterSeconds: number): void {
    const now = Date.now();
    if (now >= this.pausedUntil) {
      // Between two 429s close together the service let through about its rate; far apart, traffic was light and says nothing.
      if (
        this.lastThrottleAt !== undefined &&
        now > this.lastThrottleAt &&
        now - this.lastThrottleAt <= PACE_WINDOW_MS
      ) {
        const rate = this.passedSinceThrottle / ((now - this.lastThrottleAt) / 1000);
        if (rate > 0) {
          this.pace = rate;
          this.paceUntil = now + PACE_MEMORY_MS;
        }
      }
      this.lastThrottleAt = now;
      this.passedSinceThrottle = 0;
    }
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(retryAfterSeconds * 1000, this.maxRetryAfterMs));
  }

  /** Puts an item back to wait its Retry-After (or back-off); false when it is out of attempts or the wait is too long. */
  private requeue(p: Pending, retryAfterSeconds: number | undefined, queue: Pending[], stats: BatchStats): boolean {
    if (p.attempts >= this.maxAttempts) return false;
    const waitMs =
      retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : this.baseDelayMs * 2 ** (p.attempts - 1);
    if (waitMs > this.maxRetryAfterMs) return false;
    p.readyAt = Date.now() + waitMs;
    queue.push(p);
    stats.retried++;
    return true;
  }
}
