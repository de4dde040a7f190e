/**
 * The time budget of one photo. Checked between pipeline steps, and handed to
 * sharp's own `timeout` so libvips stops working on an over-long decode.
 */
import { decodeTimeoutError } from './photo-errors';

/** A point in time after which work on a photo is abandoned. */
export class Deadline {
  private readonly end: number;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = now() + budgetMs;
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.end - this.now());
  }

  /** Throws photo.decode_timeout once the budget is spent. */
  check(): void {
    if (this.remainingMs() <= 0) throw decodeTimeoutError(this.budgetMs);
  }

  /** The remaining budget in whole seconds for sharp's `timeout({ seconds })` (at least 1). */
  sharpSeconds(): number {
    return Math.max(1, Math.ceil(this.remainingMs() / 1000));
  }
}
