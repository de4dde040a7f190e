/** Local mode's demo sign-in, as the tab's session routes see it (the local tenant's people and tokens). */

/** One of the local tenant's demo people (local mode only). */
export interface DemoPerson {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle?: string;
  /** Has direct reports (sees the Approvals page). */
  isManager: boolean;
  /** Is a Headshot admin under the current rules (sees the Admin page). */
  isAdmin: boolean;
}

/** A token issued by the local tenant for a demo person; use it as the bearer token. */
export interface LocalSignInResult {
  /** Who is signed in. */
  userId: string;
  token: string;
  /** ISO instant. */
  expiresAt: string;
}

/** The demo sign-in of local mode. */
export interface LocalSignIn {
  /** The people one can sign in as. */
  people(): Promise<DemoPerson[]>;
  /** A token for one of them; AppError for someone unknown (404) or disabled (400). */
  signIn(userId: string): Promise<LocalSignInResult>;
}
