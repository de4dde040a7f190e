/** SqliteRequestRepository on real SQLite (in memory, and two connections to one file). */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../../bot/src/store/database';
import { SqliteRequestRepository } from '../../../bot/src/store/sqlite-request-repository';
import type { RequestState } from '../../../bot/src/core/photo/request-ports';
import { HOUR, T0, photo, previewed, tempDir } from '../../support/store-records';

let db: Db;
let repo: SqliteRequestRepository;

beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new SqliteRequestRepository(db);
});
afterEach(() => db.close());

const later = (ms: number) => new Date(T0.getTime() + ms);
const pendingPhotoRows = () => (db.prepare(`SELECT COUNT(*) AS n FROM pending_photos`).get() as { n: number }).n;

describe('create', () => {
  test('stores the request and its photo exactly as given', () => {
    const r = previewed('alex', T0, { errorCode: undefined });
    expect(repo.create(r, photo('one'))).toEqual([]);
    expect(repo.get(r.id)).toEqual(r);
    expect(repo.getPhoto(r.id)).toEqual(photo('one'));
    expect(repo.get('nope')).toBeNull();
    expect(repo.getPhoto('nope')).toBeNull();
  });

  test("supersedes only the same user's open previews, and deletes their photos", () => {
    const first = previewed('alex', T0);
    const second = previewed('alex', later(1000));
    const megans = previewed('megan', T0);
    const applying = previewed('alex', T0);
    repo.create(first, photo('first'));
    repo.create(second, photo('second-old')); // supersedes first
    repo.create(megans, photo('megan'));
    repo.create(applying, photo('applying')); // supersedes second
    expect(repo.transition(applying.id, 'previewed', 'applying', later(2000))).not.toBeNull();

    const third = previewed('alex', later(5000));
    expect(repo.create(third, photo('third'))).toEqual([]); // nothing open any more: applying is not a preview

    const fourth = previewed('alex', later(9000));
    expect(repo.create(fourth, photo('fourth'))).toEqual([third.id]);

    expect(repo.get(third.id)).toMatchObject({ state: 'superseded', version: 2, updatedAt: fourth.createdAt });
    expect(repo.getPhoto(third.id)).toBeNull();
    for (const old of [first, second]) {
      expect(repo.get(old.id)?.state).toBe('superseded');
      expect(repo.getPhoto(old.id)).toBeNull();
    }
    // Untouched: another user's preview, and this user's request already being applied.
    expect(repo.get(megans.id)).toMatchObject({ state: 'previewed', version: 1 });
    expect(repo.getPhoto(megans.id)).toEqual(photo('megan'));
    expect(repo.get(applying.id)?.state).toBe('applying');
    expect(repo.getPhoto(applying.id)).toEqual(photo('applying'));
    expect(repo.openForUser('alex')?.id).toBe(fourth.id);
  });

  test('is one transaction: when the insert fails, the superseded preview and its photo are back as they were', () => {
    const first = previewed('alex', T0);
    repo.create(first, photo('first'));
    const clash = previewed('alex', later(1000), { id: first.id }); // primary key clash makes the insert fail
    expect(() => repo.create(clash, photo('clash'))).toThrow(/UNIQUE|PRIMARY/i);
    expect(repo.get(first.id)).toEqual(first);
    expect(repo.getPhoto(first.id)).toEqual(photo('first'));
    expect(pendingPhotoRows()).toBe(1);
  });
});

