/** A caller authenticated by a local-tenant token. */
export type Principal =
  | { kind: 'app'; appId: string; roles: readonly string[] }
  | { kind: 'user'; appId: string; userId: string; scopes: readonly string[] };

/** The Graph operations whose permissions the emulator checks. */
export type GraphOperation =
  | 'user.read'
  | 'user.list'
  | 'photo.read'
  | 'photo.write'
  | 'mailboxSettings.read'
  | 'peopleSettings.read'
  | 'peopleSettings.write'
  | 'user.memberOf'
  | 'group.read'
  | 'teamsApp.read'
  | 'teamsApp.install'
  | 'application.read'
  | 'user.appRoleAssignments';

interface Rule {
  /** Application permissions (token `roles`) that allow the operation on anyone. */
  app: readonly string[];
  /** Delegated scopes that allow it on the signed-in user. */
  self: readonly string[];
  /** Delegated scopes that allow it on someone else (or tenant-wide). */
  other: readonly string[];
}

const READ_ALL = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** `…SelfForUser…` installs only the calling app itself (checked by the route). */
const TEAMS_APP_INSTALL = [
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
];

// Least-privilege tables from the Graph permission reference for each API.
const RULES: Record<GraphOperation, Rule> = {
  'user.read': {
    app: [...READ_ALL, 'User.ReadBasic.All'],
    self: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', ...READ_ALL],
    other: ['User.ReadBasic.All', ...READ_ALL],
  },
  'user.list': { app: [...READ_ALL, 'User.ReadBasic.All'], self: [], other: ['User.ReadBasic.All', ...READ_ALL] },
  'photo.read': {
    app: ['ProfilePhoto.Read.All', 'ProfilePhoto.ReadWrite.All', ...READ_ALL],
    self: [
      'User.Read',
      'User.ReadWrite',
      'User.ReadBasic.All',
      'ProfilePhoto.Read.All',
      'ProfilePhoto.ReadWrite.All',
      ...READ_ALL,
    ],
    other: ['User.ReadBasic.All', 'ProfilePhoto.Read.All', 'ProfilePhoto.ReadWrite.All', ...READ_ALL],
  },
  'photo.write': {
    app: ['ProfilePhoto.ReadWrite.All', 'User.ReadWrite.All'],
    self: ['User.ReadWrite', 'User.ReadWrite.All'],
    other: [],
  },
  'mailboxSettings.read': {
    app: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    self: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    other: [],
  },
  'peopleSettings.read': {
    app: ['PeopleSettings.Read.All', 'PeopleSettings.ReadWrite.All'],
    self: [],
    other: ['PeopleSettings.Read.All', 'PeopleSettings.ReadWrite.All'],
  },
  'peopleSettings.write': { app: ['PeopleSettings.ReadWrite.All'], self: [], other: ['PeopleSettings.ReadWrite.All'] },
  'user.memberOf': {
    app: [...READ_ALL, ...GROUP_READ],
    self: ['User.Read', ...GROUP_READ, ...READ_ALL],
    other: [...GROUP_READ, ...READ_ALL],
  },
  'group.read': { app: GROUP_READ, self: [], other: GROUP_READ },
  'teamsApp.read': {
    app: ['TeamsAppInstallation.ReadForUser.All', ...TEAMS_APP_INSTALL],
    self: [
      'TeamsAppInstallation.ReadForUser',
      'TeamsAppInstallation.ReadWriteSelfForUser',
      'TeamsAppInstallation.ReadWriteForUser',
    ],
    other: [],
  },
  // "List servicePrincipals" and "List appRoleAssignedTo": Application.Read.All is the least privileged.
  'application.read': {
    app: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    self: [],
    other: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
  // "List appRoleAssignments granted to a user": Directory.Read.All for an app (User.Read.All is not enough).
  'user.appRoleAssignments': {
    app: ['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All', 'Directory.ReadWrite.All'],
    self: ['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All'],
    other: ['Directory.Read.All', 'AppRoleAssignment.ReadWrite.All'],
  },
  'teamsApp.install': {
    app: TEAMS_APP_INSTALL,
    self: ['TeamsAppInstallation.ReadWriteSelfForUser', 'TeamsAppInstallation.ReadWriteForUser'],
    other: [],
  },
};

/** Whether `principal` may perform `op` on the user `targetUserId` (undefined for tenant-wide operations). */
export function isAllowed(principal: Principal, op: GraphOperation, targetUserId?: string): boolean {
  const rule = RULES[op];
  if (principal.kind === 'app') return principal.roles.some((r) => rule.app.includes(r));
  const self = targetUserId !== undefined && targetUserId.toLowerCase() === principal.userId.toLowerCase();
  const granted = self ? [...rule.self, ...rule.other] : rule.other;
  return principal.scopes.some((s) => granted.includes(s));
}
