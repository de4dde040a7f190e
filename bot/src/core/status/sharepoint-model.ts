/**
 * Which picture experience the tenant's SharePoint has. Since message center post MC653734 (rolled out 2023-2024)
 * SharePoint Online shows the photo it gets from Microsoft Graph and no longer copies thumbnails from Exchange;
 * only tenants not yet moved (and custom pages reading the User Photos library) show the legacy copy. Headshot
 * does not trust a setting for that: with `SHAREPOINT_PICTURES=auto` it looks at what `userphoto.aspx` serves.
 * - SharePoint shows Microsoft 365's photo: modern (a legacy copy that is in sync reads the same, and is then
 *   judged the same way: in sync).
 * - It shows something else while Microsoft 365 has a photo: SharePoint's own copy or its placeholder, legacy.
 *   One case reads wrong: a modern tenant whose SharePoint still serves an older cached picture right after a
 *   change looks legacy until the cache catches up; a tenant that knows it is modern sets
 *   `SHAREPOINT_PICTURES=modern`.
 * - Nothing to compare: modern, the default since the rollout.
 * Each report judges its own evidence: nothing is remembered, so a report never depends on whom Headshot
 * looked at before.
 */
import { samePicture } from './picture-match';
import type { SharePointProfile } from './evidence-ports';
import type { ShownPicture } from './status-types';

/** The two experiences. */
export type SharePointPictures = 'legacy' | 'modern';

/** The setting: a fixed experience, or `auto` to look. */
export type SharePointPicturesSetting = SharePointPictures | 'auto';

/** The experience for one report's evidence, under the setting. */
export function sharePointExperience(
  setting: SharePointPicturesSetting,
  profile: SharePointProfile | null,
  shown: ShownPicture | null,
  graph: ShownPicture | undefined,
): SharePointPictures {
  if (setting !== 'auto') return setting;
  if (profile === null || shown === null || graph === undefined) return 'modern';
  return samePicture(shown.hash, graph.hash) ? 'modern' : 'legacy';
}
