/**
 * A memory budget shared by the HEIC decodes of one process. libheif decodes in WebAssembly, whose memory a
 * worker's `maxOldGenerationSizeMb` does not bound and which is only given back when the worker exits: a 49 MP
 * photo takes about 530 MB until then. Each decode reserves its estimate before its worker starts and gives it
 * back when the worker has exited; decodes that do not fit wait their turn (first come, first served), within
 * their photo's time budget.
 */
import type { Deadline } from './deadline';
import { decodeTimeoutError } from './photo-errors';

interface Waiter {
  bytes: number;
  grant: () => void;
}

/** Reserves and releases bytes of a fixed total. */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly totalBytes: number) {
    if (!Number.isFinite(totalBytes) || totalBytes <= 0)
      throw new RangeError(`totalBytes must be > 0, got ${totalBytes}`);
  }

  /** Bytes reserved now. */
  get reserved(): number {
    return this.used;
  }

  /**
   * Waits until `bytes` fit (never more than the total: the caller refuses larger work first), then reserves them;
   * resolves with the function that releases them. Rejects with photo.decode_timeout when the deadline passes first.
   */
  reserve(bytes: number, deadline: Deadline): Promise<() => void> {
    if (bytes > this.totalBytes) throw new RangeError(`${bytes} bytes exceed the budget of ${this.totalBytes}`);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        grant: () => {
          clearTimeout(timer);
          this.used += bytes;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.used -= bytes;
            this.pump();
          });
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(decodeTimeoutError(deadline.budgetMs));
        this.pump();
      }, deadline.remainingMs());
      this.waiting.push(waiter);
      this.pump();
    });
  }

  /** Grants waiters in order while the first one fits. */
  private pump(): void {
    while (this.waiting.length > 0 && this.used + (this.waiting[0] as Waiter).bytes <= this.totalBytes) {
      (this.waiting.shift() as Waiter).grant();
    }
  }
}
