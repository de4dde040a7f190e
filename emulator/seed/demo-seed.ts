import { servicePrincipalId } from '../state/object-ids';
import type { OrgSeed, SeedApp } from './org-seed';

/** The demo tenant id (a GUID, as every Entra object id; the Agents Playground is configured with it). */
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-000000000001';

/** The demo app registration: the product's own client credentials in local mode. */
export const DEMO_APP = {
  clientId: '00000000-0000-4000-8000-000000000011',
  clientSecret: 'local-tenant-dev-secret',
} as const;

/** Microsoft Graph application permissions consented for the demo app. */
export const DEMO_APP_ROLES: readonly string[] = [
  'User.Read.All',
  'ProfilePhoto.ReadWrite.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  // Group membership, for approval policies by group and the approvers group.
  'GroupMember.Read.All',
  'PeopleSettings.Read.All',
  'MailboxSettings.Read',
  // The admin app-role rule: Headshot's service principal and who holds its roles (appRoleAssignedTo).
  'Application.Read.All',
];

/** SharePoint Online application permissions consented for the demo app: profile properties and the pictures library. */
const DEMO_APP_SHAREPOINT_ROLES: readonly string[] = ['Sites.FullControl.All', 'User.ReadWrite.All'];

/** Headshot's id in the demo tenant's Teams app catalog (what Graph installs for a user). */
export const DEMO_TEAMS_APP_ID = '7c1e5f1a-3b0d-4c54-9d2e-0a1f6c9b8e01';

/** Entra's User Administrator role template id (Patti holds it: photo policies can name it in allowedRoles). */
export const USER_ADMINISTRATOR_ROLE = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

/** Object ids of the demo groups. */
export const DEMO_GROUPS = {
  marketing: '00000000-0000-4000-8000-000000000040',
  sales: '00000000-0000-4000-8000-000000000041',
  approvers: '00000000-0000-4000-8000-000000000042',
} as const;

/** A shared kiosk PC registered in Entra ID, a member of the approvers group (as devices can be). */
const DEMO_DEVICE = '00000000-0000-4000-8000-000000000050';

/** Object ids of the demo users, by first name (Alex is the Agents Playground's signed-in user). */
export const DEMO_USERS = {
  alex: '00000000-0000-4000-8000-000000000020',
  megan: '00000000-0000-4000-8000-000000000021',
  adele: '00000000-0000-4000-8000-000000000022',
  isaiah: '00000000-0000-4000-8000-000000000023',
  patti: '00000000-0000-4000-8000-000000000024',
  lynne: '00000000-0000-4000-8000-000000000025',
  jordan: '00000000-0000-4000-8000-000000000026',
  henrietta: '00000000-0000-4000-8000-000000000027',
  grady: '00000000-0000-4000-8000-000000000028',
} as const;

/** The demo app as a seed entry. */
export const DEMO_APP_SEED: SeedApp = {
  clientId: DEMO_APP.clientId,
  clientSecret: DEMO_APP.clientSecret,
  displayName: 'Headshot (local)',
  roles: [...DEMO_APP_ROLES],
  sharePointRoles: [...DEMO_APP_SHAREPOINT_ROLES],
};

