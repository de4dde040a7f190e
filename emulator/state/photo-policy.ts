/**
 * The tenant photo policy (Graph beta `photoUpdateSettings`) and its propagation: Microsoft documents that a
 * change takes up to 24 hours to apply (domain.md), so a change made through Graph is stored at once (Graph reads
 * it back) but enforced on photo writes only after a delay, 24 hours unless a test shortens it
 * (`PUT /_control/photo-policy/delay`). Seeding and `PUT /_control/photo-policy` set the policy in force directly.
 */
import type { PhotoUpdateSettings } from '../seed/org-seed';

/** The default propagation delay. */
const DAY_SECONDS = 24 * 3600;

/** The configured policy, the one in force, and when a change takes effect. */
export class PhotoPolicy {
  private configured: PhotoUpdateSettings;
  private enforced: PhotoUpdateSettings;
  private effectiveAtMs: number | null = null;
  delaySeconds = DAY_SECONDS;

  constructor(initial: PhotoUpdateSettings) {
    this.configured = { ...initial, allowedRoles: [...initial.allowedRoles] };
    this.enforced = { ...this.configured, allowedRoles: [...initial.allowedRoles] };
  }

  /** What Graph answers: the settings as last saved. */
  get settings(): PhotoUpdateSettings {
    return { ...this.configured, allowedRoles: [...this.configured.allowedRoles] };
  }

  /** The policy photo writes meet at `nowMs`. */
  inForce(nowMs: number): PhotoUpdateSettings {
    if (this.effectiveAtMs !== null && nowMs >= this.effectiveAtMs) {
      this.enforced = this.settings;
      this.effectiveAtMs = null;
    }
    return { ...this.enforced, allowedRoles: [...this.enforced.allowedRoles] };
  }

  /** A change through Graph: saved now, in force after the delay. */
  change(patch: Partial<PhotoUpdateSettings>, nowMs: number): void {
    this.inForce(nowMs);
    this.configured = { ...this.configured, ...patch };
    this.effectiveAtMs = nowMs + this.delaySeconds * 1000;
    if (this.delaySeconds === 0) this.inForce(nowMs);
  }

  /** Sets the policy in force at once (seed, control API). */
  set(patch: Partial<PhotoUpdateSettings>): void {
    this.configured = { ...this.configured, ...patch };
    this.enforced = this.settings;
    this.effectiveAtMs = null;
  }
}
