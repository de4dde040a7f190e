/** The time, as the core reads it. */

/** Source of the current time; the local tenant and tests move it. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The machine's clock (production). */
export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- images
