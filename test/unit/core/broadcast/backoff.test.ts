/** Retry back-off of broadcast sends. */
import { backoffMs } from '../../../../bot/src/core/broadcast/backoff';

test('backoff doubles with full jitter between half and all of the ceiling, capped; Retry-After wins', () => {
  const o = (r: number) => ({ baseMs: 1000, maxMs: 60_000, random: () => r });
  expect(backoffMs(1, undefined, o(0))).toBe(500);
  expect(backoffMs(1, undefined, o(1))).toBe(1000);
  expect(backoffMs(3, undefined, o(1))).toBe(4000);
  expect(backoffMs(20, undefined, o(1))).toBe(60_000);
  expect(backoffMs(2, 7, o(0.5))).toBe(7000);
});
