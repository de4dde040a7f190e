/**
 * A semaphore with a bounded FIFO queue. Photo decoding is CPU- and
 * memory-heavy (libvips uses one thread per image here), so at most
 * `concurrency` tasks run, at most `queueLimit` wait, and a caller beyond that is
 * told at once how long to wait instead of piling up.
 */

/** Thrown by `run` when both the slots and the queue are full. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`queue full; retry after ${retryAfterSeconds}s`);
    this.name = 'QueueFullError';
  }
}

/** How many recent durations feed the wait estimate. */
const RECENT_DURATIONS = 20;
/** Assumed duration of one task before any has finished (a 12 MP JPEG takes ~150 ms here). */
const INITIAL_DURATION_MS = 1000;

/** Runs async tasks with bounded concurrency and a bounded waiting queue. */
export class WorkLimiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly durations: number[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(queueLimit) || queueLimit < 0)
      throw new RangeError(`queueLimit must be an integer >= 0, got ${queueLimit}`);
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a new task would be refused now: every slot busy and the queue full. */
  get full(): boolean {
    return this.running >= this.concurrency && this.queue.length >= this.queueLimit;
  }

  /** Seconds a new caller should wait before retrying, from recent durations; at least 1. */
  retryAfterSeconds(): number {
    const mean = this.durations.length
      ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length
      : INITIAL_DURATION_MS;
    const ahead = this.running + this.queue.length;
    return Math.max(1, Math.ceil(((ahead / this.concurrency) * mean) / 1000));
  }

  /**
   * Runs `task` when a slot is free. Rejects at once with QueueFullError when
   * all slots are busy and the queue is full. The slot is held until the task's
   * promise settles, even if the caller stopped waiting for it.
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) return this.start(task);
    if (this.queue.length >= this.queueLimit) return Promise.reject(new QueueFullError(this.retryAfterSeconds()));
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => this.start(task).then(resolve, reject));
    });
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.running++;
    const began = this.now();
    let result: Promise<T>;
    try {
      result = task();
    } catch (err) {
      result = Promise.reject(err);
    }
    return result.finally(() => {
      this.record(this.now() - began);
      this.running--;
      this.queue.shift()?.();
    });
  }

  private record(ms: number): void {
    this.durations.push(ms);
    if (this.durations.length > RECENT_DURATIONS) this.durations.shift();
  }
}
