/**
 * Teams' bot rate limits in the local tenant, as "Optimize your bot with rate limiting in Teams"
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit) tables them: per bot per thread
 * and per thread for all bots, by operation; a global limit per app per tenant; Retry-After not always sent.
 */
import { TeamsConnectorRateLimiter } from '../../../../emulator/connector/rate-limit';

const always = (l: TeamsConnectorRateLimiter) => {
  l.configure({ retryAfter: 'always' });
  return l;
};

test('off by default: everything passes', () => {
  const l = new TeamsConnectorRateLimiter();
  for (let i = 0; i < 100; i++) expect(l.check('bot', 'send', 'c', 0)).toEqual({ allowed: true });
});

test('send, per bot per thread: 7 in a second, 8 in two seconds; Retry-After is when the window has room', () => {
  const l = always(new TeamsConnectorRateLimiter(true));
  for (let i = 0; i < 7; i++) expect(l.check('bot', 'send', 'c', i * 10).allowed).toBe(true);
  expect(l.check('bot', 'send', 'c', 100)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  expect(l.check('bot', 'send', 'other', 100).allowed).toBe(true);
  expect(l.check('bot', 'send', 'c', 1_001).allowed).toBe(true); // 8th in 2 s
  expect(l.check('bot', 'send', 'c', 1_200)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  expect(l.throttled).toBe(2);
});

test('each operation has its own table: get members allows 14 a second where send allows 7', () => {
  const l = always(new TeamsConnectorRateLimiter(true));
  for (let i = 0; i < 7; i++) expect(l.check('bot', 'send', 'c', i).allowed).toBe(true);
  expect(l.check('bot', 'send', 'c', 8).allowed).toBe(false);
  for (let i = 0; i < 14; i++) expect(l.check('bot', 'members', 'c', 10 + i).allowed).toBe(true);
  expect(l.check('bot', 'members', 'c', 30).allowed).toBe(false);
});

test('per thread for all bots: two bots in one thread share 14 sends a second, each bot its own 7', () => {
  const l = always(new TeamsConnectorRateLimiter(true));
  for (let i = 0; i < 7; i++) expect(l.check('bot-a', 'send', 'c', i).allowed).toBe(true);
  for (let i = 0; i < 7; i++) expect(l.check('bot-b', 'send', 'c', 10 + i).allowed).toBe(true);
  l.configure({ perBotPerThread: { send: [{ requests: 100, seconds: 1 }] } });
  expect(l.check('bot-c', 'send', 'c', 20)).toEqual({ allowed: false, retryAfterSeconds: 1 });
});

test('per app per tenant: 50 a second by default, 30 when configured (the older documented figure)', () => {
  for (const limit of [50, 30]) {
    const l = always(new TeamsConnectorRateLimiter(true));
    if (limit === 30) l.configure({ appPerSecond: 30 });
    for (let i = 0; i < limit; i++) expect(l.check('bot', 'send', `c${i}`, i).allowed).toBe(true);
    expect(l.check('bot', 'send', 'c-next', 500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(l.check('bot', 'send', 'c-next', 1_001).allowed).toBe(true);
  }
});

test('by default every third 429 comes without Retry-After; "never" sends none', () => {
  const l = new TeamsConnectorRateLimiter(true);
  for (let i = 0; i < 7; i++) l.check('bot', 'send', 'c', i);
  const answers = [1, 2, 3, 4, 5, 6].map(() => l.check('bot', 'send', 'c', 100));
  expect(answers.map((a) => !a.allowed && a.retryAfterSeconds)).toEqual([1, 1, null, 1, 1, null]);
  l.configure({ retryAfter: 'never' });
  expect(l.check('bot', 'send', 'c', 100)).toEqual({ allowed: false, retryAfterSeconds: null });
});

test('the hourly window asks to wait minutes; reset restores the documented tables', () => {
  const l = always(new TeamsConnectorRateLimiter(true));
  l.configure({ perBotPerThread: { send: [{ requests: 3, seconds: 3600 }] } });
  for (let i = 0; i < 3; i++) l.check('bot', 'send', 'c', i * 1000);
  expect(l.check('bot', 'send', 'c', 10_000)).toEqual({ allowed: false, retryAfterSeconds: 3590 });
  l.reset();
  expect(l.config.perBotPerThread.send).toEqual([
    { requests: 7, seconds: 1 },
    { requests: 8, seconds: 2 },
    { requests: 60, seconds: 30 },
    { requests: 1800, seconds: 3600 },
  ]);
  expect(l.config).toMatchObject({ enabled: true, appPerSecond: 50, retryAfter: 'sometimes' });
});

test('receipts count the calls allowed in each second after the first, and a reset clears them', () => {
  const l = new TeamsConnectorRateLimiter(true);
  l.configure({ appPerSecond: 3 });
  const at = [5_000, 5_100, 5_200, 5_300, 6_050, 6_400, 8_100];
  const allowed = at.map((t, i) => l.check('bot', 'send', `c${i}`, t).allowed);
  expect(allowed).toEqual([true, true, true, false, true, true, true]);
  expect(l.receipts()).toEqual({ firstMs: 5_000, perSecond: [3, 2, 0, 1] });
  l.reset();
  expect(l.receipts()).toEqual({ firstMs: null, perSecond: [] });
});
