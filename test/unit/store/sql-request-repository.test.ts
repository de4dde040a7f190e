/** SqlRequestRepository, on both engines (the store contract suite: SQLite and a real PostgreSQL server). */
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { SqlRequestRepository } from '../../../bot/src/store/sql-request-repository';
import type { RequestState } from '../../../bot/src/core/photo/request-ports';
import { HOUR, T0, photo, previewed } from '../../support/store-records';
import { ENGINES, openTestStore, openTwoInstances } from '../../support/stores';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let repo: SqlRequestRepository;

  beforeEach(async () => {
    db = await openTestStore(engine);
    repo = new SqlRequestRepository(db);
  });
  afterEach(() => db.close());

  const later = (ms: number) => new Date(T0.getTime() + ms);
  const pendingPhotoRows = async () => ((await db.get(`SELECT COUNT(*) AS n FROM pending_photos`)) as { n: number }).n;

  describe('create', () => {
    test('stores the request and its photo exactly as given', async () => {
      const r = previewed('alex', T0, { errorCode: undefined });
      expect(await repo.create(r, photo('one'))).toEqual([]);
      expect(await repo.get(r.id)).toEqual(r);
      expect(await repo.getPhoto(r.id)).toEqual(photo('one'));
      expect(await repo.get('nope')).toBeNull();
      expect(await repo.getPhoto('nope')).toBeNull();
    });

    test("supersedes only the same user's open previews, and deletes their photos", async () => {
      const first = previewed('alex', T0);
      const second = previewed('alex', later(1000));
      const megans = previewed('megan', T0);
      const applying = previewed('alex', T0);
      await repo.create(first, photo('first'));
      await repo.create(second, photo('second-old')); // supersedes first
      await repo.create(megans, photo('megan'));
      await repo.create(applying, photo('applying')); // supersedes second
      expect(await repo.transition(applying.id, 'previewed', 'applying', later(2000))).not.toBeNull();

      const third = previewed('alex', later(5000));
      expect(await repo.create(third, photo('third'))).toEqual([]); // nothing open any more: applying is not a preview

      const fourth = previewed('alex', later(9000));
      expect(await repo.create(fourth, photo('fourth'))).toEqual([third.id]);

      expect(await repo.get(third.id)).toMatchObject({ state: 'superseded', version: 2, updatedAt: fourth.createdAt });
      expect(await repo.getPhoto(third.id)).toBeNull();
      for (const old of [first, second]) {
        expect((await repo.get(old.id))?.state).toBe('superseded');
        expect(await repo.getPhoto(old.id)).toBeNull();
      }
      // Untouched: another user's preview, and this user's request already being applied.
      expect(await repo.get(megans.id)).toMatchObject({ state: 'previewed', version: 1 });
      expect(await repo.getPhoto(megans.id)).toEqual(photo('megan'));
      expect((await repo.get(applying.id))?.state).toBe('applying');
      expect(await repo.getPhoto(applying.id)).toEqual(photo('applying'));
      expect((await repo.openForUser('alex'))?.id).toBe(fourth.id);
    });

    test('is one transaction: when the insert fails, the superseded preview and its photo are back as they were', async () => {
      const first = previewed('alex', T0);
      await repo.create(first, photo('first'));
      const clash = previewed('alex', later(1000), { id: first.id }); // primary key clash makes the insert fail
      // Not `rejects.toThrow`: better-sqlite3's error class comes from the first jest realm that loaded the addon,
      // so in a later test file it is no `Error` of this realm and jest would report "did not throw".
      const refused = await repo.create(clash, photo('clash')).then(
        () => null,
        (err: unknown) => String((err as { message?: unknown }).message),
      );
      expect(refused).toMatch(/UNIQUE|PRIMARY|duplicate key/i);
      expect(await repo.get(first.id)).toEqual(first);
      expect(await repo.getPhoto(first.id)).toEqual(photo('first'));
      expect(await pendingPhotoRows()).toBe(1);
    });
  });

  describe('transition', () => {
    test('is compare-and-set: of two transitions from the same state only the first wins', async () => {
      const r = previewed('alex');
      await repo.create(r, photo('a'));
      const won = repo.transition(r.id, 'previewed', 'applying', later(10));
      const lost = repo.transition(r.id, 'previewed', 'cancelled', later(20));
      expect(await won).toMatchObject({ id: r.id, state: 'applying', version: 2, updatedAt: later(10) });
      expect(await lost).toBeNull();
      expect(await repo.get(r.id)).toMatchObject({ state: 'applying', version: 2, updatedAt: later(10) });
      expect(await repo.getPhoto(r.id)).toEqual(photo('a')); // the loser did not drop the photo
    });

    test('is compare-and-set across two instances on one database', async () => {
      const { a, b, done } = await openTwoInstances(engine);
      try {
        const repoA = new SqlRequestRepository(a);
        const repoB = new SqlRequestRepository(b);
        const r = previewed('alex');
        await repoA.create(r, photo('a'));
        expect((await repoB.transition(r.id, 'previewed', 'cancelled', later(1)))?.state).toBe('cancelled');
        expect(await repoA.transition(r.id, 'previewed', 'applying', later(2))).toBeNull();
        expect(await repoA.get(r.id)).toMatchObject({ state: 'cancelled', version: 2 });
        expect(await repoA.getPhoto(r.id)).toBeNull();
      } finally {
        await done();
      }
    });

    test('from a state the request is not in changes nothing', async () => {
      const r = previewed('alex');
      await repo.create(r, photo('a'));
      expect(await repo.transition(r.id, 'applying', 'failed', later(1), 'm365.forbidden')).toBeNull();
      expect(await repo.get(r.id)).toEqual(r);
      expect(await repo.transition('missing', 'previewed', 'cancelled', later(1))).toBeNull();
    });

    test.each<[RequestState[], boolean]>([
      [['applying', 'failed'], false],
      [['cancelled'], false],
      [['expired'], false],
      [['superseded'], false],
      [['applying', 'applied'], true],
      [['applying', 'previewed'], true],
    ])('moving through %j keeps the pending photo: %s', async (path, kept) => {
      const r = previewed('alex');
      await repo.create(r, photo('a'));
      let from: RequestState = 'previewed';
      for (const to of path) {
        expect((await repo.transition(r.id, from, to, later(1)))?.state).toBe(to);
        from = to;
      }
      expect(await repo.getPhoto(r.id)).toEqual(kept ? photo('a') : null);
      expect((await repo.get(r.id))?.version).toBe(1 + path.length);
    });

    test('records the error code of a failure, and only of that transition', async () => {
      const r = previewed('alex');
      await repo.create(r, photo('a'));
      await repo.transition(r.id, 'previewed', 'applying', later(1));
      expect(await repo.transition(r.id, 'applying', 'failed', later(2), 'm365.forbidden')).toMatchObject({
        state: 'failed',
        errorCode: 'm365.forbidden',
      });
      const s = previewed('alex');
      await repo.create(s, photo('b'));
      expect((await repo.transition(s.id, 'previewed', 'cancelled', later(3)))?.errorCode).toBeUndefined();
    });
  });

  describe('queries', () => {
    test('listExpired: previews whose expiry is at or before now, nothing else', async () => {
      const due = previewed('a', T0, { expiresAt: later(HOUR) });
      const exactlyNow = previewed('b', T0, { expiresAt: later(2 * HOUR) });
      const notYet = previewed('c', T0, { expiresAt: later(2 * HOUR + 1) });
      const applying = previewed('d', T0, { expiresAt: later(HOUR) });
      const cancelled = previewed('e', T0, { expiresAt: later(HOUR) });
      for (const r of [due, exactlyNow, notYet, applying, cancelled]) await repo.create(r, photo(r.id));
      await repo.transition(applying.id, 'previewed', 'applying', later(1));
      await repo.transition(cancelled.id, 'previewed', 'cancelled', later(1));

      expect((await repo.listExpired(later(2 * HOUR))).sort()).toEqual([due.id, exactlyNow.id].sort());
      expect(await repo.listExpired(later(HOUR - 1))).toEqual([]);
    });

    test("openForUser: the user's newest preview, or null", async () => {
      expect(await repo.openForUser('alex')).toBeNull();
      const r = previewed('alex', T0);
      await repo.create(r, photo('a'));
      await repo.create(previewed('megan', later(10)), photo('m'));
      expect(await repo.openForUser('alex')).toEqual(r);
      await repo.transition(r.id, 'previewed', 'applying', later(1));
      expect(await repo.openForUser('alex')).toBeNull();
    });

    test('listByState: oldest change first', async () => {
      const ids: string[] = [];
      for (const [i, u] of ['x', 'y', 'z'].entries()) {
        const r = previewed(u, T0);
        await repo.create(r, photo(u));
        await repo.transition(r.id, 'previewed', 'applying', later(1000 - i * 100)); // z changed first
        ids.push(r.id);
      }
      expect((await repo.listByState('applying')).map((r) => r.id)).toEqual([...ids].reverse());
      expect(await repo.listByState('previewed')).toEqual([]);
    });

    test('savePrevious keeps the first photo saved for a request (a resumed apply must not overwrite it)', async () => {
      const r = previewed('alex');
      await repo.create(r, photo('a'));
      const s = previewed('megan');
      await repo.create(s, photo('b'));
      await repo.savePrevious('alex', r.id, new Uint8Array([1, 2, 3]), later(1));
      await repo.savePrevious('alex', r.id, new Uint8Array([9, 9]), later(2));
      await repo.savePrevious('megan', s.id, null, later(3));
      const rows = await db.all(`SELECT request_id, user_id, photo, saved_at FROM previous_photos ORDER BY saved_at`);
      expect(rows).toEqual([
        { request_id: r.id, user_id: 'alex', photo: Buffer.from([1, 2, 3]), saved_at: later(1).getTime() },
        { request_id: s.id, user_id: 'megan', photo: null, saved_at: later(3).getTime() },
      ]);
    });
  });
});
