/** Sorting one user into a coverage category: a pure function of what Graph and SharePoint said. */
import type { PhotoMeta } from '../photo/profile-photo-ports';
import type { Observed } from '../status/evidence-ports';
import type { CoverageCategory, CoverageReason, CoverageUser } from './coverage-types';

/** Largest side of a photo that can only be on-premises AD's `thumbnailPhoto` (96x96 by convention). */
const AD_THUMBNAIL_SIDE = 96;

/** Users whose photo is never read: guests, disabled and unlicensed accounts. */
export function notApplicableReason(user: CoverageUser): CoverageReason | null {
  if (user.userType === 'Guest') return 'guest';
  if (!user.accountEnabled) return 'disabled';
  if (!user.licensed) return 'unlicensed';
  return null;
}

/**
 * The first matching rule wins: not applicable; unknown (Graph kept failing); hybrid users with no
 * photo or only AD's 96 px thumbnail (later AD changes never reach Exchange Online); no photo; a photo
 * smaller than `minSide` (stale: an old low-resolution upload); SharePoint showing its placeholder.
 */
export function classify(
  user: CoverageUser,
  photo: Observed<PhotoMeta | null> | undefined,
  sharePointPlaceholder: boolean | null,
  minSide: number,
): { category: CoverageCategory; reason: CoverageReason; photoSide?: number } {
  const na = notApplicableReason(user);
  if (na) return { category: 'not_applicable', reason: na };
  if (!photo || !photo.ok) return { category: 'unknown', reason: 'unknown' };
  const side = photo.value ? Math.min(photo.value.width, photo.value.height) : undefined;
  if (user.onPremisesSyncEnabled) {
    if (side === undefined) return { category: 'hybrid_stuck', reason: 'hybrid_no_photo' };
    if (side <= AD_THUMBNAIL_SIDE)
      return { category: 'hybrid_stuck', reason: 'hybrid_ad_thumbnail_only', photoSide: side };
  }
  if (side === undefined) return { category: 'no_photo', reason: 'no_photo' };
  if (side < minSide) return { category: 'placeholder_or_stale', reason: 'small_photo', photoSide: side };
  if (sharePointPlaceholder === true)
    return { category: 'placeholder_or_stale', reason: 'sharepoint_placeholder', photoSide: side };
  return { category: 'has_photo', reason: 'photo', photoSide: side };
}
