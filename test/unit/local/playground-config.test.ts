/**
 * The Agents Playground's configuration file, written at start: the demo tenant and people with their real
 * object ids, Alex signed in, within what the Playground accepts (at most five other users; it refuses the
 * file otherwise and the chat never opens).
 */
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { playgroundConfig } from '../../../bot/src/local/playground';

const yaml = playgroundConfig();

test('Alex Wilber is signed in with his object id, in the demo tenant', () => {
  expect(yaml).toContain(`tenantId: "${DEMO_TENANT_ID}"`);
  const current = yaml.slice(yaml.indexOf('currentUser:'), yaml.indexOf('users:'));
  expect(current).toContain('name: "Alex Wilber"');
  expect(current).toContain(`aadObjectId: "${DEMO_USERS.alex}"`);
});

test('every id is a GUID, and there are at most five other people', () => {
  const ids = [...yaml.matchAll(/aadObjectId: "([^"]+)"/g)].map((m) => m[1]);
  expect(ids.length).toBeGreaterThan(1);
  expect(ids.length - 1).toBeLessThanOrEqual(5);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});
