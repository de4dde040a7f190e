import { badRequest } from '../http/graph-error';
import type { SeedUser } from '../seed/org-seed';
import { USER_PROPERTY_TYPES } from './user-properties';

/** A Graph `user` resource as JSON. */
export type GraphUserJson = Record<string, unknown>;

/** Graph's root for `@odata.context` values (real Graph always names its own host). */
export const GRAPH_METADATA = (version: string): string => `https://graph.microsoft.com/${version}/$metadata`;

// Microsoft 365 E3; only its presence matters to the product.
const LICENSE_SKU = '05e9a617-0261-4cee-bb44-138d3ef5d965';

/** Values the seed knows; every other property of the user type has the value Graph gives when it is unset. */
const KNOWN: Record<string, (u: SeedUser) => unknown> = {
  id: (u) => u.id,
  displayName: (u) => u.displayName,
  givenName: (u) => u.givenName,
  jobTitle: (u) => u.jobTitle ?? null,
  department: (u) => u.department ?? null,
  employeeId: (u) => u.employeeId ?? null,
  mail: (u) => u.mail,
  mailNickname: (u) => u.upn.split('@')[0] ?? null,
  preferredLanguage: (u) => u.preferredLanguage,
  surname: (u) => u.surname,
  userPrincipalName: (u) => u.upn,
  userType: (u) => u.userType,
  accountEnabled: (u) => u.accountEnabled,
  onPremisesSyncEnabled: (u) => (u.onPremisesSyncEnabled ? true : null),
  assignedLicenses: (u) => (isLicensed(u) ? [{ disabledPlans: [], skuId: LICENSE_SKU }] : []),
  usageLocation: (u) => (u.preferredLanguage === null ? null : (u.preferredLanguage.split('-')[1] ?? null)),
  // Graph's answers for a user whose birthday and hire date were never set, and the default enrolment limit.
  birthday: () => '0001-01-01T00:00:00Z',
  hireDate: () => '0001-01-01T00:00:00Z',
  deviceEnrollmentLimit: () => 5,
};

/** Every property of `microsoft.graph.user` (user-properties.ts): the seed's value, else [] for collections, else null. */
const PROPERTIES: Record<string, (u: SeedUser) => unknown> = Object.fromEntries(
  USER_PROPERTY_TYPES.map(([name, type]) => [
    name,
    KNOWN[name] ?? (type.startsWith('Collection(') ? () => [] : () => null),
  ]),
);

/** Graph v1.0's default property set: what a user read returns without `$select`. */
const DEFAULT_USER_PROPERTIES: readonly string[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Whether the user holds a licence (members with a cloud mailbox by default). */
function isLicensed(u: SeedUser): boolean {
  return u.licensed ?? (u.userType === 'Member' && u.mailbox === 'online');
}

/** Parses `$select` (case-insensitive property names); `undefined` means the default set. Throws 400 on unknown names. */
export function parseSelect(select: string | undefined): string[] | undefined {
  if (select === undefined || select.trim() === '') return undefined;
  const known = Object.keys(PROPERTIES);
  return select.split(',').map((raw) => {
    const name = raw.trim();
    const match = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (match === undefined)
      throw badRequest(
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.user'.`,
      );
    return match;
  });
}

/** Renders a user with the selected properties, in Graph's property names. */
export function userJson(u: SeedUser, select: readonly string[] | undefined): GraphUserJson {
  const out: GraphUserJson = {};
  for (const name of select ?? DEFAULT_USER_PROPERTIES) out[name] = (PROPERTIES[name] as (u: SeedUser) => unknown)(u);
  return out;
}

/** The value of one property as Graph would return it (for `$filter`). */
export function userProperty(u: SeedUser, name: string): unknown {
  const key = Object.keys(PROPERTIES).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (PROPERTIES[key] as (u: SeedUser) => unknown)(u);
}

/** The `@odata.context` for users, e.g. `...$metadata#users(displayName,mail)/$entity`. */
export function usersContext(version: string, select: readonly string[] | undefined, entity: boolean): string {
  const sel = select === undefined ? '' : `(${select.join(',')})`;
  return `${GRAPH_METADATA(version)}#users${sel}${entity ? '/$entity' : ''}`;
}
