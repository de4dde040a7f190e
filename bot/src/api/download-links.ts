/** Links to the admin CSV downloads (coverage, campaign reports, import reports). */
import type { AdminDownloadResource } from '../core/admin/download-resource';
import type { DownloadSubject, SignedLinks } from './signed-links';

/**
 * Builds signed links to the admin CSV downloads (admin-download-routes.ts), for the bot's cards and the
 * tab alike. `baseUrl` is read on each call (the service learns its own address after it starts listening).
 */
export function adminDownloadLinks(tickets: SignedLinks<DownloadSubject>, baseUrl: () => string) {
  return async (userId: string, resource: AdminDownloadResource): Promise<{ url: string; minutes: number }> => {
    const [name, file] =
      resource.kind === 'coverage'
        ? [`coverage:${resource.scanId}`, 'coverage.csv']
        : resource.kind === 'report'
          ? [`report:${resource.campaignId}`, 'broadcast-report.csv']
          : [`import:${resource.importId}`, 'import-report.csv'];
    const ticket = await tickets.issue({ userId, resource: name });
    return { url: `${baseUrl()}/api/admin/${file}?ticket=${ticket}`, minutes: tickets.ttlSeconds / 60 };
  };
}
