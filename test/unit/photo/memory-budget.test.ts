/** The memory budget HEIC decodes share: first come, first served, within each photo's time budget. */
import { AppError } from '../../../bot/src/core/errors';
import { Deadline } from '../../../bot/src/photo/deadline';
import { decodeHeic, heicDecodesRunning } from '../../../bot/src/photo/heic-decoder';
import { MemoryBudget } from '../../../bot/src/photo/memory-budget';
import { heic } from '../../support/images';
import fs from 'node:fs';
import path from 'node:path';

const MB = 1024 * 1024;
const later = (): Deadline => new Deadline(10_000);

test('reservations that fit are granted at once; the rest wait, in order, for a release', async () => {
  const budget = new MemoryBudget(100 * MB);
  const granted: string[] = [];
  const a = await budget.reserve(60 * MB, later());
  const b = budget.reserve(60 * MB, later()).then((r) => (granted.push('b'), r));
  const c = budget.reserve(30 * MB, later()).then((r) => (granted.push('c'), r));
  await new Promise((r) => setTimeout(r, 20));
  // c would fit beside a, but b came first: nobody overtakes a bigger waiter and starves it.
  expect(granted).toEqual([]);
  expect(budget.reserved).toBe(60 * MB);
  a();
  a(); // releasing twice gives back once
  const releaseB = await b;
  const releaseC = await c;
  expect(granted).toEqual(['b', 'c']);
  expect(budget.reserved).toBe(90 * MB);
  releaseB();
  releaseC();
  expect(budget.reserved).toBe(0);
});

test("a wait longer than the photo's time budget ends as photo.decode_timeout, and frees its place", async () => {
  const budget = new MemoryBudget(100 * MB);
  const held = await budget.reserve(100 * MB, later());
  const err = await budget.reserve(10 * MB, new Deadline(30)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('photo.decode_timeout');
  held();
  const next = await budget.reserve(100 * MB, later());
  expect(budget.reserved).toBe(100 * MB);
  next();
});

test('a HEIC larger than the budget can hold is refused before any worker starts, naming the limit', async () => {
  const bytes = fs.readFileSync(path.join(__dirname, '../../fixtures/heic/large-49mp.heic'));
  const budget = new MemoryBudget(256 * MB); // 256 MB / 11 bytes a pixel: about 24 MP
  const err = await decodeHeic(bytes, { maxPixels: 50_000_000, deadline: later(), memory: budget }).then(
    () => null,
    (e: unknown) => e as AppError,
  );
  expect(err?.code).toBe('photo.too_many_pixels');
  expect(err?.params).toMatchObject({ width: 7000, height: 7000, maxMegapixels: expect.any(Number) });
  expect(heicDecodesRunning()).toBe(0);
  expect(budget.reserved).toBe(0);
});

test('a decode gives its memory back when its worker has exited', async () => {
  const budget = new MemoryBudget(640 * MB);
  const pixels = await decodeHeic(heic('landscape'), { maxPixels: 50_000_000, deadline: later(), memory: budget });
  expect(pixels.width).toBe(900);
  for (let i = 0; i < 100 && budget.reserved > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(budget.reserved).toBe(0);
});
