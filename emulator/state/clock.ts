/**
 * The emulator's virtual clock: real time plus an offset that tests move forward
 * (or set), so that token expiry and photo timestamps can be tested without waiting.
 */
export class VirtualClock {
  private offsetMs = 0;

  /** Current virtual time in epoch milliseconds. */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Current virtual time in epoch seconds (JWT `iat`/`exp` unit). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Current virtual time as an ISO 8601 string. */
  iso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Moves the clock forward (or back, if negative) by `seconds`. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Sets the clock to an absolute instant; it keeps ticking from there. */
  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
