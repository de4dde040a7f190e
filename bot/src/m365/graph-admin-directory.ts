/**
 * AdminDirectory on Microsoft Graph: the user (`/users/{id}`), direct groups (`memberOf`) and
 * the app roles the user holds on Headshot's own service principal (its `appRoleAssignedTo`, to the
 * user or a group they are in; role ids mapped to values through `/servicePrincipals`).
 */
import { Client } from '@microsoft/microsoft-graph-client';
import type { DirectoryUser } from '../core/directory/directory-ports';
import type { AdminDirectory } from '../core/admin/admin-policy';
import { GraphDirectory } from './graph-directory';
import { fromGraphError } from './graph-errors';
import { GraphGroups } from './graph-groups';

interface Assignment {
  appRoleId?: string;
  principalId?: string;
  principalType?: string;
}

interface ServicePrincipal {
  id: string;
  appRoles?: Array<{ id: string; value?: string | null }>;
}

/** Reads what the admin check needs (User.Read.All, GroupMember.Read.All, Application.Read.All; no Directory.*). */
export class GraphAdminDirectory implements AdminDirectory {
  private readonly users: GraphDirectory;
  private readonly groups: GraphGroups;
  private principal?: Promise<ServicePrincipal | null>;

  constructor(
    private readonly graph: Client,
    /** Headshot's app (client) id: its service principal holds the admin role. */
    private readonly appId: string,
  ) {
    this.users = new GraphDirectory(graph);
    this.groups = new GraphGroups(graph);
  }

  getUser(idOrUpn: string): Promise<DirectoryUser | null> {
    return this.users.getUser(idOrUpn);
  }

  memberOf(userId: string): Promise<string[]> {
    return this.groups.memberOf(userId);
  }

  async appRoles(userId: string): Promise<string[]> {
    try {
      const sp = await this.servicePrincipal();
      if (!sp) return [];
      const assignments = await this.assignments(sp.id);
      // The user's groups are read only when a role is granted to a group at all.
      const groups = new Set(
        assignments.some((a) => a.principalType === 'Group')
          ? (await this.memberOf(userId)).map((g) => g.toLowerCase())
          : [],
      );
      const roleIds = new Set<string>();
      for (const a of assignments) {
        const holder = a.principalId?.toLowerCase();
        if (holder === undefined || a.appRoleId === undefined) continue;
        // Roles are granted to users, or to groups whose direct members then hold them.
        if (holder === userId.toLowerCase() || (a.principalType === 'Group' && groups.has(holder)))
          roleIds.add(a.appRoleId);
      }
      return (sp.appRoles ?? []).filter((r) => roleIds.has(r.id) && r.value).map((r) => r.value as string);
    } catch (err) {
      throw fromGraphError(err);
    }
  }

  /**
   * Everyone granted a role on Headshot's service principal (`/servicePrincipals/{id}/appRoleAssignedTo`, every
   * page). This needs only Application.Read.All, where a user's own `/users/{id}/appRoleAssignments` needs
   * Directory.Read.All ("List appRoleAssignments granted to a user", Graph permissions table).
   */
  private async assignments(spId: string): Promise<Assignment[]> {
    const all: Assignment[] = [];
    let page = (await this.graph
      .api(`/servicePrincipals/${encodeURIComponent(spId)}/appRoleAssignedTo`)
      .select('appRoleId,principalId,principalType')
      .top(999)
      .get()) as { value?: Assignment[]; '@odata.nextLink'?: string };
    for (;;) {
      all.push(...(page.value ?? []));
      const next = page['@odata.nextLink'];
      if (!next) return all;
      page = (await this.graph.api(next).get()) as typeof page;
    }
  }

  private servicePrincipal(): Promise<ServicePrincipal | null> {
    this.principal ??= (async () => {
      const page = (await this.graph
        .api('/servicePrincipals')
        .filter(`appId eq '${this.appId.replace(/'/g, "''")}'`)
        .select('id,appId,appRoles')
        .get()) as { value?: ServicePrincipal[] };
      return page.value?.[0] ?? null;
    })().catch((err: unknown) => {
      this.principal = undefined;
      throw err;
    });
    return this.principal;
  }
}
