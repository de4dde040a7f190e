/**
 * GroupDirectory on Microsoft Graph: `/users/{id}/memberOf`, `/groups/{id}`, `/groups/{id}/members` (GroupMember.Read.All),
 * and the group search admins pick groups with (`/groups?$filter=startswith(displayName,…)`).
 */
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { DirectoryUser } from '../core/directory/directory-ports';
import type { GroupDirectory } from '../core/approval/approval-ports';
import { fromGraphError } from './graph-errors';
import { toUser, USER_SELECT, type GraphUser } from './graph-directory';

/** A group as pickers show it. */
export interface GroupRef {
  id: string;
  displayName: string;
}

/** Pages read at most (999 items each); a group larger than that is not an approvers group. */
const MAX_PAGES = 20;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

type DirectoryObject = { '@odata.type'?: string; id: string } & Partial<GraphUser>;

const isNotFound = (err: unknown): boolean => err instanceof GraphError && err.statusCode === 404;

/** Reads group membership through the Graph client. */
export class GraphGroups implements GroupDirectory {
  constructor(private readonly graph: Client) {}

  async memberOf(userId: string): Promise<string[]> {
    const objects = await this.all(`/users/${encodeURIComponent(userId)}/memberOf?$select=id&$top=999`);
    return objects.filter((o) => o['@odata.type'] === '#microsoft.graph.group').map((o) => o.id);
  }

  async members(groupId: string): Promise<DirectoryUser[]> {
    try {
      const objects = await this.all(`/groups/${encodeURIComponent(groupId)}/members?$select=${USER_SELECT}&$top=999`);
      return objects.filter((o) => o['@odata.type'] === '#microsoft.graph.user').map((o) => toUser(o as GraphUser));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw fromGraphError(err);
    }
  }

  async displayName(groupId: string): Promise<string | null> {
    try {
      const group = (await this.graph
        .api(`/groups/${encodeURIComponent(groupId)}`)
        .select('id,displayName')
        .get()) as { displayName?: string };
      return group.displayName ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw fromGraphError(err);
    }
  }

  /**
   * Groups whose display name starts with `prefix` (Graph's `startswith` filter, case-insensitive), at most
   * `limit`, sorted by name. Group.Read.All.
   */
  async search(prefix: string, limit: number): Promise<GroupRef[]> {
    const quoted = prefix.replace(/'/g, "''");
    try {
      const body = (await this.graph
        .api('/groups')
        .filter(`startswith(displayName,'${quoted}')`)
        .select('id,displayName')
        .top(limit)
        .get()) as Page<{ id: string; displayName?: string | null }>;
      return (body.value ?? [])
        .map((g) => ({ id: g.id, displayName: g.displayName ?? g.id }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
    } catch (err) {
      throw fromGraphError(err);
    }
  }

  private async all(first: string): Promise<DirectoryObject[]> {
    const out: DirectoryObject[] = [];
    let next: string | undefined = first;
    try {
      for (let page = 0; next && page < MAX_PAGES; page++) {
        const body = (await this.graph.api(next).get()) as Page<DirectoryObject>;
        out.push(...(body.value ?? []));
        next = body['@odata.nextLink'];
      }
    } catch (err) {
      if (isNotFound(err)) throw err;
      throw fromGraphError(err);
    }
    return out;
  }
}
