/**
 * RoleResolver for tab routes: "manager of" from the target's manager in the directory,
 * "admin" from the admin policy (configured UPNs, admin group, app role: core/admin).
 */
import type { Directory } from '../core/directory/directory-ports';
import type { RoleResolver } from '../core/admin/role-resolver';

/** Answers "is this person an admin?" (core/admin's AdminPolicy). */
export interface AdminCheck {
  isAdmin(userId: string): Promise<boolean>;
}

/** RoleResolver on the Directory port and the admin policy. */
export class GraphRoleResolver implements RoleResolver {
  constructor(
    private readonly directory: Directory,
    private readonly admins: AdminCheck,
  ) {}

  async isManagerOf(callerId: string, userId: string): Promise<boolean> {
    const manager = await this.directory.getManager(userId);
    return manager !== null && manager.id.toLowerCase() === callerId.toLowerCase();
  }

  isAdmin(callerId: string): Promise<boolean> {
    return this.admins.isAdmin(callerId);
  }
}
