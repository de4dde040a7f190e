/**
 * PhotoService with the real adapters main.ts wires: sharp, SQLite (in memory) and
 * Microsoft Graph through the Graph client against a real local tenant over HTTP.
 */
import crypto from 'node:crypto';
import sharp from 'sharp';
import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS, startLocalTenant, type LocalTenant } from '../../../../emulator';
import { AppError } from '../../../../bot/src/core/errors';
import { PhotoService } from '../../../../bot/src/core/photo/photo-service';
import type { Clock } from '../../../../bot/src/core/clock';
import type {
  PhotoNotifier,
  PhotoRequest,
  RequestCards,
  RequestOutcome,
} from '../../../../bot/src/core/photo/request-ports';
import { createGraphClient } from '../../../../bot/src/m365/graph-client';
import { GraphProfilePhotos } from '../../../../bot/src/m365/graph-profile-photos';
import { LocalClientCredentials } from '../../../../bot/src/m365/token-source';
import { SharpImageProcessor } from '../../../../bot/src/photo';
import type { SqlDb } from '../../../../bot/src/store/sql/sql-db';
import { SqliteDb } from '../../../../bot/src/store/sql/sqlite-db';
import { SqlAuditLog } from '../../../../bot/src/store/sql-audit-log';
import { SqlRequestRepository } from '../../../../bot/src/store/sql-request-repository';
import { image } from '../../../support/photos';

const TTL_MS = 24 * 3_600_000;
const ALEX = DEMO_USERS.alex; // no photo in the demo seed
const MEGAN = DEMO_USERS.megan; // has a 648 px photo

class ManualClock implements Clock {
  private t = Date.parse('2025-03-01T09:00:00Z');
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Records what the service tells users out of band. */
class RecordingNotifier implements PhotoNotifier {
  readonly ended: { request: PhotoRequest; preview: Uint8Array | null; error?: { code: string } }[] = [];
  readonly previews: PhotoRequest[] = [];
  async previewReady(request: PhotoRequest): Promise<boolean> {
    this.previews.push(request);
    return true;
  }
  async requestEnded(
    request: PhotoRequest,
    preview: Uint8Array | null,
    error?: { code: string; params: Record<string, string | number> },
  ): Promise<boolean> {
    this.ended.push({ request, preview, error });
    return true;
  }
}

/** Records which request's cards the service closed, and how; `shown` is what close() answers. */
class RecordingCards implements RequestCards {
  readonly closed: { id: string; state: string; outcome: RequestOutcome; preview: boolean }[] = [];
  shown = 0;
  async close(request: PhotoRequest, outcome: RequestOutcome, preview?: Uint8Array | null): Promise<number> {
    this.closed.push({ id: request.id, state: request.state, outcome, preview: (preview?.byteLength ?? 0) > 0 });
    return this.shown;
  }
}

let tenant: LocalTenant;
let tokens: LocalClientCredentials;
const images = new SharpImageProcessor({
  maxBytes: 20 * 1048576,
  maxPixels: 50_000_000,
  minSide: 96,
  background: '#ffffff',
  concurrency: 2,
  queueLimit: 100,
});
const portrait = image('exif-orientation-examples/Portrait_6.jpg');
/** Small real photos keep the pipeline quick where the picture itself does not matter. */
const small = image('sharp-fixtures/320x240.jpg');

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
  tokens = new LocalClientCredentials(tenant.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret);
});
afterAll(() => tenant.close());

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${tenant.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return (await res.json()) as T;
}
const photoInfo = (userId: string) =>
  control<{
    hasPhoto: boolean;
    width: number | null;
    height: number | null;
    bytes: number | null;
    contentType: string | null;
  }>('GET', `/_control/users/${userId}/photo-info`);
