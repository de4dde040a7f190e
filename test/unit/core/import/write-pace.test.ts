/** The import's write pace (core/import/write-pace.ts): sliding windows with headroom, and a 429's pause. */
import { WritePace } from '../../../../bot/src/core/import/write-pace';

test('takes writes while every window has room, then says when the oldest leaves', () => {
  const pace = new WritePace([{ limit: 10, windowMs: 1_000 }], 0.2);
  // 10 less 20% headroom: 8 a second.
  for (let i = 0; i < 8; i++) expect(pace.tryTake(i * 10)).toBe(0);
  expect(pace.tryTake(100)).toBe(1_000 - 100 + 1);
  expect(pace.tryTake(1_001)).toBe(0);
});

test('the tighter of two windows decides', () => {
  const pace = new WritePace(
    [
      { limit: 3, windowMs: 1_000 },
      { limit: 4, windowMs: 10_000 },
    ],
    0,
  );
  expect([0, 1, 2].map((t) => pace.tryTake(t))).toEqual([0, 0, 0]);
  expect(pace.tryTake(3)).toBeGreaterThan(0);
  expect(pace.tryTake(1_000)).toBe(0); // the short window has room again: the 4th write
  expect(pace.tryTake(1_500)).toBe(10_000 - 1_500 + 1); // the long one is full until the first leaves it
});

test('a 429 pauses every write until its Retry-After, and is counted', () => {
  const pace = new WritePace([{ limit: 100, windowMs: 1_000 }], 0);
  pace.throttled(0, 3_000);
  expect(pace.tryTake(1_000)).toBe(2_000);
  expect(pace.tryTake(3_000)).toBe(0);
  expect(pace.throttles).toBe(1);
});
