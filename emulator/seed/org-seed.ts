import { z } from 'zod';

/** Where a user's mailbox lives: Exchange Online, nowhere, or an on-premises Exchange server. */
export type MailboxKind = 'online' | 'none' | 'onPremises';

/**
 * How the tenant's SharePoint shows profile pictures: `legacy` copies the Exchange photo into
 * S/M/L thumbnails (at most once per 24 h, when the user views their own profile); `modern`
 * (message MC653734) shows the photo served by Graph.
 */
export type SharePointPictures = 'legacy' | 'modern';

/** Who may change photos in the tenant (Graph beta `photoUpdateSettings`). */
export interface PhotoUpdateSettings {
  /** `cloud`: Graph writes allowed; `onPremises`: photos are managed in on-premises AD. */
  source: 'cloud' | 'onPremises';
  /**
   * Microsoft Entra directory roles allowed to update photos, as role template ids (e.g. User Administrator
   * `fe930be7-5e62-47db-91af-98c3a49a38b1`); empty means everyone may update their own.
   */
  allowedRoles: string[];
}

/** One user of the seeded organisation (a JSON-friendly subset of a Graph user plus emulator facts). */
export interface SeedUser {
  /** Object id (a GUID in Entra ID; the seed accepts any string, so older seeds keep loading). */
  id: string;
  /** userPrincipalName. */
  upn: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userType: 'Member' | 'Guest';
  /** BCP 47 tag such as `fi-FI`. */
  preferredLanguage: string | null;
  accountEnabled: boolean;
  /** True for hybrid users synced from on-premises AD (Graph shows `null` when false). */
  onPremisesSyncEnabled: boolean;
  mailbox: MailboxKind;
  /** Id of this user's manager. */
  managerId?: string;
  /** App roles assigned to the user on the seed's apps (e.g. `HeadshotAdmin`). */
  roles?: string[];
  /** Microsoft Entra directory roles the user holds, as role template ids (what photoUpdateSettings.allowedRoles lists). */
  directoryRoles?: string[];
  /** Whether the user holds a Microsoft 365 licence (defaults to true for members with a mailbox). */
  licensed?: boolean;
  jobTitle?: string | null;
  /** The user's department (Graph `department`), for reports per department. */
  department?: string | null;
  /** The HR system's id of the person (Graph `employeeId`), what photo files from HR are often named after. */
  employeeId?: string | null;
  /** Windows time zone name returned by mailboxSettings (derived from the language when absent). */
  timeZone?: string;
  /**
   * The working hours mailboxSettings returns, in the mailbox's time zone (Outlook's default when absent: Monday to
   * Friday, 08:00 to 17:00). Times as Graph writes them ("08:00:00.0000000").
   */
  workingHours?: { daysOfWeek: string[]; startTime: string; endTime: string };
  /**
   * Hybrid only: the on-premises AD `thumbnailPhoto` attribute, by size: the local tenant makes a
   * 96x96 JPEG of exactly that many bytes, and the first directory sync takes it to Entra ID (and,
   * once and only if it is 10 KB or less, to Exchange Online).
   */
  onPremisesThumbnailPhoto?: { bytes: number };
  /** A generated placeholder portrait to install at seed time (square, solid colour with a gradient). */
  photo?: { size: number; color: string };
}

/** A security or Microsoft 365 group (direct members only). */
export interface SeedGroup {
  id: string;
  displayName: string;
  /**
   * Ids of direct members: users, groups of the seed, or an app's service principal; other ids are ignored (a seed
   * derived by removing users stays valid).
   */
  memberIds: string[];
}

/** An app in the tenant's Teams app catalog (what `/users/{id}/teamwork/installedApps` can install). */
export interface SeedTeamsApp {
  /** The catalog id (`teamsApp@odata.bind` points at `appCatalogs/teamsApps/{id}`). */
  id: string;
  /** The manifest id. */
  externalId: string;
  displayName: string;
}

