/** SqlPhotoSightings with PhotoAges: the face check of applied photos, per person and summed, on both engines. */
import { faceCheckOf, PhotoAges } from '../../../bot/src/core/coverage/photo-age';
import { SqlPhotoSightings } from '../../../bot/src/store/sql-photo-sightings';
import type { SqlDb } from '../../../bot/src/store/sql/sql-db';
import { ENGINES, openTestStore } from '../../support/stores';

const T0 = new Date('2026-12-01T09:00:00Z');

describe.each(ENGINES)('%s', (engine) => {
  let db: SqlDb;
  let ages: PhotoAges;
  /** Each "photo" hashes to its own first byte, repeated: different bytes, different pictures. */
  const photo = (n: number) => new Uint8Array([n]);
  beforeEach(async () => {
    db = await openTestStore(engine);
    ages = new PhotoAges({
      store: new SqlPhotoSightings(db),
      small: { smallPhotos: async () => new Map() },
      hash: async (bytes) => bytes[0].toString(16).padStart(2, '0').repeat(8),
      clock: { now: () => T0 },
    });
  });
  afterEach(async () => {
    await db.close();
  });

  test('applied photos keep what their face check found; the CSV column and the summary read it back', async () => {
    await ages.applied('clean', photo(1), '');
    await ages.applied('group', photo(2), 'multiple_faces');
    await ages.applied('both', photo(3), 'no_face,face_cut_off');
    await ages.applied('late', photo(4), 'unavailable');
    await ages.applied('unchecked', photo(5), null);
    expect(
      Object.fromEntries(await ages.faceChecks(['clean', 'group', 'both', 'late', 'unchecked', 'nobody'])),
    ).toEqual({
      clean: 'ok',
      group: 'multiple_faces',
      both: 'no_face+face_cut_off',
      late: 'unavailable',
      unchecked: '',
    });
    expect(await ages.faceCheckSummary()).toEqual({
      checked: 4,
      clean: 1,
      unavailable: 1,
      byRule: { multiple_faces: 1, no_face: 1, face_cut_off: 1 },
    });
  });

  test("the same picture applied again takes the newer check; a picture a scan saw is not Headshot's", async () => {
    await ages.applied('u', photo(1), 'no_face');
    await ages.applied('u', photo(1), '');
    expect((await ages.faceChecks(['u'])).get('u')).toBe('ok');
    await new SqlPhotoSightings(db).put([
      { userId: 'u', etag: 'e2', hash: '9999999999999999', firstSeenAt: T0, applied: false, faceCheck: null },
    ]);
    expect((await ages.faceChecks(['u'])).get('u')).toBe('');
    expect((await ages.faceCheckSummary()).checked).toBe(0);
  });
});

describe('faceCheckOf: what is stored for an applied request', () => {
  it('the face rules among its warnings; unavailable; null when faces were not checked', () => {
    const warnings = [{ code: 'dark' }, { code: 'multiple_faces' }, { code: 'face_too_small' }];
    expect(faceCheckOf({ warnings, sourceInfo: { faceCheck: 'checked' } })).toBe('multiple_faces,face_too_small');
    expect(faceCheckOf({ warnings: [{ code: 'dark' }], sourceInfo: { faceCheck: 'checked' } })).toBe('');
    expect(faceCheckOf({ warnings: [], sourceInfo: { faceCheck: 'unavailable' } })).toBe('unavailable');
    expect(faceCheckOf({ warnings, sourceInfo: { faceCheck: 'off' } })).toBeNull();
    expect(faceCheckOf({ warnings, sourceInfo: {} })).toBeNull();
  });
});