describe('transition', () => {
  test('is compare-and-set: of two transitions from the same state only the first wins', () => {
    const r = previewed('alex');
    repo.create(r, photo('a'));
    const won = repo.transition(r.id, 'previewed', 'applying', later(10));
    const lost = repo.transition(r.id, 'previewed', 'cancelled', later(20));
    expect(won).toMatchObject({ id: r.id, state: 'applying', version: 2, updatedAt: later(10) });
    expect(lost).toBeNull();
    expect(repo.get(r.id)).toMatchObject({ state: 'applying', version: 2, updatedAt: later(10) });
    expect(repo.getPhoto(r.id)).toEqual(photo('a')); // the loser did not drop the photo
  });

  test('is compare-and-set across two connections to the same file', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'shared.sqlite');
      const a = openDatabase(file);
      const b = openDatabase(file);
      const repoA = new SqliteRequestRepository(a);
      const repoB = new SqliteRequestRepository(b);
      const r = previewed('alex');
      repoA.create(r, photo('a'));
      expect(repoB.transition(r.id, 'previewed', 'cancelled', later(1))?.state).toBe('cancelled');
      expect(repoA.transition(r.id, 'previewed', 'applying', later(2))).toBeNull();
      expect(repoA.get(r.id)).toMatchObject({ state: 'cancelled', version: 2 });
      expect(repoA.getPhoto(r.id)).toBeNull();
      a.close();
      b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('from a state the request is not in changes nothing', () => {
    const r = previewed('alex');
    repo.create(r, photo('a'));
    expect(repo.transition(r.id, 'applying', 'failed', later(1), 'm365.forbidden')).toBeNull();
    expect(repo.get(r.id)).toEqual(r);
    expect(repo.transition('missing', 'previewed', 'cancelled', later(1))).toBeNull();
  });

  test.each<[RequestState[], boolean]>([
    [['applying', 'failed'], false],
    [['cancelled'], false],
    [['expired'], false],
    [['superseded'], false],
    [['applying', 'applied'], true],
    [['applying', 'previewed'], true],
  ])('moving through %j keeps the pending photo: %s', (path, kept) => {
    const r = previewed('alex');
    repo.create(r, photo('a'));
    let from: RequestState = 'previewed';
    for (const to of path) {
      expect(repo.transition(r.id, from, to, later(1))?.state).toBe(to);
      from = to;
    }
    expect(repo.getPhoto(r.id)).toEqual(kept ? photo('a') : null);
    expect(repo.get(r.id)?.version).toBe(1 + path.length);
  });

  test('records the error code of a failure, and only of that transition', () => {
    const r = previewed('alex');
    repo.create(r, photo('a'));
    repo.transition(r.id, 'previewed', 'applying', later(1));
    expect(repo.transition(r.id, 'applying', 'failed', later(2), 'm365.forbidden')).toMatchObject({
      state: 'failed',
      errorCode: 'm365.forbidden',
    });
    const s = previewed('alex');
    repo.create(s, photo('b'));
    expect(repo.transition(s.id, 'previewed', 'cancelled', later(3))?.errorCode).toBeUndefined();
  });
});

describe('queries', () => {
  test('listExpired: previews whose expiry is at or before now, nothing else', () => {
    const due = previewed('a', T0, { expiresAt: later(HOUR) });
    const exactlyNow = previewed('b', T0, { expiresAt: later(2 * HOUR) });
    const notYet = previewed('c', T0, { expiresAt: later(2 * HOUR + 1) });
    const applying = previewed('d', T0, { expiresAt: later(HOUR) });
    const cancelled = previewed('e', T0, { expiresAt: later(HOUR) });
    for (const r of [due, exactlyNow, notYet, applying, cancelled]) repo.create(r, photo(r.id));
    repo.transition(applying.id, 'previewed', 'applying', later(1));
    repo.transition(cancelled.id, 'previewed', 'cancelled', later(1));

    expect(repo.listExpired(later(2 * HOUR)).sort()).toEqual([due.id, exactlyNow.id].sort());
    expect(repo.listExpired(later(HOUR - 1))).toEqual([]);
  });

  test("openForUser: the user's newest preview, or null", () => {
    expect(repo.openForUser('alex')).toBeNull();
    const r = previewed('alex', T0);
    repo.create(r, photo('a'));
    repo.create(previewed('megan', later(10)), photo('m'));
    expect(repo.openForUser('alex')).toEqual(r);
    repo.transition(r.id, 'previewed', 'applying', later(1));
    expect(repo.openForUser('alex')).toBeNull();
  });

  test('listByState: oldest change first', () => {
    const ids = ['x', 'y', 'z'].map((u, i) => {
      const r = previewed(u, T0);
      repo.create(r, photo(u));
      repo.transition(r.id, 'previewed', 'applying', later(1000 - i * 100)); // z changed first
      return r.id;
    });
    expect(repo.listByState('applying').map((r) => r.id)).toEqual([...ids].reverse());
    expect(repo.listByState('previewed')).toEqual([]);
  });

  test('savePrevious keeps the first photo saved for a request (a resumed apply must not overwrite it)', () => {
    const r = previewed('alex');
    repo.create(r, photo('a'));
    const s = previewed('megan');
    repo.create(s, photo('b'));
    repo.savePrevious('alex', r.id, new Uint8Array([1, 2, 3]), later(1));
    repo.savePrevious('alex', r.id, new Uint8Array([9, 9]), later(2));
    repo.savePrevious('megan', s.id, null, later(3));
    const rows = db.prepare(`SELECT request_id, user_id, photo, saved_at FROM previous_photos ORDER BY saved_at`).all();
    expect(rows).toEqual([
      { request_id: r.id, user_id: 'alex', photo: Buffer.from([1, 2, 3]), saved_at: later(1).getTime() },
      { request_id: s.id, user_id: 'megan', photo: null, saved_at: later(3).getTime() },
    ]);
  });
});
