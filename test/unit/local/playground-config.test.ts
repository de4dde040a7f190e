/**
 * The Agents Playground's configuration file, written at start: the demo tenant and people with their real
 * object ids, Alex signed in, within what the Playground accepts (at most five other users; it refuses the
 * file otherwise and the chat never opens).
 */
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { playgroundConfig } from '../../../bot/src/local/playground';

const yaml = playgroundConfig();
// The file is a YAML comment line and then JSON, which YAML reads as is.
const config = JSON.parse(yaml.slice(yaml.indexOf('\n') + 1)) as {
  tenantId: string;
  currentUser: { name: string; aadObjectId: string };
  users: Array<{ aadObjectId: string }>;
};

test('Alex Wilber is signed in with his object id, in the demo tenant', () => {
  expect(yaml.startsWith('#')).toBe(true);
  expect(config.tenantId).toBe(DEMO_TENANT_ID);
  expect(config.currentUser.name).toBe('Alex Wilber');
  expect(config.currentUser.aadObjectId).toBe(DEMO_USERS.alex);
});

test('every id is a GUID, and there are at most five other people', () => {
  const ids = [config.currentUser, ...config.users].map((u) => u.aadObjectId);
  expect(ids.length).toBeGreaterThan(1);
  expect(ids.length - 1).toBeLessThanOrEqual(5);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});