/** Builds the demo organisation: every mailbox kind, a guest, a hybrid user, a disabled user, one photo. */
export function demoSeed(): OrgSeed {
  const U = DEMO_USERS;
  const member = { userType: 'Member' as const, accountEnabled: true, onPremisesSyncEnabled: false, licensed: true };
  return {
    tenantId: DEMO_TENANT_ID,
    domain: 'example.com',
    displayName: 'Example (local tenant)',
    apps: [DEMO_APP_SEED],
    photoUpdateSettings: { source: 'cloud', allowedRoles: [] },
    teamsApps: [{ id: DEMO_TEAMS_APP_ID, externalId: '00000000-0000-4000-8000-000000000011', displayName: 'Headshot' }],
    devices: [{ id: DEMO_DEVICE, displayName: 'Reception kiosk', operatingSystem: 'Windows' }],
    groups: [
      { id: DEMO_GROUPS.marketing, displayName: 'Marketing', memberIds: [U.alex, U.megan, U.adele] },
      { id: DEMO_GROUPS.sales, displayName: 'Sales', memberIds: [U.isaiah, U.grady] },
      // Who approves photos of people without a manager (Patti), and the last escalation step.
      // As in a real tenant, a group's members are directory objects: here also a nested group, a device and an app.
      {
        id: DEMO_GROUPS.approvers,
        displayName: 'Photo approvers',
        memberIds: [U.patti, U.megan, DEMO_GROUPS.sales, DEMO_DEVICE, servicePrincipalId(DEMO_APP.clientId)],
      },
    ],
    users: [
      {
        ...member,
        id: U.alex,
        upn: 'alexw@example.com',
        employeeId: 'E1001',
        displayName: 'Alex Wilber',
        givenName: 'Alex',
        surname: 'Wilber',
        mail: 'alexw@example.com',
        preferredLanguage: 'en-US',
        mailbox: 'online',
        managerId: U.megan,
        jobTitle: 'Marketing Assistant',
        department: 'Marketing',
      },
      {
        ...member,
        id: U.megan,
        upn: 'meganb@example.com',
        employeeId: 'E1002',
        displayName: 'Megan Bowen',
        givenName: 'Megan',
        surname: 'Bowen',
        mail: 'meganb@example.com',
        preferredLanguage: 'fi-FI',
        mailbox: 'online',
        managerId: U.patti,
        jobTitle: 'Marketing Manager',
        department: 'Marketing',
        photo: { size: 648, color: '#6b4fbb' },
      },
      {
        ...member,
        id: U.adele,
        upn: 'adelev@example.com',
        employeeId: 'E1003',
        displayName: 'Adele Vance',
        givenName: 'Adele',
        surname: 'Vance',
        mail: 'adelev@example.com',
        preferredLanguage: 'nl-NL',
        mailbox: 'online',
        managerId: U.megan,
        jobTitle: 'Retail Manager',
        department: 'Retail',
      },
      {
        ...member,
        id: U.isaiah,
        upn: 'isaiahl@example.com',
        employeeId: 'E1004',
        displayName: 'Isaiah Langer',
        givenName: 'Isaiah',
        surname: 'Langer',
        mail: 'isaiahl@example.com',
        preferredLanguage: 'pl-PL',
        mailbox: 'online',
        managerId: U.megan,
        jobTitle: 'Sales Rep',
        department: 'Sales',
        onPremisesSyncEnabled: true,
        onPremisesThumbnailPhoto: { bytes: 9_216 },
      },
      {
        ...member,
        id: U.patti,
        upn: 'pattif@example.com',
        employeeId: 'E1005',
        displayName: 'Patti Fernandez',
        givenName: 'Patti',
        surname: 'Fernandez',
        mail: 'pattif@example.com',
        preferredLanguage: 'en-US',
        mailbox: 'online',
        jobTitle: 'President',
        department: 'Executive Management',
        roles: ['HeadshotAdmin'],
        directoryRoles: [USER_ADMINISTRATOR_ROLE],
      },
      {
        ...member,
        id: U.lynne,
        upn: 'lynner@example.com',
        employeeId: 'E1006',
        displayName: 'Lynne Robbins',
        givenName: 'Lynne',
        surname: 'Robbins',
        mail: 'lynner@example.com',
        preferredLanguage: 'fi-FI',
        mailbox: 'none',
        managerId: U.patti,
        jobTitle: 'Planner',
        department: 'Retail',
        licensed: false,
      },
      {
        id: U.jordan,
        upn: 'jordan_contoso.com#EXT#@example.com',
        displayName: 'Jordan Miller (Contoso)',
        givenName: 'Jordan',
        surname: 'Miller',
        mail: 'jordan@contoso.com',
        userType: 'Guest',
        preferredLanguage: 'nl-NL',
        accountEnabled: true,
        onPremisesSyncEnabled: false,
        mailbox: 'none',
        licensed: false,
      },
      {
        ...member,
        id: U.henrietta,
        upn: 'henriettam@example.com',
        employeeId: 'E1008',
        displayName: 'Henrietta Mueller',
        givenName: 'Henrietta',
        surname: 'Mueller',
        mail: 'henriettam@example.com',
        preferredLanguage: 'pl-PL',
        mailbox: 'online',
        managerId: U.patti,
        jobTitle: 'Developer',
        department: 'Research & Development',
        accountEnabled: false,
      },
      {
        ...member,
        id: U.grady,
        upn: 'gradya@example.com',
        employeeId: 'E1009',
        displayName: 'Grady Archie',
        givenName: 'Grady',
        surname: 'Archie',
        mail: 'gradya@example.com',
        preferredLanguage: 'en-US',
        // An on-premises mailbox means an on-premises account, synced to Entra ID (hybrid).
        onPremisesSyncEnabled: true,
        mailbox: 'onPremises',
        managerId: U.patti,
        jobTitle: 'Designer',
        department: 'Research & Development',
      },
    ],
  };
}
