/** SqlRequestCardStore: the preview cards of photo requests, on both engines. */
import { SqlRequestCardStore } from '../../../bot/src/store/sql-request-cards';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let cards: SqlRequestCardStore;
  beforeEach(async () => {
    db = await openTestStore(engine);
    cards = new SqlRequestCardStore(db);
  });
  afterEach(async () => {
    await db.close();
  });

  /** What a kept card shows now, or null when it is not kept (read through list()). */
  const showing = async (requestId: string, activityId: string) =>
    (await cards.list(requestId)).find((c) => c.activityId === activityId)?.shows ?? null;

  const card = (requestId: string, activityId: string, userId = 'u1', at = 1_000) => ({
    requestId,
    userId,
    activityId,
    reference: JSON.stringify({ conversation: { id: `c-${userId}` } }),
    sentAt: new Date(at),
  });

  test('a card is kept open, lists in the order sent, and shows what it was marked with', async () => {
    await cards.add(card('r1', 'a2', 'u1', 2_000));
    await cards.add(card('r1', 'a1', 'u1', 1_000));
    await cards.add(card('r1', 'a1', 'u1', 1_000)); // sent twice (a retry): kept once
    expect((await cards.list('r1')).map((c) => [c.activityId, c.shows])).toEqual([
      ['a1', 'open'],
      ['a2', 'open'],
    ]);
    await cards.mark('r1', 'a1', 'superseded');
    expect(await showing('r1', 'a1')).toBe('superseded');
    expect(await showing('r1', 'a2')).toBe('open');
    expect(await showing('r1', 'nope')).toBeNull();
    expect((await cards.list('r1'))[0]).toMatchObject({ userId: 'u1', sentAt: new Date(1_000) });
  });

  test("a new card forgets the user's cards that can no longer change; open and applied ones stay", async () => {
    await cards.add(card('old', 'x1'));
    await cards.add(card('applied', 'x2'));
    await cards.add(card('open', 'x3'));
    await cards.add(card('theirs', 'y1', 'u2'));
    await cards.mark('old', 'x1', 'cancelled');
    await cards.mark('applied', 'x2', 'applied');
    await cards.mark('theirs', 'y1', 'expired');
    await cards.add(card('new', 'x4'));
    expect(await showing('old', 'x1')).toBeNull();
    expect(await showing('applied', 'x2')).toBe('applied');
    expect(await showing('open', 'x3')).toBe('open');
    expect(await showing('theirs', 'y1')).toBe('expired');
  });

  test('once a newer change is applied, only its cards and open ones are kept for the user', async () => {
    await cards.add(card('before', 'x1'));
    await cards.add(card('latest', 'x2'));
    await cards.add(card('waiting', 'x3'));
    await cards.mark('before', 'x1', 'applied');
    await cards.mark('latest', 'x2', 'applied');
    await cards.forgetOthers('u1', 'latest');
    expect(await showing('before', 'x1')).toBeNull();
    expect(await showing('latest', 'x2')).toBe('applied');
    expect(await showing('waiting', 'x3')).toBe('open');
  });
});
