/** The coverage rules that put each person in one category. */
import { classify } from '../../../../bot/src/core/coverage/classify';
import type { CoverageUser } from '../../../../bot/src/core/coverage/coverage-types';

test('coverage rules: the first that matches wins', () => {
  const u = (x: Partial<CoverageUser> = {}): CoverageUser => ({
    id: 'u',
    userPrincipalName: 'u@x',
    displayName: 'U',
    userType: 'Member',
    accountEnabled: true,
    onPremisesSyncEnabled: false,
    licensed: true,
    ...x,
  });
  const photo = (side: number) => ({ ok: true as const, value: { width: side, height: side } });
  const none = { ok: true as const, value: null };
  expect(classify(u({ userType: 'Guest' }), photo(648), null, 240)).toMatchObject({
    category: 'not_applicable',
    reason: 'guest',
  });
  expect(classify(u(), { ok: false, error: { code: 'm365.unexpected', retryable: false } }, null, 240).category).toBe(
    'unknown',
  );
  expect(classify(u({ onPremisesSyncEnabled: true }), photo(96), null, 240).reason).toBe('hybrid_ad_thumbnail_only');
  expect(classify(u({ onPremisesSyncEnabled: true }), photo(648), null, 240).category).toBe('has_photo');
  expect(classify(u(), none, null, 240).category).toBe('no_photo');
  expect(classify(u(), photo(120), null, 240).reason).toBe('small_photo');
  expect(classify(u(), photo(648), true, 240).reason).toBe('sharepoint_placeholder');
});
