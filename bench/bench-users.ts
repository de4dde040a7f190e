/** The people of a benchmark's local tenant: members with an Exchange Online mailbox, named by their number. */
import type { SeedUser } from '../emulator';

/** `count` members (`user-<id(i)>`, `user<i>@bench.test`), each changed by `extra` (a photo, a language). */
export function benchUsers(
  count: number,
  extra: (i: number) => Partial<SeedUser> = () => ({}),
  id: (i: number) => string = String,
): SeedUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `user-${id(i)}`,
    upn: `user${i}@bench.test`,
    displayName: `User ${i}`,
    givenName: null,
    surname: null,
    mail: `user${i}@bench.test`,
    userType: 'Member',
    preferredLanguage: 'en-US',
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    mailbox: 'online',
    ...extra(i),
  }));
}
