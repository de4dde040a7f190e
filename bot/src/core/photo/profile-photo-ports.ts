/** The profile photo Microsoft 365 holds, and the tenant policy about changing it. */

/** Metadata of the photo Microsoft 365 holds for a user. */
export interface PhotoMeta {
  width: number;
  height: number;
  etag?: string;
}

/** Reads and writes profile photos (Graph `/users/{id}/photo`). */
export interface ProfilePhotos {
  /** The current photo's metadata, or null when the user has none (ImageNotFound). */
  getMeta(userId: string): Promise<PhotoMeta | null>;
  /** The current photo's bytes at the largest size, or null when there is none. */
  get(userId: string): Promise<Uint8Array | null>;
  /** Writes a JPEG as the user's photo (`lowPriority`: bulk work that can wait). Throws AppError (m365.*) on failure. */
  put(userId: string, jpeg: Uint8Array, options?: { lowPriority?: boolean }): Promise<void>;
  /** Removes the user's photo (undo back to "no photo"); succeeds when there is none. Throws AppError (m365.*) on failure. */
  remove(userId: string): Promise<void>;
}

// ---------------------------------------------------------------- photo status

/** The tenant photo policy (Graph beta `photoUpdateSettings`). */
export interface PhotoPolicy {
  /** `onPremises`: photos are managed in on-premises AD and cloud updates are disabled for everyone. */
  source: 'cloud' | 'onPremises';
  allowedRoles: string[];
}

/** Reads the tenant photo policy. */
export interface PhotoPolicySource {
  /** The current policy; throws AppError (m365.*) when it cannot be read. */
  get(): Promise<PhotoPolicy>;
}

/** True when the tenant policy keeps photos on-premises; a policy that cannot be read does not block (Graph refuses the write itself then). */
export async function keepsPhotosOnPremises(policy?: PhotoPolicySource): Promise<boolean> {
  if (!policy) return false;
  try {
    return (await policy.get()).source === 'onPremises';
  } catch {
    return false;
  }
}
