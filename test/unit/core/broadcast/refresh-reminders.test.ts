/**
 * Photo age and the refresh reminder's age rules: calendar months, the ages an admin may set, and how scans and
 * applies keep or restart a picture's age (downloads only for changed ETags). Stores and Graph are in-memory
 * stand-ins; PhotoAges is the real one.
 */
import { checkRefreshMonths, refreshCutoff } from '../../../../bot/src/core/broadcast/refresh-reminders';
import { PhotoAges, type PhotoSighting } from '../../../../bot/src/core/coverage/photo-age';

test('the cutoff is whole calendar months back, to the last day of a shorter month', () => {
  expect(refreshCutoff(new Date('2027-03-31T10:00:00Z'), 1)).toEqual(new Date('2027-02-28T10:00:00Z'));
  expect(refreshCutoff(new Date('2028-03-31T10:00:00Z'), 1)).toEqual(new Date('2028-02-29T10:00:00Z'));
  expect(refreshCutoff(new Date('2027-01-15T00:00:00Z'), 24)).toEqual(new Date('2025-01-15T00:00:00Z'));
});

test('an admin sets 6 to 120 whole months', () => {
  expect(checkRefreshMonths(24)).toBe(24);
  for (const bad of [5, 121, 12.5, '24', null])
    expect(() => checkRefreshMonths(bad)).toThrow(expect.objectContaining({ code: 'broadcast.invalid' }));
});

describe('PhotoAges', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  let now = T0;
  let rows: Map<string, PhotoSighting>;
  let downloads: string[];
  /** The "picture" of each user's 48x48 photo: its hash is the picture's; absent users cannot be read. */
  let pictures: Map<string, string>;
  const ages = () =>
    new PhotoAges({
      store: {
        get: async (ids) => new Map(ids.filter((id) => rows.has(id)).map((id) => [id, rows.get(id)!])),
        put: async (s) => s.forEach((x) => rows.set(x.userId, x)),
        faceCheckCounts: async () => new Map(),
      },
      small: {
        smallPhotos: async (ids) => {
          downloads.push(...ids);
          return new Map(ids.filter((id) => pictures.has(id)).map((id) => [id, Buffer.from(pictures.get(id)!)]));
        },
      },
      hash: async (bytes) => {
        const s = Buffer.from(bytes).toString();
        if (s === 'corrupt') throw new Error('unreadable');
        return s;
      },
      clock: { now: () => now },
    });
  const A = '0000000000000000';
  const A_NEAR = '0000000000000007'; // 3 bits apart: the same picture re-encoded
  const B = 'ffffffffffffffff';

  beforeEach(() => {
    now = T0;
    rows = new Map();
    downloads = [];
    pictures = new Map([
      ['u1', A],
      ['u2', B],
    ]);
  });

  test('a scan dates a new picture now, keeps the age of the same picture under a new ETag, and restarts a new one', async () => {
    await ages().seen([
      { userId: 'u1', etag: 'e1' },
      { userId: 'u2', etag: 'e2' },
    ]);
    expect(rows.get('u1')).toEqual({
      userId: 'u1',
      etag: 'e1',
      hash: A,
      firstSeenAt: T0,
      applied: false,
      faceCheck: null,
    });

    // A year later: u1's ETag changed but the picture is the same; u2 has a new picture; nothing else is downloaded.
    now = new Date('2027-01-01T00:00:00Z');
    downloads = [];
    pictures.set('u1', A_NEAR).set('u2', A);
    await ages().seen([
      { userId: 'u1', etag: 'e1b' },
      { userId: 'u2', etag: 'e2b' },
    ]);
    expect(rows.get('u1')).toMatchObject({ etag: 'e1b', hash: A, firstSeenAt: T0 });
    expect(rows.get('u2')).toMatchObject({ etag: 'e2b', hash: A, firstSeenAt: now });

    // Unchanged ETags cost no download at all.
    downloads = [];
    await ages().seen([
      { userId: 'u1', etag: 'e1b' },
      { userId: 'u2', etag: 'e2b' },
    ]);
    expect(downloads).toEqual([]);
  });

  test('a photo that cannot be read or hashed keeps what was known', async () => {
    await ages().seen([{ userId: 'u1', etag: 'e1' }]);
    pictures.delete('u1');
    await ages().seen([{ userId: 'u1', etag: 'e2' }]);
    pictures.set('u1', 'corrupt');
    await ages().seen([{ userId: 'u1', etag: 'e3' }]);
    expect(rows.get('u1')).toMatchObject({ etag: 'e1', firstSeenAt: T0 });
  });

  test('an apply dates the picture exactly; applying the same picture again keeps its age', async () => {
    await ages().applied('u1', Buffer.from(A));
    expect(rows.get('u1')).toEqual({
      userId: 'u1',
      etag: null,
      hash: A,
      firstSeenAt: T0,
      applied: true,
      faceCheck: null,
    });
    now = new Date('2026-06-01T00:00:00Z');
    await ages().applied('u1', Buffer.from(A_NEAR));
    expect(rows.get('u1')).toMatchObject({ firstSeenAt: T0 });
    await ages().applied('u1', Buffer.from(B));
    expect(rows.get('u1')).toMatchObject({ hash: B, firstSeenAt: now, applied: true });
    // The next scan sees Graph's copy (a new ETag, the same picture) and keeps the apply's date.
    pictures.set('u1', B);
    now = new Date('2026-06-02T00:00:00Z');
    await ages().seen([{ userId: 'u1', etag: 'e9' }]);
    expect(rows.get('u1')).toMatchObject({ etag: 'e9', firstSeenAt: new Date('2026-06-01T00:00:00Z'), applied: true });
  });
});
