import { createHash } from 'node:crypto';

/** A stable GUID (8-4-4-4-12, version 4 and variant bits set) for a name: service principals, app roles, subjects. */
export function stableGuid(kind: string, name: string): string {
  const h = createHash('sha256').update(`${kind}:${name.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The object id of an app registration's service principal in the tenant (what `oid` carries in its app tokens). */
export function servicePrincipalId(clientId: string): string {
  return stableGuid('sp', clientId);
}
