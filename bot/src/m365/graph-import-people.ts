/** Everyone an import can match (core/import/import-matching.ts), 999 a page from Microsoft Graph (User.Read.All). */
import { Client } from '@microsoft/microsoft-graph-client';
import type { ImportPeopleSource } from '../core/import/import-ports';
import type { MatchablePerson } from '../core/import/import-matching';
import { fromGraphError } from './graph-errors';
import { relativeNextLink } from './graph-audience';

const SELECT = 'id,displayName,userPrincipalName,mail,employeeId,givenName,surname,userType,accountEnabled';

interface Row {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  employeeId?: string | null;
  givenName?: string | null;
  surname?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
}

const toPerson = (u: Row): MatchablePerson => ({
  id: u.id,
  userPrincipalName: u.userPrincipalName ?? '',
  displayName: u.displayName ?? u.userPrincipalName ?? u.id,
  ...(u.mail ? { mail: u.mail } : {}),
  ...(u.employeeId ? { employeeId: u.employeeId } : {}),
  ...(u.givenName ? { givenName: u.givenName } : {}),
  ...(u.surname ? { surname: u.surname } : {}),
  userType: u.userType === 'Guest' ? 'Guest' : 'Member',
  accountEnabled: u.accountEnabled !== false,
});

/** The tenant's users, with the properties file names are matched against. */
export class GraphImportPeople implements ImportPeopleSource {
  /** `lowPriority`: the reads of a bulk import can wait behind people's own requests. */
  constructor(
    private readonly graph: Client,
    private readonly lowPriority = true,
  ) {}

  async *people(): AsyncIterable<MatchablePerson[]> {
    let next: string | undefined = `/users?$select=${SELECT}&$top=999`;
    while (next) {
      let body: { value?: Row[]; '@odata.nextLink'?: string };
      try {
        const request = this.graph.api(next);
        body = (await (
          this.lowPriority ? request.header('x-ms-throttle-priority', 'low') : request
        ).get()) as typeof body;
      } catch (err) {
        throw fromGraphError(err);
      }
      yield (body.value ?? [])
        .filter((o) => !o['@odata.type'] || o['@odata.type'] === '#microsoft.graph.user')
        .map(toPerson);
      next = relativeNextLink(body['@odata.nextLink']);
    }
  }
}
