import type { OrgSeed, SeedApp, SeedDevice, SeedGroup, SeedTeamsApp, SeedUser } from '../seed/org-seed';
import { PhotoPolicy } from './photo-policy';

/** The tenant's directory (Entra ID stand-in): users, app registrations and the photo policy. */
export class Directory {
  readonly tenantId: string;
  readonly domain: string;
  readonly users: readonly SeedUser[];
  readonly apps: readonly SeedApp[];
  readonly groups: readonly SeedGroup[];
  /** The Teams app catalog. */
  readonly teamsApps: readonly SeedTeamsApp[];
  /** Devices registered in the directory. */
  readonly devices: readonly SeedDevice[];
  /** The tenant photo policy: saved settings, and the ones in force after propagation. */
  readonly photoPolicy: PhotoPolicy;
  private readonly byId = new Map<string, SeedUser>();
  private readonly byUpn = new Map<string, SeedUser>();

  constructor(seed: OrgSeed, defaultApps: readonly SeedApp[]) {
    this.tenantId = seed.tenantId;
    this.domain = seed.domain;
    this.users = seed.users.map((u) => ({ ...u }));
    this.apps = (seed.apps ?? defaultApps).map((a) => ({
      ...a,
      roles: [...a.roles],
      ...(a.sharePointRoles ? { sharePointRoles: [...a.sharePointRoles] } : {}),
    }));
    this.photoPolicy = new PhotoPolicy(seed.photoUpdateSettings ?? { source: 'cloud', allowedRoles: [] });
    this.groups = (seed.groups ?? []).map((g) => ({ ...g, memberIds: [...g.memberIds] }));
    this.teamsApps = (seed.teamsApps ?? []).map((a) => ({ ...a }));
    this.devices = (seed.devices ?? []).map((d) => ({ ...d }));
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

  /** Finds a group by id (case-insensitive). */
  findGroup(id: string): SeedGroup | undefined {
    return this.groups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  }

  /** The groups `user` is a direct member of, in seed order. */
  groupsOf(user: SeedUser): SeedGroup[] {
    return this.groups.filter((g) => g.memberIds.some((m) => m.toLowerCase() === user.id.toLowerCase()));
  }

  /** The users among a group's members, in member order. */
  membersOf(group: SeedGroup): SeedUser[] {
    return group.memberIds.map((m) => this.find(m)).filter((u): u is SeedUser => u !== undefined);
  }

  /** Finds an app registration by client id. */
  findApp(clientId: string): SeedApp | undefined {
    return this.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  }
}
