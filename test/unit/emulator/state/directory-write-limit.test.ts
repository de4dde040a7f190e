/** The local tenant's directory write limits (emulator/state/directory-write-limit.ts). */
import { DirectoryWriteLimiter, GRAPH_DIRECTORY_WRITE_LIMITS } from '../../../../emulator/state/directory-write-limit';

test('Microsoft’s numbers by default: 3,000 writes per app in 150 s, then 429 until the oldest leaves', () => {
  let now = 0;
  const limiter = new DirectoryWriteLimiter(() => now);
  expect(limiter.status().limits).toEqual(GRAPH_DIRECTORY_WRITE_LIMITS);
  for (let i = 0; i < 3_000; i++) expect(limiter.take('app', false).allowed).toBe(true);
  now = 60_000;
  expect(limiter.take('app', false)).toEqual({ allowed: false, retryAfterSeconds: 90 });
  // Another app of the tenant still has its own window.
  expect(limiter.take('other', true).allowed).toBe(true);
  now = 150_001;
  expect(limiter.take('app', false).allowed).toBe(true);
  expect(limiter.status()).toMatchObject({ accepted: 3_002, throttled: 1, lowPriority: 1 });
});

test('the tenant’s window counts every app together; off means no limit', () => {
  const limiter = new DirectoryWriteLimiter(() => 0);
  limiter.configure({ perApp: { limit: 5, windowSeconds: 10 }, perTenant: { limit: 6, windowSeconds: 10 } });
  for (let i = 0; i < 5; i++) expect(limiter.take('a', false).allowed).toBe(true);
  expect(limiter.take('b', false).allowed).toBe(true);
  expect(limiter.take('b', false)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  limiter.configure(null);
  for (let i = 0; i < 100; i++) expect(limiter.take('a', false).allowed).toBe(true);
});
