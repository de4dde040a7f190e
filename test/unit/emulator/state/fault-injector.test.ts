import { FaultInjector } from '../../../../emulator/state/fault-injector';

describe('FaultInjector', () => {
  test('hits `times` matching requests, first-registered first, then stops', () => {
    const f = new FaultInjector();
    f.add({ method: 'put', path: '/photo/\\$value$', status: 429, retryAfterSeconds: 5, times: 2 });
    f.add({ path: '^/v1.0/', status: 503 });
    expect(f.take('GET', '/v1.0/users/x/photo/$value')?.answer?.status).toBe(503);
    expect(f.take('PUT', '/v1.0/users/x/photo/$value')?.answer).toEqual({
      status: 429,
      code: 'TooManyRequests',
      message: expect.any(String),
      retryAfterSeconds: 5,
    });
    expect(f.take('PUT', '/v1.0/users/x/photo/$value')?.answer?.status).toBe(429);
    expect(f.take('PUT', '/v1.0/users/x/photo/$value')).toBeUndefined();
    expect(f.list()).toEqual([]);
  });

  test('latency-only faults have no answer; unknown statuses get a generic code', () => {
    const f = new FaultInjector();
    f.add({ path: '.*', latencyMs: 50 });
    f.add({ path: '.*', status: 507 });
    expect(f.take('GET', '/x')).toEqual({ faultId: 'fault-1', latencyMs: 50 });
    expect(f.take('GET', '/x')?.answer?.code).toBe('UnknownError');
  });

  test('an invalid RegExp source throws at registration', () => {
    expect(() => new FaultInjector().add({ path: '(', status: 500 })).toThrow(SyntaxError);
  });
});
