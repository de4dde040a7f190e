import type { OrgSeed, PhotoUpdateSettings, SeedApp, SeedUser } from '../seed/org-seed';

/** The tenant's directory (Entra ID stand-in): users, app registrations and the photo policy. */
export class Directory {
  readonly tenantId: string;
  readonly domain: string;
  readonly users: readonly SeedUser[];
  readonly apps: readonly SeedApp[];
  photoPolicy: PhotoUpdateSettings;
  private readonly byId = new Map<string, SeedUser>();
  private readonly byUpn = new Map<string, SeedUser>();

  constructor(seed: OrgSeed, defaultApps: readonly SeedApp[]) {
    this.tenantId = seed.tenantId;
    this.domain = seed.domain;
    this.users = seed.users.map((u) => ({ ...u }));
    this.apps = (seed.apps ?? defaultApps).map((a) => ({ ...a, roles: [...a.roles] }));
    this.photoPolicy = { ...(seed.photoUpdateSettings ?? { source: 'cloud', allowedRoles: [] }) };
    for (const u of this.users) {
      this.byId.set(u.id.toLowerCase(), u);
      this.byUpn.set(u.upn.toLowerCase(), u);
    }
  }

  /** Finds a user by object id or userPrincipalName (case-insensitive, as Graph does). */
  find(idOrUpn: string): SeedUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  /** The user's manager, if any. */
  managerOf(user: SeedUser): SeedUser | undefined {
    return user.managerId === undefined ? undefined : this.find(user.managerId);
  }

  /** Users whose manager is `user`, in seed order. */
  directReportsOf(user: SeedUser): SeedUser[] {
    return this.users.filter((u) => u.managerId !== undefined && u.managerId.toLowerCase() === user.id.toLowerCase());
  }

  /** Finds an app registration by client id. */
  findApp(clientId: string): SeedApp | undefined {
    return this.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  }
}
