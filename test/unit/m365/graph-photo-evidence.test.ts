/**
 * Telling an on-premises mailbox from none: Microsoft 365 answers `MailboxNotEnabledForRESTAPI` for both, so the
 * user's own properties decide (a member synced from on-premises AD with a mail address has an on-premises mailbox).
 */
import type { DirectoryUser } from '../../../bot/src/core/directory/directory-ports';
import { withoutExchangeOnline } from '../../../bot/src/m365/graph-photo-evidence';

const member: DirectoryUser = {
  id: 'u1',
  userPrincipalName: 'grady@contoso.test',
  displayName: 'Grady',
  userType: 'Member',
  onPremisesSyncEnabled: true,
  accountEnabled: true,
  mail: 'grady@contoso.test',
};

test('a synced member with a mail address: on-premises mailbox', () => {
  expect(withoutExchangeOnline(member)).toBe('onPremises');
});

test.each([
  ['a cloud-only member (unlicensed)', { ...member, onPremisesSyncEnabled: false }],
  ['a synced member without a mail address (no mailbox anywhere)', { ...member, mail: undefined }],
  ['a guest', { ...member, userType: 'Guest' as const }],
])('%s: none', (_what, user) => {
  expect(withoutExchangeOnline(user)).toBe('none');
});

test('an unknown user: none', () => {
  expect(withoutExchangeOnline(null)).toBe('none');
});
