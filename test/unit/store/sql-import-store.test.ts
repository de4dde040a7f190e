/** SqlImportStore: import jobs, their rows and photos, leases and fingerprints, on both engines. */
import type { ImportItem, ImportJob } from '../../../bot/src/core/import/import-types';
import { SqlImportStore } from '../../../bot/src/store/sql-import-store';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';

const T0 = new Date('2026-12-01T09:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

const job = (id: string, seconds = 0): ImportJob => ({
  id,
  createdBy: 'patti',
  sourceName: 'team.zip',
  sourcePath: `/data/imports/${id}.zip`,
  options: { match: 'auto', onlyMissing: false, overwriteChanged: false, approval: false },
  state: 'checking',
  checkedFiles: 0,
  totalFiles: null,
  createdAt: at(seconds),
  updatedAt: at(seconds),
  locale: 'fi',
});

const item = (jobId: string, seq: number, plan: ImportItem['plan'] = 'new'): ImportItem => ({
  jobId,
  seq,
  file: `photos/${seq}.jpg`,
  bytes: 1000 + seq,
  contentHash: `hash${seq}`,
  person: { id: `u${seq}`, userPrincipalName: `u${seq}@example.com`, displayName: `User ${seq}` },
  matchedBy: 'upn',
  plan,
  reason: 'first_photo',
  reasonParams: { name: `User ${seq}` },
  warnings: [{ code: 'dark' }],
  outcome: 'not_written',
  attempts: 0,
});

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let store: SqlImportStore;
  beforeEach(async () => {
    db = await openTestStore(engine);
    store = new SqlImportStore(db);
  });
  afterEach(async () => {
    await db.close();
  });

  test('a job and its rows read back as written; a row added twice stays as it was first', async () => {
    await store.createJob(job('j1'), 'cli', at(30));
    expect(await store.getJob('j1')).toEqual(job('j1'));
    await store.addItems([{ item: item('j1', 1), master: new Uint8Array([1, 2]), preview: new Uint8Array([3]) }]);
    await store.addItems([{ item: { ...item('j1', 1), plan: 'changed' } }, { item: item('j1', 2, 'no_match') }]);
    expect(await store.items('j1', 0, 10)).toEqual([item('j1', 1), item('j1', 2, 'no_match')]);
    expect(await store.photo('j1', 1)).toEqual({ master: new Uint8Array([1, 2]), preview: new Uint8Array([3]) });
    expect(await store.photo('j1', 2)).toBeNull();
    await store.setProgress('j1', 2, 2, at(1));
    expect(await store.getJob('j1')).toMatchObject({ checkedFiles: 2, totalFiles: 2 });
    await store.replan('j1', [{ seq: 2, plan: 'duplicate', reason: 'duplicate', reasonParams: { count: 2 } }]);
    expect((await store.items('j1', 1, 10))[0]).toMatchObject({ plan: 'duplicate', reasonParams: { count: 2 } });
  });

  test('moves are compare-and-set; queue takes the writing plans only; counts per plan and outcome', async () => {
    await store.createJob(job('j1'), 'cli', at(30));
    await store.addItems([1, 2, 3].map((s) => ({ item: item('j1', s, s === 3 ? 'unchanged' : 'new') })));
    expect(await store.moveJob('j1', ['applying'], 'done', at(1))).toBeNull();
    expect((await store.moveJob('j1', ['checking'], 'checked', at(1)))?.state).toBe('checked');
    expect(await store.queue('j1', ['new', 'changed'])).toBe(2);
    expect(await store.moveItem('j1', 1, ['waiting'], 'writing', { requestId: 'r1', attempts: 1 })).toBe(true);
    expect(await store.moveItem('j1', 1, ['waiting'], 'writing', { requestId: 'r2' })).toBe(false);
    expect(await store.moveItem('j1', 2, ['waiting'], 'waiting', { notBefore: at(60), error: 'm365.throttled' })).toBe(
      true,
    );
    expect((await store.due('j1', ['waiting', 'writing'], at(10), 10)).map((i) => i.seq)).toEqual([1]);
    expect((await store.due('j1', ['waiting', 'writing'], at(61), 10)).map((i) => i.seq)).toEqual([1, 2]);
    expect(await store.nextDue('j1')).toEqual(at(60));
    expect((await store.items('j1', 0, 1))[0]).toMatchObject({ outcome: 'writing', requestId: 'r1', attempts: 1 });
    const counts = await store.counts('j1');
    expect(counts.files).toBe(3);
    expect(counts.plans).toMatchObject({ new: 2, unchanged: 1, no_match: 0 });
    expect(counts.outcomes).toMatchObject({ writing: 1, waiting: 1, not_written: 1, applied: 0 });
    await store.clearPhotos('j1');
    expect(await store.photo('j1', 1)).toBeNull();
  });

  test('one job writes at a time, oldest first; a dead owner’s job is taken over when its lease runs out', async () => {
    await store.createJob(job('old', 0), 'cli', at(0));
    await store.createJob(job('new', 10), 'cli', at(0));
    for (const id of ['old', 'new']) {
      await store.moveJob(id, ['checking'], 'checked', at(1));
      await store.moveJob(id, ['checked'], 'applying', at(1));
    }
    expect((await store.claimJob('a', ['applying'], at(30), at(20)))?.id).toBe('old');
    // b may not write the newer job while a holds the older one.
    expect(await store.claimJob('b', ['applying'], at(30), at(21))).toBeNull();
    expect(await store.renewJob('old', 'b', at(60))).toBe(false);
    expect(await store.renewJob('old', 'a', at(40))).toBe(true);
    // a dies: b takes over once the lease ran out.
    expect((await store.claimJob('b', ['applying'], at(90), at(41)))?.id).toBe('old');
    await store.moveJob('old', ['applying'], 'done', at(42));
    await store.releaseJob('old', 'b');
    expect((await store.claimJob('b', ['applying'], at(90), at(43)))?.id).toBe('new');
  });

  test('checks are claimed beside a writing job; a held check is not taken', async () => {
    await store.createJob(job('held', 0), 'cli', at(100));
    await store.createJob(job('free', 1), 'cli', at(0));
    expect((await store.claimJob('w', ['checking'], at(50), at(10)))?.id).toBe('free');
    expect(await store.claimJob('v', ['checking'], at(50), at(11))).toBeNull();
  });

  test('a fingerprint per person: saved, replaced, dropped only by the import that left it', async () => {
    const print = {
      userId: 'u1',
      jobId: 'j1',
      requestId: 'r1',
      contentHash: 'c1',
      shownHash: '0f0f0f0f0f0f0f0f',
      shownEtag: 'W/"1"',
      appliedAt: at(5),
    };
    await store.saveFingerprint(print);
    expect(await store.fingerprint('u1')).toEqual(print);
    await store.saveFingerprint({ ...print, jobId: 'j2', shownHash: null, shownEtag: null });
    await store.dropFingerprint('u1', 'j1');
    expect(await store.fingerprint('u1')).toMatchObject({ jobId: 'j2', shownHash: null });
    await store.dropFingerprint('u1', 'j2');
    expect(await store.fingerprint('u1')).toBeNull();
  });

  test('jobs are listed newest first', async () => {
    await store.createJob(job('a', 0), 'cli', at(0));
    await store.createJob(job('b', 5), 'cli', at(0));
    expect((await store.listJobs(10)).map((j) => j.id)).toEqual(['b', 'a']);
  });
});
