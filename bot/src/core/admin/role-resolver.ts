/** Who may act on whom: the questions the tab's route rules ask about a caller. */

/** Answers role questions about a caller (Graph manager chain, admin group). */
export interface RoleResolver {
  isManagerOf(callerId: string, userId: string): Promise<boolean>;
  isAdmin(callerId: string): Promise<boolean>;
}
