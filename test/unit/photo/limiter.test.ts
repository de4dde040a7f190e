import { QueueFullError, WorkLimiter } from '../../../bot/src/photo';

/** A task whose completion the test controls. */
function gate(): { promise: Promise<void>; open: () => void; fail: (err: Error) => void } {
  let open = (): void => {};
  let fail = (_: Error): void => {};
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('WorkLimiter', () => {
  it('runs at most `concurrency` tasks at once and starts queued ones in order', async () => {
    const limiter = new WorkLimiter(2, 10);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.waiting]).toEqual([2, 2]);

    gates[1].open();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);

    gates.forEach((g) => g.open());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });

  it('rejects at once with a retry estimate when slots and queue are full', async () => {
    const limiter = new WorkLimiter(1, 1);
    const g = gate();
    const first = limiter.run(() => g.promise);
    const second = limiter.run(() => Promise.resolve());
    const third = limiter.run(() => Promise.resolve());
    await expect(third).rejects.toBeInstanceOf(QueueFullError);
    await expect(third).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    g.open();
    await Promise.all([first, second]);
  });

  it('estimates the wait from recent durations, never under 1 s', async () => {
    let clock = 0;
    const limiter = new WorkLimiter(1, 0, () => clock);
    // One task that "took" 5 s.
    await limiter.run(async () => {
      clock += 5000;
    });
    const g = gate();
    const running = limiter.run(() => g.promise);
    expect(limiter.retryAfterSeconds()).toBe(5);
    g.open();
    await running;
    expect(new WorkLimiter(4, 0).retryAfterSeconds()).toBe(1);
  });

  it('frees the slot when a task fails or throws synchronously', async () => {
    const limiter = new WorkLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('bad file')))).rejects.toThrow('bad file');
    await expect(
      limiter.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(limiter.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('refuses nonsense limits', () => {
    expect(() => new WorkLimiter(0, 1)).toThrow(RangeError);
    expect(() => new WorkLimiter(1, -1)).toThrow(RangeError);
  });
});
