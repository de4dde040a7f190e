import { UploadRateLimiter } from '../../../../bot/src/core/photo/upload-rate-limiter';

test('a burst, then one photo per 1/rate; Retry-After says when the next one fits', () => {
  let now = 0;
  const l = new UploadRateLimiter({ perMinute: 6, burst: 2, now: () => now });
  l.take('a');
  l.take('a');
  expect(() => l.take('a')).toThrow(
    expect.objectContaining({ code: 'input.rate_limited', status: 429, retryAfterSeconds: 10 }),
  );
  l.take('b');
  now += 4_000;
  expect(() => l.take('a')).toThrow(expect.objectContaining({ retryAfterSeconds: 6 }));
  now += 6_000;
  expect(() => l.take('a')).not.toThrow();
});

test('memory stays bounded under many distinct users', () => {
  const l = new UploadRateLimiter({ perMinute: 1, burst: 1, now: () => 0, maxUsers: 100 });
  for (let i = 0; i < 1000; i++) l.take(`u${i}`);
  expect((l as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
});
