import type { PreparedPhoto } from '../../../bot/src/core/photo/pipeline-ports';
import { appError, exif, image, processor } from '../../support/images';

/** Collects unhandled rejections while a test runs. */
function watchUnhandled(): { rejections: unknown[]; stop: () => void } {
  const rejections: unknown[] = [];
  const listener = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', listener);
  return { rejections, stop: () => process.off('unhandledRejection', listener) };
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('bounded work', () => {
  it('concurrency 1, queueLimit 0: of two simultaneous photos one succeeds and one is busy', async () => {
    const photos = processor({ concurrency: 1, queueLimit: 0 });
    const outcomes = await Promise.allSettled([
      photos.prepare(exif('Landscape', 1)),
      photos.prepare(exif('Landscape', 2)),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const busy = await appError(
      Promise.reject((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason),
    );
    expect(busy.code).toBe('photo.busy');
    expect(busy.params.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect([busy.retryable, busy.retryAfterSeconds, busy.status]).toEqual([true, busy.params.retryAfterSeconds, 503]);
  });

  it('queueLimit 2: two wait their turn, the fourth is busy; afterwards there is room again', async () => {
    const photos = processor({ concurrency: 1, queueLimit: 2 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => photos.prepare(exif('Portrait', n))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    await expect(photos.prepare(exif('Portrait', 5))).resolves.toMatchObject({ source: { format: 'jpeg' } });
  });

  it('cheap rejections (empty, unsupported, too large) do not take a slot', async () => {
    const photos = processor({ concurrency: 1, queueLimit: 0 });
    const running = photos.prepare(exif('Landscape', 1));
    expect((await appError(photos.prepare(image('sharp-fixtures/check.svg')))).code).toBe('photo.unsupported_format');
    await running;
  });

  it('a photo over its time budget -> decode_timeout, and the late work is never an unhandled rejection', async () => {
    const watch = watchUnhandled();
    try {
      const photos = processor({ timeoutMs: 1, concurrency: 1, queueLimit: 10 });
      const errors = await Promise.all([1, 2, 3].map((n) => appError(photos.prepare(exif('Landscape', n)))));
      for (const err of errors) {
        expect(err.code).toBe('photo.decode_timeout');
        expect(err.params).toEqual({ timeoutSeconds: 1 });
      }
      await settle(500);
      expect(watch.rejections).toEqual([]);
    } finally {
      watch.stop();
    }
  });

  it('a flood of broken files fails each one cleanly and the processor keeps working', async () => {
    const watch = watchUnhandled();
    try {
      const photos = processor({ concurrency: 2, queueLimit: 50, minSide: 1 });
      const broken = [
        'sharp-fixtures/truncated.jpg',
        'sharp-fixtures/truncated.png',
        'sharp-fixtures/corrupt-header.jpg',
        'pngsuite/png/xcsn0g01.png',
      ];
      const outcomes = await Promise.allSettled(
        broken.flatMap((f) => [image(f), image(f), image(f)]).map((b) => photos.prepare(b)),
      );
      expect(
        outcomes.every((o) => o.status === 'rejected' && (o.reason as { code: string }).code === 'photo.corrupt'),
      ).toBe(true);
      const ok: PreparedPhoto = await photos.prepare(exif('Portrait', 1));
      expect(ok.master.length).toBeGreaterThan(0);
      await settle(50);
      expect(watch.rejections).toEqual([]);
    } finally {
      watch.stop();
    }
  });
});
