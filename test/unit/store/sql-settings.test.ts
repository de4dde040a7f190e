/** getOrCreateSetting and randomSecret. */
import { getOrCreateSetting, randomSecret } from '../../../bot/src/store/sql-settings';
import { ENGINES, openTwoInstances } from '../../support/stores';

test.each(ENGINES)('%s: the first value made for a key is the one every instance returns', async (engine) => {
  const { a: db, b: other, done } = await openTwoInstances(engine);
  try {
    const made: string[] = [];
    const make = () => {
      const s = randomSecret();
      made.push(s);
      return s;
    };
    const first = await getOrCreateSetting(db, 'upload_ticket_secret', make);
    expect(first).toBe(made[0]);
    expect(await getOrCreateSetting(db, 'upload_ticket_secret', make)).toBe(first);
    expect(await getOrCreateSetting(db, 'other', () => 'x')).toBe('x');
    expect(await getOrCreateSetting(other, 'upload_ticket_secret', make)).toBe(first);
    expect(await getOrCreateSetting(other, 'other', () => 'y')).toBe('x');
  } finally {
    await done();
  }
});

test('randomSecret is 32 random bytes in base64url, different every time', () => {
  const a = randomSecret();
  const b = randomSecret();
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(a, 'base64url')).toHaveLength(32);
  expect(a).not.toBe(b);
});
