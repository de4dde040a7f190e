/** getOrCreateSetting and randomSecret. */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../../bot/src/store/database';
import { getOrCreateSetting, randomSecret } from '../../../bot/src/store/sqlite-settings';
import { tempDir } from '../../support/store-records';

test('the first value made for a key is the one every later call returns, also after reopening', () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'settings.sqlite');
    let db = openDatabase(file);
    const made: string[] = [];
    const make = () => {
      const s = randomSecret();
      made.push(s);
      return s;
    };
    const first = getOrCreateSetting(db, 'upload_ticket_secret', make);
    expect(first).toBe(made[0]);
    expect(getOrCreateSetting(db, 'upload_ticket_secret', make)).toBe(first);
    expect(getOrCreateSetting(db, 'other', () => 'x')).toBe('x');
    db.close();
    db = openDatabase(file);
    expect(getOrCreateSetting(db, 'upload_ticket_secret', make)).toBe(first);
    expect(getOrCreateSetting(db, 'other', () => 'y')).toBe('x');
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('randomSecret is 32 random bytes in base64url, different every time', () => {
  const a = randomSecret();
  const b = randomSecret();
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(a, 'base64url')).toHaveLength(32);
  expect(a).not.toBe(b);
});
