import sharp from 'sharp';
import { PhotoStore } from '../../../../emulator/state/photo-store';

async function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0ffee' } })
    .jpeg()
    .toBuffer();
}

describe('PhotoStore', () => {
  test('sizes never exceed the shorter side of the upload', async () => {
    const store = new PhotoStore();
    const p = store.put('u', {
      bytes: await jpeg(700, 500),
      contentType: 'image/jpeg',
      width: 700,
      height: 500,
      updatedAt: '',
    });
    expect(store.availableSizes(p)).toEqual([48, 64, 96, 120, 240, 360, 432]);
    expect(store.largestSize(p)).toBe(432);
    const r = await store.rendition('u', p, 120);
    expect(await sharp(r).metadata()).toMatchObject({ width: 120, height: 120, format: 'jpeg' });
    expect(await store.rendition('u', p, 120)).toBe(r);
  });

  test('an exact-size square JPEG is served as uploaded; a new upload changes the etag', async () => {
    const store = new PhotoStore();
    const bytes = await jpeg(648, 648);
    const p = store.put('U', { bytes, contentType: 'image/jpeg', width: 648, height: 648, updatedAt: '' });
    expect(await store.rendition('u', p, 648)).toBe(bytes);
    const q = store.put('u', {
      bytes: await jpeg(648, 600),
      contentType: 'image/jpeg',
      width: 648,
      height: 600,
      updatedAt: '',
    });
    expect(q.etag).not.toBe(p.etag);
    expect(store.get('u')).toBe(q);
    expect(store.delete('u')).toBe(true);
    expect(store.get('u')).toBeUndefined();
  });
});
