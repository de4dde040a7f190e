/**
 * AdminDirectory on Microsoft Graph: the user (`/users/{id}`), direct groups (`memberOf`) and
 * the app roles the user holds on Headshot's own service principal
 * (`/users/{id}/appRoleAssignments`, role ids mapped to values through `/servicePrincipals`).
 */
import { Client } from '@microsoft/microsoft-graph-client';
import type { DirectoryUser } from '../core/directory/directory-ports';
import type { AdminDirectory } from '../core/admin/admin-policy';
import { GraphDirectory } from './graph-directory';
import { fromGraphError } from './graph-errors';
import { GraphGroups } from './graph-groups';

interface ServicePrincipal {
  id: string;
  appRoles?: Array<{ id: string; value?: string | null }>;
}

/** Reads what the admin check needs (User.Read.All, GroupMember.Read.All, Application.Read.All). */
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
      const page = (await this.graph
        .api(`/users/${encodeURIComponent(userId)}/appRoleAssignments`)
        .filter(`resourceId eq ${sp.id}`)
        .get()) as { value?: Array<{ appRoleId?: string; resourceId?: string }> };
      const ids = new Set((page.value ?? []).filter((a) => a.resourceId === sp.id).map((a) => a.appRoleId));
      return (sp.appRoles ?? []).filter((r) => ids.has(r.id) && r.value).map((r) => r.value as string);
    } catch (err) {
      throw fromGraphError(err);
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
