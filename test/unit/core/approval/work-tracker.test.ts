/** WorkTracker: one job per key at a time, serial chains in order, idle waits for jobs started meanwhile. */
import { WorkTracker } from '../../../../bot/src/core/approval/work-tracker';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('run: a second job with the same key joins the running one; failures are reported, never thrown', async () => {
  const errors: string[] = [];
  const w = new WorkTracker((key, err) => errors.push(`${key}: ${(err as Error).message}`));
  let runs = 0;
  const job = async () => {
    runs++;
    await tick();
  };
  await Promise.all([w.run('a', job), w.run('a', job), w.run('b', job)]);
  expect(runs).toBe(2);
  await w.run('c', async () => {
    throw new Error('boom');
  });
  expect(errors).toEqual(['c: boom']);
});

test('serial: jobs with one key run one after another, in order; idle waits for work started while waiting', async () => {
  const w = new WorkTracker(() => undefined);
  const order: string[] = [];
  const step = (name: string) => async () => {
    order.push(`${name} start`);
    await tick();
    order.push(`${name} end`);
  };
  void w.serial('k', step('1'));
  void w.serial('k', async () => {
    await step('2')();
    void w.run('late', step('3'));
  });
  await w.idle();
  expect(order).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end']);
});

test('drain gives up after its time and says so', async () => {
  const w = new WorkTracker(() => undefined);
  void w.run('slow', () => new Promise((r) => setTimeout(r, 200)));
  expect(await w.drain(20)).toBe(false);
  expect(await w.drain(1000)).toBe(true);
});
