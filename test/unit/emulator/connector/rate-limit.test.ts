/** Teams' bot rate limits in the local tenant: sliding windows per app and per conversation, Retry-After. */
import { TeamsConnectorRateLimiter } from '../../../../emulator/connector/rate-limit';

test('off by default: everything passes', () => {
  const l = new TeamsConnectorRateLimiter();
  for (let i = 0; i < 100; i++) expect(l.check('c', 0)).toEqual({ allowed: true });
});

test('per conversation: 7 in a second, 8 in two seconds; Retry-After is when the window has room', () => {
  const l = new TeamsConnectorRateLimiter(true);
  for (let i = 0; i < 7; i++) expect(l.check('c', i * 10).allowed).toBe(true);
  expect(l.check('c', 100)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  expect(l.check('other', 100).allowed).toBe(true);
  expect(l.check('c', 1_001).allowed).toBe(true); // 8th in 2 s
  expect(l.check('c', 1_200)).toEqual({ allowed: false, retryAfterSeconds: 1 }); // 8 in 2 s: wait for the first to leave
  expect(l.throttled).toBe(2);
});

test('per app: at most appPerSecond in any second, across conversations; reset restores the defaults', () => {
  const l = new TeamsConnectorRateLimiter(true);
  l.configure({ appPerSecond: 10 });
  for (let i = 0; i < 10; i++) expect(l.check(`c${i}`, i).allowed).toBe(true);
  expect(l.check('c99', 500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  expect(l.check('c99', 1_001).allowed).toBe(true);
  l.reset();
  expect(l.config).toMatchObject({ enabled: true, appPerSecond: 50 });
  expect(l.throttled).toBe(0);
});

test('the hourly window asks to wait minutes', () => {
  const l = new TeamsConnectorRateLimiter(true);
  l.configure({ conversation: [{ requests: 3, seconds: 3600 }] });
  for (let i = 0; i < 3; i++) l.check('c', i * 1000);
  expect(l.check('c', 10_000)).toEqual({ allowed: false, retryAfterSeconds: 3590 });
});
