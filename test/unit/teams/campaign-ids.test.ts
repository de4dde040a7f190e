/**
 * Campaign ids (a draft's id becomes its campaign's) never start with "-": `headshot broadcast report <id>` read one
 * that did as an option and exited 2, now and then, in CI.
 */
import { newDraftId } from '../../../bot/src/teams/admin-replies';

test('10,000 new ids: none starts with "-" or "_", each is one the broadcast service accepts, all different', () => {
  const ids = Array.from({ length: 10_000 }, () => newDraftId());
  expect(ids.filter((id) => /^[-_]/.test(id))).toEqual([]);
  expect(ids.filter((id) => !/^[A-Za-z0-9_-]{8,64}$/.test(id))).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);
});
