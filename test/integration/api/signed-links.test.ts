/** Signed links on their own (the upload page's kind): what a ticket proves, and what is refused. */
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  SignedLinks,
  adPhotoLink,
  adminDownloadLink,
  uploadLink,
  type TicketSubject,
} from '../../../bot/src/api/signed-links';
import { AppError } from '../../../bot/src/core/errors';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const key = new TextEncoder().encode(SECRET);
const T0 = new Date('2025-03-01T09:00:00Z');
const iat = Math.floor(T0.getTime() / 1000);
const alex: TicketSubject = { userId: 'user-alex', tenantId: 'tenant-1', locale: 'fi' };

let now = T0;
const tickets = new SignedLinks(SECRET, uploadLink(30 * 60), () => now);
beforeEach(() => {
  now = T0;
});

async function refused(ticket: string): Promise<AppError> {
  try {
    await tickets.verify(ticket);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the ticket to be refused');
}

const signed = (claims: Record<string, unknown>, build: (j: SignJWT) => SignJWT = (j) => j) =>
  build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(key);

test('a ticket speaks for the person it was issued to, until it expires', async () => {
  const ticket = await tickets.issue(alex);
  expect(await tickets.verify(ticket)).toEqual(alex);
  now = new Date(T0.getTime() + 30 * 60_000 - 1000);
  expect(await tickets.verify(ticket)).toEqual(alex);
  now = new Date(T0.getTime() + 30 * 60_000);
  expect(await refused(ticket)).toMatchObject({ code: 'auth.unauthenticated', status: 401 });
});

test('an unknown locale falls back to English', async () => {
  const ticket = await signed({ tid: 'tenant-1', loc: 'xx' }, (j) =>
    j
      .setSubject('u')
      .setIssuer('headshot')
      .setAudience('headshot-upload')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60),
  );
  expect(await tickets.verify(ticket)).toEqual({ userId: 'u', tenantId: 'tenant-1', locale: 'en' });
});

test.each<[string, () => Promise<string>]>([
  [
    'another audience',
    () =>
      signed({ tid: 't', loc: 'en' }, (j) =>
        j
          .setSubject('u')
          .setIssuer('headshot')
          .setAudience('something-else')
          .setIssuedAt(iat)
          .setExpirationTime(iat + 60),
      ),
  ],
  [
    'another issuer',
    () =>
      signed({ tid: 't', loc: 'en' }, (j) =>
        j
          .setSubject('u')
          .setIssuer('someone')
          .setAudience('headshot-upload')
          .setIssuedAt(iat)
          .setExpirationTime(iat + 60),
      ),
  ],
  [
    'no tenant',
    () =>
      signed({ loc: 'en' }, (j) =>
        j
          .setSubject('u')
          .setIssuer('headshot')
          .setAudience('headshot-upload')
          .setIssuedAt(iat)
          .setExpirationTime(iat + 60),
      ),
  ],
  [
    'no subject',
    () =>
      signed({ tid: 't', loc: 'en' }, (j) =>
        j
          .setIssuer('headshot')
          .setAudience('headshot-upload')
          .setIssuedAt(iat)
          .setExpirationTime(iat + 60),
      ),
  ],
  [
    'no expiry',
    () =>
      signed({ tid: 't', loc: 'en' }, (j) =>
        j.setSubject('u').setIssuer('headshot').setAudience('headshot-upload').setIssuedAt(iat),
      ),
  ],
  [
    'not yet valid',
    () =>
      signed({ tid: 't', loc: 'en' }, (j) =>
        j
          .setSubject('u')
          .setIssuer('headshot')
          .setAudience('headshot-upload')
          .setIssuedAt(iat)
          .setNotBefore(iat + 600)
          .setExpirationTime(iat + 1200),
      ),
  ],
  [
    'alg none',
    async () =>
      new UnsecuredJWT({ tid: 't', loc: 'en' })
        .setSubject('u')
        .setIssuer('headshot')
        .setAudience('headshot-upload')
        .setIssuedAt(iat)
        .setExpirationTime(iat + 60)
        .encode(),
  ],
  [
    'another secret',
    () => new SignedLinks('another-secret-of-thirty-two-characters!!', uploadLink(60), () => now).issue(alex),
  ],
  ['the AD photo kind', () => new SignedLinks(SECRET, adPhotoLink(), () => now).issue(alex)],
  [
    'the admin download kind',
    () => new SignedLinks(SECRET, adminDownloadLink(), () => now).issue({ userId: 'u', resource: 'report:c' }),
  ],
  ['empty', async () => ''],
])('a ticket with %s is refused', async (_name, make) => {
  expect(await refused(await make())).toMatchObject({ code: 'auth.unauthenticated', status: 401, retryable: false });
});

test('an admin download ticket names the admin and the file, and no other kind opens it', async () => {
  const downloads = new SignedLinks(SECRET, adminDownloadLink(), () => now);
  const ticket = await downloads.issue({ userId: 'patti', resource: 'coverage:scan-1' });
  expect(await downloads.verify(ticket)).toEqual({ userId: 'patti', resource: 'coverage:scan-1' });
  expect(downloads.ttlSeconds).toBe(600);
  await expect(downloads.verify(await tickets.issue(alex))).rejects.toMatchObject({ code: 'auth.unauthenticated' });
  await expect(tickets.verify(ticket)).rejects.toMatchObject({ code: 'auth.unauthenticated', status: 401 });
});
