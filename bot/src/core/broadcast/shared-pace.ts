/** The send pace every instance shares: one sliding window of grants, a 429's pause, and the limit Teams showed. */
import type { PaceAnswer, PaceRules } from './pace-window';

/** The shared pace (core/broadcast/pace-window.ts decides; the store keeps the state and serialises callers). */
export interface SharedPace {
  /** Grants one request now when the window has room and no pause is in force; else says when to ask again. */
  tryAcquire(rules: PaceRules, nowMs: number): Promise<PaceAnswer>;
  /** After a 429 to the request granted at `grantedAt`: nobody sends before `untilMs`; the limit is learned. */
  throttled(rules: PaceRules, grantedAt: number, untilMs: number, nowMs: number): Promise<void>;
  /** The limit per second Teams showed when lower than the configured one; null while none is learned. */
  learnedLimit(): Promise<number | null>;
}
