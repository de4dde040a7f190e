/** The send pace every instance shares: slots under the Teams limit, and pauses after a 429. */
export interface SharedPace {
  /**
   * The shared pace: reserves the next send slot (epoch ms) for one request, `intervalMs` after the previous one
   * and not before a pause ends. Every instance on the store draws from the same slots.
   */
  acquireSlot(intervalMs: number, nowMs: number): Promise<number>;
  /** After a 429: nobody sends before `untilMs`; the slots after it resume at the pace. */
  pause(untilMs: number): Promise<void>;
  pausedUntil(): Promise<number>;
}
