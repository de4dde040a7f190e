/** Directory on Microsoft Graph: users and managers. */
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { Directory, DirectoryUser } from '../core/directory/directory-ports';
import { fromGraphError } from './graph-errors';

/** The user properties Headshot reads. */
export const USER_SELECT =
  'id,displayName,userPrincipalName,mail,userType,preferredLanguage,onPremisesSyncEnabled,accountEnabled';

/** A Graph user as returned with USER_SELECT. */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  userType?: string | null;
  preferredLanguage?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  accountEnabled?: boolean | null;
}

const isNotFound = (err: unknown): boolean => err instanceof GraphError && err.statusCode === 404;

/** A Graph user in the product's terms. */
export function toUser(u: GraphUser): DirectoryUser {
  return {
    id: u.id,
    displayName: u.displayName ?? u.userPrincipalName ?? u.id,
    userPrincipalName: u.userPrincipalName ?? '',
    mail: u.mail ?? undefined,
    userType: u.userType === 'Guest' ? 'Guest' : 'Member',
    preferredLanguage: u.preferredLanguage ?? undefined,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled === true,
    accountEnabled: u.accountEnabled !== false,
  };
}

/** Reads people through the Graph client (User.Read.All). */
export class GraphDirectory implements Directory {
  constructor(private readonly graph: Client) {}

  async getUser(idOrUpn: string): Promise<DirectoryUser | null> {
    try {
      return toUser(
        await this.graph
          .api(`/users/${encodeURIComponent(idOrUpn)}`)
          .select(USER_SELECT)
          .get(),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      throw fromGraphError(err);
    }
  }

  async getManager(userId: string): Promise<DirectoryUser | null> {
    try {
      return toUser(
        await this.graph
          .api(`/users/${encodeURIComponent(userId)}/manager`)
          .select(USER_SELECT)
          .get(),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      throw fromGraphError(err);
    }
  }
}
