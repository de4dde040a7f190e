/**
 * Streams people from Microsoft Graph a page at a time: every user (coverage, "everyone"),
 * a group's direct members, or a category of the newest coverage scan from the store.
 * Nothing here holds more than one page.
 */
import { Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../core/errors';
import {
  audienceMemberOf,
  type AudienceMember,
  type AudienceSource,
  type CampaignAudience,
} from '../core/broadcast/broadcast-types';
import type { CoverageStore, CoverageUserSource } from '../core/coverage/coverage-service';
import type { CoverageUser } from '../core/coverage/coverage-types';
import { fromGraphError } from './graph-errors';

const SELECT =
  'id,displayName,userPrincipalName,userType,preferredLanguage,onPremisesSyncEnabled,accountEnabled,assignedLicenses,department';
const PAGE = 999;

interface GraphUserRow {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  userType?: string | null;
  preferredLanguage?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  accountEnabled?: boolean | null;
  assignedLicenses?: unknown[] | null;
  department?: string | null;
}

const toCoverageUser = (u: GraphUserRow): CoverageUser => ({
  id: u.id,
  userPrincipalName: u.userPrincipalName ?? '',
  displayName: u.displayName ?? u.userPrincipalName ?? u.id,
  preferredLanguage: u.preferredLanguage ?? undefined,
  userType: u.userType === 'Guest' ? 'Guest' : 'Member',
  accountEnabled: u.accountEnabled !== false,
  onPremisesSyncEnabled: u.onPremisesSyncEnabled === true,
  licensed: Array.isArray(u.assignedLicenses) && u.assignedLicenses.length > 0,
  department: u.department?.trim() || undefined,
});

/** Pages of a Graph collection, following `@odata.nextLink`. */
async function* graphPages(graph: Client, first: string): AsyncGenerator<GraphUserRow[]> {
  let next: string | undefined = first;
  while (next) {
    let body: { value?: GraphUserRow[]; '@odata.nextLink'?: string };
    try {
      body = (await graph.api(next).get()) as typeof body;
    } catch (err) {
      throw fromGraphError(err);
    }
    yield (body.value ?? []).filter((o) => !o['@odata.type'] || o['@odata.type'] === '#microsoft.graph.user');
    next = relativeNextLink(body['@odata.nextLink']);
  }
}

/**
 * A nextLink as a path under the version root: the SDK takes only https URLs as absolute, so the
 * local tenant's http links (and any link) are passed as path and query.
 */
export function relativeNextLink(link: string | undefined): string | undefined {
  if (!link || !/^https?:\/\//i.test(link)) return link;
  const u = new URL(link);
  return `${u.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '')}${u.search}`;
}

/** Every user of the tenant, 999 a page (User.Read.All). */
export class GraphUserPages implements CoverageUserSource {
  constructor(private readonly graph: Client) {}

  async *pages(): AsyncIterable<CoverageUser[]> {
    for await (const page of graphPages(this.graph, `/users?$select=${SELECT}&$top=${PAGE}`))
      yield page.map(toCoverageUser);
  }
}

/** Audiences: a coverage category from the store, a group's direct members or everyone from Graph. */
export class GraphAudienceSource implements AudienceSource {
  constructor(
    private readonly graph: Client,
    private readonly coverage: CoverageStore,
  ) {}

  async *pages(audience: CampaignAudience): AsyncIterable<AudienceMember[]> {
    if (audience.kind === 'category') {
      const scan = await this.coverage.latestDone();
      if (!scan || !audience.category) throw new AppError('broadcast.no_coverage', 'no finished coverage scan');
      for (let after = ''; ;) {
        const rows = await this.coverage.page(scan.id, after, PAGE, [audience.category]);
        if (rows.length === 0) return;
        yield rows.map((r) => audienceMemberOf(r.user));
        after = (rows[rows.length - 1] as { user: CoverageUser }).user.id;
      }
    }
    // Follow-ups come from the store (core/broadcast/follow-ups.ts), never from the whole directory.
    if (audience.kind === 'followup')
      throw new AppError('broadcast.invalid', 'a follow-up audience is not a directory');
    const first =
      audience.kind === 'group'
        ? `/groups/${encodeURIComponent(audience.groupId ?? '')}/members?$select=${SELECT}&$top=${PAGE}`
        : `/users?$select=${SELECT}&$top=${PAGE}`;
    for await (const page of graphPages(this.graph, first)) yield page.map((u) => audienceMemberOf(toCoverageUser(u)));
  }
}
