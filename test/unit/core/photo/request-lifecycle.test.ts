/**
 * The request state machine, alone and together with the SQLite repository: whatever
 * sequence of (from, to) moves is attempted, a request only ever takes steps the
 * table allows, and never leaves an end state.
 */
import { fc, test } from '@fast-check/jest';
import { canTransition, isEndState, REQUEST_STATES } from '../../../../bot/src/core/photo/request-lifecycle';
import type { RequestState } from '../../../../bot/src/core/photo/request-ports';
import { SqliteDb } from '../../../../bot/src/store/sql/sqlite-db';
import { SqlRequestRepository } from '../../../../bot/src/store/sql-request-repository';
import { photo, previewed } from '../../../support/store-records';

/** The documented machine (request-lifecycle.ts header and ports.ts), written out independently. */
const DOCUMENTED: ReadonlyArray<[RequestState, RequestState]> = [
  ['previewed', 'applying'],
  ['previewed', 'pending_approval'],
  ['previewed', 'cancelled'],
  ['previewed', 'expired'],
  ['previewed', 'superseded'],
  ['pending_approval', 'approved'],
  ['pending_approval', 'rejected'],
  ['pending_approval', 'cancelled'],
  ['pending_approval', 'expired'],
  ['pending_approval', 'superseded'],
  ['approved', 'applying'],
  ['applying', 'applied'],
  ['applying', 'previewed'],
  ['applying', 'approved'],
  ['applying', 'failed'],
];
const END_STATES: RequestState[] = ['applied', 'failed', 'cancelled', 'expired', 'superseded', 'rejected'];
/** States in which the pending photo is still kept. */
const KEEPS_PHOTO: RequestState[] = ['previewed', 'pending_approval', 'approved', 'applying', 'applied'];

const state = fc.constantFrom<RequestState>(...REQUEST_STATES);

describe('the table', () => {
  test('has exactly the documented states, moves and end states', () => {
    expect([...REQUEST_STATES].sort()).toEqual([
      'applied',
      'applying',
      'approved',
      'cancelled',
      'expired',
      'failed',
      'pending_approval',
      'previewed',
      'rejected',
      'superseded',
    ]);
    const allowed = REQUEST_STATES.flatMap((from) =>
      REQUEST_STATES.filter((to) => canTransition(from, to)).map((to) => [from, to]),
    );
    expect(allowed.sort()).toEqual([...DOCUMENTED].sort());
    expect(REQUEST_STATES.filter(isEndState).sort()).toEqual([...END_STATES].sort());
  });

  test.prop([state, state])('an end state has no way out; no state moves to itself', (from, to) => {
    if (isEndState(from)) expect(canTransition(from, to)).toBe(false);
    expect(canTransition(from, from)).toBe(false);
  });
});

describe('repository + canTransition', () => {
  test.prop([fc.array(fc.oneof(fc.tuple(state, state), fc.constantFrom(...DOCUMENTED)), { maxLength: 40 })])(
    'never reach a state the table forbids, and never leave an end state',
    async (attempts) => {
      const db = SqliteDb.open(':memory:');
      try {
        const repo = new SqlRequestRepository(db);
        const r = previewed('alex');
        await repo.create(r, photo('p'));
        let current: RequestState = 'previewed';
        let version = 1;
        for (const [i, [from, to]] of attempts.entries()) {
          // The core's rule: a move the table forbids is never sent to the repository.
          const result = canTransition(from, to)
            ? await repo.transition(r.id, from, to, new Date(r.createdAt.getTime() + i + 1))
            : null;
          const stored = await repo.get(r.id);
          if (stored === null) throw new Error('request vanished');

          if (from === current && canTransition(current, to)) {
            expect(result?.state).toBe(to);
            expect(stored.state).toBe(to);
            expect(stored.version).toBe(version + 1);
            current = to;
            version += 1;
          } else {
            expect(result).toBeNull();
            expect(stored.state).toBe(current);
            expect(stored.version).toBe(version);
          }
          expect(stored).toEqual(result ?? stored);
          expect((await repo.getPhoto(r.id)) !== null).toBe(KEEPS_PHOTO.includes(current));
        }
        // Once in an end state, every further attempt from any state to any state changes nothing.
        if (isEndState(current)) {
          for (const from of REQUEST_STATES) {
            for (const to of REQUEST_STATES) {
              if (canTransition(from, to)) expect(await repo.transition(r.id, from, to, new Date())).toBeNull();
            }
          }
          expect(await repo.get(r.id)).toMatchObject({ state: current, version });
        }
      } finally {
        await db.close();
      }
    },
  );
});
