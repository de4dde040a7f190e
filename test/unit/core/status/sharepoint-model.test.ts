/** Which SharePoint experience a tenant has, judged from what userphoto.aspx serves (SHAREPOINT_PICTURES=auto). */
import type { SharePointProfile } from '../../../../bot/src/core/status/evidence-ports';
import { sharePointExperience } from '../../../../bot/src/core/status/sharepoint-model';

const A = { hash: '0f0f0f0f0f0f0f0f', preview: new Uint8Array(1) };
const B = { hash: 'f0f0f0f0f0f0f0f0', preview: new Uint8Array(1) };
const profile = (placeholder: boolean): SharePointProfile => ({
  accountName: 'i:0#.f|membership|ann@contoso.test',
  pictureUrl: placeholder ? null : 'https://contoso-my.sharepoint.com/User%20Photos/Profile%20Pictures/ann_MThumb.jpg',
  pictureTimestamp: null,
  placeholder,
  exchangeSyncState: 0,
});

test('SharePoint serving Microsoft 365 photo for a profile without a picture of its own: modern', () => {
  expect(sharePointExperience('auto', profile(true), A, A)).toBe('modern');
});

test('SharePoint serving something else (its placeholder or its own older copy): legacy', () => {
  expect(sharePointExperience('auto', profile(true), B, A)).toBe('legacy');
  expect(sharePointExperience('auto', profile(false), B, A)).toBe('legacy');
});

test('nothing to compare (no photo in Microsoft 365, no profile, nothing served): modern, the default', () => {
  expect(sharePointExperience('auto', profile(true), B, undefined)).toBe('modern');
  expect(sharePointExperience('auto', null, B, A)).toBe('modern');
  expect(sharePointExperience('auto', profile(true), null, A)).toBe('modern');
});

test('a set experience is taken as set', () => {
  expect(sharePointExperience('legacy', profile(true), A, A)).toBe('legacy');
  expect(sharePointExperience('modern', profile(true), B, A)).toBe('modern');
});
