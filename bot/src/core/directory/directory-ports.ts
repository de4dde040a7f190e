/** People in the directory, as the product needs them. */

/** A person in the directory, as the product needs them. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  userType: 'Member' | 'Guest';
  preferredLanguage?: string;
  onPremisesSyncEnabled: boolean;
  accountEnabled: boolean;
}

/** Reads people from the directory (Graph). */
export interface Directory {
  /** The user by object id or UPN; null when there is none. */
  getUser(idOrUpn: string): Promise<DirectoryUser | null>;
  /** The user's manager; null when they have none. */
  getManager(userId: string): Promise<DirectoryUser | null>;
}

/** Where a user's mailbox lives: Exchange Online, nowhere (unlicensed, guest), or on-premises Exchange. */
export type MailboxKind = 'online' | 'none' | 'onPremises';