/** PUT /users/{id}/photo/$value calls the tenant answered, with their status. */
const photoWrites = async (userId: string) =>
  (
    await control<{ value: { status: number }[] }>(
      'GET',
      `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${userId}/photo`)}`,
    )
  ).value.map((r) => r.status);

interface World {
  service: PhotoService;
  repo: SqlRequestRepository;
  audit: SqlAuditLog;
  clock: ManualClock;
  notifier: RecordingNotifier;
  cards: RecordingCards;
  db: SqlDb;
  /** A second service on the same database and tenant, as after a restart. */
  restart(): PhotoService;
}

let world: World;

function build(maxRetries = 0): World {
  const db = SqliteDb.open(':memory:');
  const repo = new SqlRequestRepository(db);
  const audit = new SqlAuditLog(db);
  const clock = new ManualClock();
  const notifier = new RecordingNotifier();
  const cards = new RecordingCards();
  const make = () =>
    new PhotoService({
      images,
      photos: new GraphProfilePhotos(
        createGraphClient({ baseUrl: tenant.url, tokens, maxRetries, retryDelaySeconds: 0 }),
      ),
      requests: repo,
      audit,
      clock,
      newId: () => crypto.randomUUID(),
      requestTtlMs: TTL_MS,
      notifier,
      cards,
    });
  return { service: make(), repo, audit, clock, notifier, cards, db, restart: make };
}

beforeEach(async () => {
  await control('POST', '/_control/reset');
  world = build();
});
afterEach(() => world.db.close());

const incoming = (userId: string, bytes: Uint8Array = small) => ({
  userId,
  tenantId: DEMO_TENANT_ID,
  locale: 'en' as const,
  bytes,
  source: 'teams-file' as const,
});

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('receive', () => {
  test('stores a previewed request with a 96 px JPEG preview and writes nothing to Microsoft 365', async () => {
    const { request, preview, superseded } = await world.service.receive(incoming(ALEX, portrait));
    expect(superseded).toEqual([]);
    expect(request).toMatchObject({
      userId: ALEX,
      state: 'previewed',
      version: 1,
      sourceInfo: { format: 'jpeg', width: 1200, height: 1800 },
    });
    expect(request.expiresAt.getTime() - request.createdAt.getTime()).toBe(TTL_MS);
    expect(await sharp(Buffer.from(preview)).metadata()).toMatchObject({ width: 96, height: 96, format: 'jpeg' });
    expect(await world.repo.get(request.id)).toEqual(request);
    expect(await sharp(Buffer.from((await world.repo.getPhoto(request.id))?.master ?? [])).metadata()).toMatchObject({
      width: 648,
      height: 648,
      format: 'jpeg',
    });
    expect(await photoWrites(ALEX)).toEqual([]);
    expect((await photoInfo(ALEX)).hasPhoto).toBe(false);
    expect(await world.audit.list({ subjectId: ALEX })).toMatchObject([
      { action: 'photo.receive', outcome: 'ok', requestId: request.id },
    ]);
  });

  test('a second photo supersedes the open preview', async () => {
    const first = await world.service.receive(incoming(ALEX));
    const second = await world.service.receive(incoming(ALEX, portrait));
    expect(second.superseded).toEqual([first.request.id]);
    expect((await world.repo.get(first.request.id))?.state).toBe('superseded');
    expect(await rejection(world.service.confirm(first.request.id, ALEX))).toMatchObject({
      code: 'request.closed',
      params: { state: 'superseded' },
    });
  });

  test('bytes that are not a photo are refused, audited, and nothing is stored', async () => {
    const e = await rejection(world.service.receive(incoming(ALEX, new TextEncoder().encode('hello, not a photo'))));
    expect(e.code).toBe('photo.unsupported_format');
    expect(await world.repo.openForUser(ALEX)).toBeNull();
    expect(await world.audit.list({ subjectId: ALEX })).toMatchObject([
      { action: 'photo.receive', outcome: 'refused', detail: { code: 'photo.unsupported_format' } },
    ]);
  });

  test('receiveAndNotify sends the preview to the chat and says it did', async () => {
    const result = await world.service.receiveAndNotify(incoming(ALEX));
    expect(result.delivered).toBe(true);
    expect(world.notifier.previews.map((r) => r.id)).toEqual([result.request.id]);
  });
});

describe('confirm', () => {
  test('writes the 648 px master to Microsoft 365 once, keeps the old photo for undo, and ends applied', async () => {
    const before = await photoInfo(MEGAN);
    expect(before).toMatchObject({ hasPhoto: true });
    const { request } = await world.service.receive(incoming(MEGAN));
    const master = (await world.repo.getPhoto(request.id))?.master as Uint8Array;

    const done = await world.service.confirm(request.id, MEGAN);
    expect(done.request).toMatchObject({ id: request.id, state: 'applied', version: 3 });
    expect(await photoInfo(MEGAN)).toMatchObject({
      hasPhoto: true,
      width: 648,
      height: 648,
      contentType: 'image/jpeg',
      bytes: master.byteLength,
    });
    expect(await photoWrites(MEGAN)).toEqual([200]);
    const previous = (await world.db.get(`SELECT user_id, photo FROM previous_photos WHERE request_id = ?`, [
      request.id,
    ])) as { user_id: string; photo: Buffer };
    expect(previous.user_id).toBe(MEGAN);
    expect((await sharp(previous.photo).metadata()).format).toBe('jpeg');
    expect((await world.audit.list({ subjectId: MEGAN }))[0]).toMatchObject({
      action: 'photo.apply',
      outcome: 'ok',
      detail: { previousSaved: true },
    });

    expect(await rejection(world.service.confirm(request.id, MEGAN))).toMatchObject({
      code: 'request.already_applied',
    });
    expect(await photoWrites(MEGAN)).toEqual([200]);
  });

  test('a user with no photo before: undo history records that there was none', async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    await world.service.confirm(request.id, ALEX);
    expect(await world.db.get(`SELECT photo FROM previous_photos WHERE request_id = ?`, [request.id])).toEqual({
      photo: null,
    });
    expect((await photoInfo(ALEX)).hasPhoto).toBe(true);
  });

  test('of two concurrent confirms exactly one applies; the photo is written once', async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    const results = await Promise.allSettled([
      world.service.confirm(request.id, ALEX),
      world.service.confirm(request.id, ALEX),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [failed] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(['request.in_progress', 'request.already_applied']).toContain((failed.reason as AppError).code);
    expect(await photoWrites(ALEX)).toEqual([200]);
  });

  test("someone else's request is refused and audited; nothing is written", async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    expect(await rejection(world.service.confirm(request.id, MEGAN))).toMatchObject({
      code: 'request.not_yours',
      status: 403,
    });
    expect(await rejection(world.service.confirm('no-such-request', ALEX))).toMatchObject({
      code: 'request.not_found',
      status: 404,
    });
    expect((await world.repo.get(request.id))?.state).toBe('previewed');
    expect(await photoWrites(ALEX)).toEqual([]);
    expect(await world.audit.list({ actorId: MEGAN })).toMatchObject([
      { action: 'photo.confirm', outcome: 'refused', subjectId: ALEX },
    ]);
  });

  test('after the preview expired it is refused, marked expired, and nothing is written', async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    world.clock.advance(TTL_MS);
    expect(await rejection(world.service.confirm(request.id, ALEX))).toMatchObject({
      code: 'request.expired',
      params: { hours: 24 },
    });
    expect((await world.repo.get(request.id))?.state).toBe('expired');
    expect(await world.repo.getPhoto(request.id)).toBeNull();
    expect(await photoWrites(ALEX)).toEqual([]);
  });

  test('a non-retryable Graph failure (photo policy: on-premises, 403) ends in failed with its code; nothing is written', async () => {
    await control('PUT', '/_control/photo-policy', { source: 'onPremises' });
    const { request } = await world.service.receive(incoming(ALEX));
    const e = await rejection(world.service.confirm(request.id, ALEX));
    expect(e).toMatchObject({ code: 'm365.forbidden', retryable: false });
    expect(await world.repo.get(request.id)).toMatchObject({ state: 'failed', errorCode: 'm365.forbidden' });
    expect(await world.repo.getPhoto(request.id)).toBeNull();
    expect(await photoWrites(ALEX)).toEqual([403]);
    expect((await photoInfo(ALEX)).hasPhoto).toBe(false);
    expect((await world.audit.list({ subjectId: ALEX }))[0]).toMatchObject({
      action: 'photo.apply',
      outcome: 'failed',
      detail: { code: 'm365.forbidden', retryable: false },
    });
  });

  test('a retryable Graph failure (503) goes back to previewed; confirming again later applies it', async () => {
    await control('POST', '/_control/faults', {
      method: 'PUT',
      path: '/photo/\\$value$',
      status: 503,
      times: 10,
      retryAfterSeconds: 7,
    });
    const { request } = await world.service.receive(incoming(ALEX));
    const e = await rejection(world.service.confirm(request.id, ALEX));
    expect(e).toMatchObject({ code: 'm365.unavailable', retryable: true, retryAfterSeconds: 7 });
    expect(await world.repo.get(request.id)).toMatchObject({ state: 'previewed', version: 3 });
    expect(await world.repo.getPhoto(request.id)).not.toBeNull();
    expect((await photoInfo(ALEX)).hasPhoto).toBe(false);

    await control('DELETE', '/_control/faults');
    expect((await world.service.confirm(request.id, ALEX)).request.state).toBe('applied');
    expect(await photoWrites(ALEX)).toEqual([503, 200]);
  });

  test("with the client's retries on, one 503 is retried and the photo lands (the JPEG body is replayable)", async () => {
    await world.db.close();
    world = build(3);
    await control('POST', '/_control/faults', {
      method: 'PUT',
      path: '/photo/\\$value$',
      status: 503,
      times: 1,
      retryAfterSeconds: 0,
    });
    const { request } = await world.service.receive(incoming(ALEX));
    expect((await world.service.confirm(request.id, ALEX)).request.state).toBe('applied');
    expect(await photoWrites(ALEX)).toEqual([503, 200]);
    expect((await photoInfo(ALEX)).bytes).toBe((await world.repo.getPhoto(request.id))?.master.byteLength);
  });
});

describe('cancel', () => {
  test('cancels a preview; it can then be neither confirmed nor cancelled again', async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    expect(await world.service.cancel(request.id, ALEX)).toMatchObject({ state: 'cancelled' });
    expect(await world.repo.getPhoto(request.id)).toBeNull();
    expect(await rejection(world.service.confirm(request.id, ALEX))).toMatchObject({
      code: 'request.closed',
      params: { state: 'cancelled' },
    });
    expect(await rejection(() => world.service.cancel(request.id, ALEX))).toMatchObject({ code: 'request.closed' });
    expect(await rejection(() => world.service.cancel(request.id, MEGAN))).toMatchObject({ code: 'request.not_yours' });
    expect(await photoWrites(ALEX)).toEqual([]);
  });

  test("cancelOpen cancels the user's open preview, or returns null when there is none", async () => {
    expect(await world.service.cancelOpen(ALEX)).toBeNull();
    const { request } = await world.service.receive(incoming(ALEX));
    await world.service.receive(incoming(MEGAN));
    expect(await world.service.cancelOpen(ALEX)).toMatchObject({ id: request.id, state: 'cancelled' });
    expect(await world.service.cancelOpen(ALEX)).toBeNull();
    expect(await world.repo.openForUser(MEGAN)).not.toBeNull();
  });
});

describe('expireDue', () => {
  test('expires previews whose time ran out, tells their owners, and only once', async () => {
    const old = await world.service.receive(incoming(ALEX));
    world.clock.advance(TTL_MS / 2);
    const fresh = await world.service.receive(incoming(MEGAN));
    world.clock.advance(TTL_MS / 2);

    expect(await world.service.expireDue()).toBe(1);
    expect((await world.repo.get(old.request.id))?.state).toBe('expired');
    expect((await world.repo.get(fresh.request.id))?.state).toBe('previewed');
    expect(world.notifier.ended).toEqual([
      { request: expect.objectContaining({ id: old.request.id, state: 'expired' }), preview: null, error: undefined },
    ]);

    expect(await world.service.expireDue()).toBe(0);
    expect(world.notifier.ended).toHaveLength(1);
  });
  test('an owner who cannot be told does not keep the other previews from expiring', async () => {
    const a = await world.service.receive(incoming(ALEX));
    const m = await world.service.receive(incoming(MEGAN));
    world.notifier.requestEnded = async () => {
      throw new Error('Bot Connector down');
    };
    world.clock.advance(TTL_MS);
    expect(await world.service.expireDue()).toBe(2);
    expect([(await world.repo.get(a.request.id))?.state, (await world.repo.get(m.request.id))?.state]).toEqual([
      'expired',
      'expired',
    ]);
  });
});

describe('resumeInterrupted', () => {
  test('a request a crash left in applying is applied once after the restart, and its owner is told', async () => {
    const { request, preview } = await world.service.receive(incoming(ALEX));
    // The crash: the request was claimed, then the process died before the write.
    expect(await world.repo.transition(request.id, 'previewed', 'applying', world.clock.now())).not.toBeNull();
    const restarted = world.restart();

    expect(await restarted.resumeInterrupted()).toBe(1);
    expect((await world.repo.get(request.id))?.state).toBe('applied');
    expect(await photoWrites(ALEX)).toEqual([200]);
    expect(await photoInfo(ALEX)).toMatchObject({ hasPhoto: true, width: 648, height: 648 });
    expect(world.notifier.ended).toHaveLength(1);
    expect(world.notifier.ended[0].request).toMatchObject({ id: request.id, state: 'applied' });
    expect(world.notifier.ended[0].error).toBeUndefined();
    expect(Buffer.from(world.notifier.ended[0].preview ?? [])).toEqual(Buffer.from(preview));

    expect(await restarted.resumeInterrupted()).toBe(0);
    expect(await photoWrites(ALEX)).toEqual([200]);
    expect(world.notifier.ended).toHaveLength(1);
  });

  test('when the resumed write is refused, the request fails and the owner is told why', async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    await world.repo.transition(request.id, 'previewed', 'applying', world.clock.now());
    await control('PUT', '/_control/photo-policy', { source: 'onPremises' });

    expect(await world.restart().resumeInterrupted()).toBe(1);
    expect(await world.repo.get(request.id)).toMatchObject({ state: 'failed', errorCode: 'm365.forbidden' });
    expect(world.notifier.ended).toMatchObject([
      { request: { id: request.id, state: 'failed' }, error: { code: 'm365.forbidden' } },
    ]);
    expect((await photoInfo(ALEX)).hasPhoto).toBe(false);
  });

  test('a notifier that throws for one user does not stop the others from being resumed', async () => {
    const a = await world.service.receive(incoming(ALEX));
    const m = await world.service.receive(incoming(MEGAN));
    await world.repo.transition(a.request.id, 'previewed', 'applying', world.clock.now());
    await world.repo.transition(m.request.id, 'previewed', 'applying', world.clock.now());
    const original = world.notifier.requestEnded.bind(world.notifier);
    world.notifier.requestEnded = async (request, preview, error) => {
      if (request.userId === ALEX) throw new Error('Bot Connector down');
      return original(request, preview, error);
    };

    expect(await world.restart().resumeInterrupted()).toBe(2);
    expect((await world.repo.get(a.request.id))?.state).toBe('applied');
    expect((await world.repo.get(m.request.id))?.state).toBe('applied');
    expect(world.notifier.ended.map((e) => e.request.userId)).toEqual([MEGAN]);
  });
});

describe('request cards', () => {
  test('each way a preview ends closes its cards: superseded, cancelled, applied (with the photo)', async () => {
    const first = await world.service.receive(incoming(ALEX));
    const second = await world.service.receive(incoming(ALEX));
    await world.service.cancel(second.request.id, ALEX);
    const third = await world.service.receive(incoming(ALEX));
    await world.service.confirm(third.request.id, ALEX);
    expect(world.cards.closed).toEqual([
      { id: first.request.id, state: 'superseded', outcome: 'superseded', preview: false },
      { id: second.request.id, state: 'cancelled', outcome: 'cancelled', preview: false },
      { id: third.request.id, state: 'applied', outcome: 'applied', preview: true },
    ]);
  });

  test('a write Microsoft 365 refuses for good closes the card as failed; a busy one leaves it open', async () => {
    await control('POST', '/_control/faults', { method: 'PUT', path: '/photo/\\$value$', status: 503, times: 1 });
    const busy = await world.service.receive(incoming(ALEX));
    await rejection(world.service.confirm(busy.request.id, ALEX));
    expect(world.cards.closed).toEqual([]);
    await control('PUT', '/_control/photo-policy', { source: 'onPremises' });
    await rejection(world.service.confirm(busy.request.id, ALEX));
    expect(world.cards.closed).toEqual([{ id: busy.request.id, state: 'failed', outcome: 'failed', preview: true }]);
  });

  test('an expired preview whose card closed in place gets no second message; one without a card does', async () => {
    world.cards.shown = 1;
    const carded = await world.service.receive(incoming(ALEX));
    world.clock.advance(TTL_MS);
    expect(await world.service.expireDue()).toBe(1);
    expect(world.cards.closed).toMatchObject([{ id: carded.request.id, outcome: 'expired' }]);
    expect(world.notifier.ended).toEqual([]);

    world.cards.shown = 0;
    const uncarded = await world.service.receive(incoming(MEGAN));
    world.clock.advance(TTL_MS);
    expect(await world.service.expireDue()).toBe(1);
    expect(world.notifier.ended).toMatchObject([{ request: { id: uncarded.request.id, state: 'expired' } }]);
  });

  test("undo marks the change's cards undone; undoing the undo marks them applied again", async () => {
    const { request } = await world.service.receive(incoming(ALEX));
    await world.service.confirm(request.id, ALEX);
    world.cards.closed.length = 0;
    const undo = await world.service.undo(ALEX, ALEX);
    expect(world.cards.closed).toEqual([
      { id: undo.request.id, state: 'applied', outcome: 'applied', preview: false },
      { id: request.id, state: 'applied', outcome: 'undone', preview: true },
    ]);
    world.cards.closed.length = 0;
    await world.service.undo(ALEX, ALEX);
    expect(world.cards.closed.map((c) => [c.id, c.outcome])).toEqual([
      [expect.any(String), 'applied'],
      [undo.request.id, 'undone'],
      [request.id, 'applied'],
    ]);
  });

  test('cards that cannot be closed never fail the work', async () => {
    world.cards.close = async () => {
      throw new Error('store down');
    };
    const first = await world.service.receive(incoming(ALEX));
    const second = await world.service.receive(incoming(ALEX));
    expect((await world.repo.get(first.request.id))?.state).toBe('superseded');
    expect((await world.service.confirm(second.request.id, ALEX)).request.state).toBe('applied');
  });
});
