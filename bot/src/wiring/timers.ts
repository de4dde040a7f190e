/**
 * The service's background work, in one place: on start, finish what a dead process left half
 * done; then the expiry sweep, the scheduler tick (approval reminders, escalations, expiry and
 * writes; stale previews; the coverage refresh; refresh reminders; follow-through checks), the broadcast dispatcher
 * and the metrics log.
 */
import type { Config } from '../config';
import type { ApprovalService } from '../core/approval/approval-service';
import type { PhotoService } from '../core/photo/photo-service';
import type { Clock } from '../core/clock';
import type { FollowThrough } from '../core/status/follow-through';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { AdminWiring } from './compose-admin';

/** What the background work runs on. */
export interface BackgroundDeps {
  config: Readonly<Config>;
  photos: PhotoService;
  approvals: ApprovalService;
  admin: AdminWiring;
  /** Follow-through of photo changes; null when turned off. */
  followThrough: FollowThrough | null;
  metrics: Metrics;
  clock: Clock;
  /** Local mode: brings the clock to the local tenant's virtual time before each tick. */
  syncClock?: () => Promise<void>;
  logger: Logger;
}

/** Running background work. */
export interface Background {
  /** One scheduler tick now (tests, after moving the local tenant's clock). */
  tick(): Promise<void>;
  /** Stops the timers and, within `graceMs`, lets work in flight finish (what is left is resumed by the next start). */
  stop(graceMs: number): Promise<void>;
}

const message = (err: unknown): { message: string } => ({ message: (err as Error)?.message ?? String(err) });

/** Resumes interrupted work, then starts the timers. */
export async function startBackground(d: BackgroundDeps): Promise<Background> {
  const { config, photos, approvals, admin, clock, logger } = d;

  const resumed = await photos.resumeInterrupted().catch((err: unknown) => {
    logger.error({ err: message(err) }, 'resuming interrupted requests failed');
    return 0;
  });
  if (resumed > 0) logger.info({ resumed }, 'resumed interrupted photo requests');
  const sweeper = setInterval(() => {
    photos.expireDue().catch((err: unknown) => logger.warn({ err: message(err) }, 'expiry sweep failed'));
  }, 60_000);
  sweeper.unref();
  // Approvals: finish writes a crash interrupted, then the durable scheduler (due times live in the store).
  await approvals.resume().catch((err: unknown) => logger.error({ err: message(err) }, 'resuming approvals failed'));
  // Coverage: take over scans a dead process left; refresh a stale one on the schedule. Broadcasts: the dispatcher.
  await admin.coverage
    .resumeAbandoned()
    .catch((err: unknown) => logger.error({ err: message(err) }, 'resuming coverage scans failed'));
  admin.dispatcher?.start(config.broadcast.pollMs);

  const refreshCoverage = async (): Promise<void> => {
    if (config.coverage.refreshHours <= 0) return;
    const latest = await admin.coverage.view();
    const age = latest ? clock.now().getTime() - Date.parse(latest.finishedAt ?? latest.startedAt) : Infinity;
    if (latest?.state !== 'running' && age > config.coverage.refreshHours * 3_600_000)
      await admin.coverage.start('schedule');
  };
  const tick = async (): Promise<void> => {
    await d.syncClock?.();
    await approvals.tick();
    await photos.expireDue();
    await refreshCoverage();
    // Refresh reminders: one campaign per finished coverage scan while the tenant setting is on.
    await admin.startRefreshReminders();
    // Follow-through: the checks now due (what a dead process held is taken over when its lease runs out).
    const checked = await d.followThrough?.runDue();
    if (checked) logger.debug({ checked }, 'follow-through checks');
  };
  let ticking: Promise<void> | undefined;
  const scheduler = setInterval(() => {
    ticking ??= tick()
      .catch((err: unknown) => logger.warn({ err: message(err) }, 'approval tick failed'))
      .finally(() => (ticking = undefined));
  }, config.approvals.tickSeconds * 1000);
  scheduler.unref();

  const metricsLog =
    config.metrics.logSeconds > 0
      ? setInterval(() => logger.info({ metrics: d.metrics.snapshot() }, 'metrics'), config.metrics.logSeconds * 1000)
      : undefined;
  metricsLog?.unref();

  return {
    tick,
    async stop(graceMs) {
      clearInterval(sweeper);
      clearInterval(scheduler);
      clearInterval(metricsLog);
      // Work still running after the grace is abandoned like in a crash: the next start finishes it.
      await approvals.worker.work.drain(graceMs);
      // Broadcasts: with a grace, sends in flight are recorded and claimed jobs go back to the queue; without, a crash.
      await admin.dispatcher?.stop(graceMs);
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([admin.coverage.idle(), new Promise((r) => (graceTimer = setTimeout(r, graceMs)))]);
      clearTimeout(graceTimer);
    },
  };
}