/** An app registration that may obtain client-credential tokens. */
export interface SeedApp {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Microsoft Graph application permissions granted with admin consent (a Graph token's `roles`). */
  roles: string[];
  /** SharePoint Online application permissions (a SharePoint token's `roles`); none by default. */
  sharePointRoles?: string[];
}

/** The whole organisation the local tenant serves; accepted as JSON by `POST /_control/seed`. */
export interface OrgSeed {
  tenantId: string;
  /** Primary verified domain, e.g. `example.com`. */
  domain: string;
  displayName?: string;
  users: SeedUser[];
  /** Registered apps; defaults to the demo app alone. */
  apps?: SeedApp[];
  /** Tenant photo policy; defaults to `{ source: 'cloud', allowedRoles: [] }`. */
  photoUpdateSettings?: PhotoUpdateSettings;
  /** How SharePoint shows pictures; defaults to `modern` (SharePoint Online since MC653734); `legacy` for tenants not yet moved. */
  sharePointPictures?: SharePointPictures;
  /** Groups; defaults to none. */
  groups?: SeedGroup[];
  /** The Teams app catalog; defaults to none (nothing can be installed). */
  teamsApps?: SeedTeamsApp[];
  /** Devices registered in Entra ID (they can be group members, as in a real tenant); defaults to none. */
  devices?: SeedDevice[];
}

/** A device registered in Entra ID. */
export interface SeedDevice {
  /** Object id. */
  id: string;
  displayName: string;
  operatingSystem: string;
}

const timeOfDay = z.string().regex(/^\d{2}:\d{2}:\d{2}(\.\d{7})?$/);
const workingHoursSchema = z.object({
  daysOfWeek: z.array(z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'])),
  startTime: timeOfDay,
  endTime: timeOfDay,
});

/** A change of a user's mailbox time zone and working hours (a control route's body). */
export const mailboxHoursPatchSchema = z
  .object({ timeZone: z.string().min(1).max(100), workingHours: workingHoursSchema })
  .partial()
  .strict();

const seedUserSchema = z.object({
  id: z.string().min(1),
  upn: z.string().min(3),
  displayName: z.string().min(1),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  mail: z.string().nullable(),
  userType: z.enum(['Member', 'Guest']),
  preferredLanguage: z.string().nullable(),
  accountEnabled: z.boolean(),
  onPremisesSyncEnabled: z.boolean(),
  mailbox: z.enum(['online', 'none', 'onPremises']),
  managerId: z.string().optional(),
  roles: z.array(z.string()).optional(),
  directoryRoles: z.array(z.string().uuid()).optional(),
  licensed: z.boolean().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  employeeId: z.string().max(16).nullable().optional(),
  timeZone: z.string().optional(),
  workingHours: workingHoursSchema.optional(),
  onPremisesThumbnailPhoto: z.object({ bytes: z.number().int().nonnegative() }).optional(),
  photo: z
    .object({ size: z.number().int().min(48).max(4096), color: z.string().regex(/^#[0-9a-fA-F]{6}$/) })
    .optional(),
});

const photoUpdateSettingsSchema = z.object({
  source: z.enum(['cloud', 'onPremises']),
  allowedRoles: z.array(z.string()),
});

/** zod schema for `OrgSeed`; referential checks (unique ids, known managers) are in `checkSeed`. */
const orgSeedSchema: z.ZodType<OrgSeed> = z.object({
  tenantId: z.string().min(1),
  domain: z.string().min(1),
  displayName: z.string().optional(),
  users: z.array(seedUserSchema),
  apps: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        displayName: z.string(),
        roles: z.array(z.string()),
        sharePointRoles: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  photoUpdateSettings: photoUpdateSettingsSchema.optional(),
  sharePointPictures: z.enum(['legacy', 'modern']).optional(),
  groups: z
    .array(z.object({ id: z.string().min(1), displayName: z.string().min(1), memberIds: z.array(z.string()) }))
    .optional(),
  devices: z
    .array(z.object({ id: z.string().min(1), displayName: z.string().min(1), operatingSystem: z.string().min(1) }))
    .optional(),
  teamsApps: z
    .array(z.object({ id: z.string().min(1), externalId: z.string().min(1), displayName: z.string().min(1) }))
    .optional(),
});

/** Schema for a PATCH of the photo policy (both fields optional). */
export const photoUpdateSettingsPatchSchema = photoUpdateSettingsSchema.partial();

/** Validates shape and references of a seed; returns the list of problems (empty when valid). */
export function checkSeed(input: unknown): { seed: OrgSeed; problems: [] } | { seed: null; problems: string[] } {
  const parsed = orgSeedSchema.safeParse(input);
  if (!parsed.success) {
    return { seed: null, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const seed = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  const upns = new Set<string>();
  for (const u of seed.users) {
    if (ids.has(u.id.toLowerCase())) problems.push(`users: duplicate id ${u.id}`);
    if (upns.has(u.upn.toLowerCase())) problems.push(`users: duplicate upn ${u.upn}`);
    ids.add(u.id.toLowerCase());
    upns.add(u.upn.toLowerCase());
  }
  for (const u of seed.users) {
    if (u.managerId !== undefined && !ids.has(u.managerId.toLowerCase())) {
      problems.push(`users: ${u.id} has unknown managerId ${u.managerId}`);
    }
    if (u.managerId !== undefined && u.managerId.toLowerCase() === u.id.toLowerCase()) {
      problems.push(`users: ${u.id} is their own manager`);
    }
  }
  const groupIds = new Set<string>();
  for (const g of seed.groups ?? []) {
    if (groupIds.has(g.id.toLowerCase()) || ids.has(g.id.toLowerCase())) problems.push(`groups: duplicate id ${g.id}`);
    groupIds.add(g.id.toLowerCase());
  }
  return problems.length > 0 ? { seed: null, problems } : { seed, problems: [] };
}
