/**
 * Who is a Headshot admin: configured, never hard-coded. Any one of three rules makes
 * someone an admin: their UPN is listed, they are a direct member of the admin group, or
 * they hold the admin app role on Headshot's enterprise app.
 */
import type { DirectoryUser } from '../directory/directory-ports';

/** The configured rules; an empty configuration makes nobody an admin. */
export interface AdminRules {
  /** User principal names (case-insensitive). */
  upns: readonly string[];
  /** An Entra group whose direct members are admins. */
  groupId?: string;
  /** The value of an app role on Headshot's service principal (e.g. `HeadshotAdmin`). */
  appRole?: string;
}

/** What the admin check reads from the directory. */
export interface AdminDirectory {
  /** The user by id or UPN; null when there is none. */
  getUser(idOrUpn: string): Promise<DirectoryUser | null>;
  /** Ids of the groups the user is a direct member of. */
  memberOf(userId: string): Promise<string[]>;
  /** Values of the app roles the user holds on Headshot's own service principal. */
  appRoles(userId: string): Promise<string[]>;
}

/** Answers "is this person an admin?" from configuration and the directory. */
export class AdminPolicy {
  private readonly upns: Set<string>;
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(
    private readonly rules: AdminRules,
    private readonly directory: AdminDirectory,
    private readonly now: () => number = Date.now,
    /** How long an answer is kept (a role removed in Entra ID takes effect after this). */
    private readonly cacheMs = 60_000,
  ) {
    this.upns = new Set(rules.upns.map((u) => u.trim().toLowerCase()).filter(Boolean));
  }

  /** True when any configured rule makes the user (object id or UPN) an admin; directory failures throw. */
  async isAdmin(idOrUpn: string): Promise<boolean> {
    const key = idOrUpn.toLowerCase();
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.admin;
    const admin = await this.check(idOrUpn);
    this.cache.set(key, { admin, until: this.now() + this.cacheMs });
    return admin;
  }

  /** Whether any rule is configured at all. */
  get configured(): boolean {
    return this.upns.size > 0 || !!this.rules.groupId || !!this.rules.appRole;
  }

  private async check(idOrUpn: string): Promise<boolean> {
    if (!this.configured) return false;
    const user = await this.directory.getUser(idOrUpn);
    if (!user || !user.accountEnabled) return false;
    if (this.upns.has(user.userPrincipalName.toLowerCase())) return true;
    if (this.rules.groupId) {
      const groups = await this.directory.memberOf(user.id);
      if (groups.some((g) => g.toLowerCase() === this.rules.groupId?.toLowerCase())) return true;
    }
    if (this.rules.appRole) {
      const roles = await this.directory.appRoles(user.id);
      if (roles.includes(this.rules.appRole)) return true;
    }
    return false;
  }
}
