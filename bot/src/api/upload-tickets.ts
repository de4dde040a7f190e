/**
 * Upload tickets: short-lived signed links that let the upload page act for the
 * person the bot gave the link to. The bearer of a ticket may upload a photo for
 * that person only; the service takes the user from the ticket, never from the body.
 */
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../core/errors';
import type { Locale } from '../core/locale';

/** The audience of upload tickets; other signed links (the AD photo download) use their own. */
export const UPLOAD_AUDIENCE = 'headshot-upload';
const ISSUER = 'headshot';
const LOCALES: readonly Locale[] = ['en', 'fi', 'nl', 'pl'];

/** Who an upload ticket speaks for. */
export interface TicketSubject {
  userId: string;
  tenantId: string;
  locale: Locale;
}

/** Issues and verifies upload tickets (HS256 with the service's secret). */
export class UploadTickets {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds = 30 * 60,
    private readonly now: () => Date = () => new Date(),
    private readonly audience: string = UPLOAD_AUDIENCE,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A ticket for `subject`, valid for the configured time. */
  async issue(subject: TicketSubject): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ tid: subject.tenantId, loc: subject.locale })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject.userId)
      .setIssuer(ISSUER)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** The subject of a valid ticket; throws auth.unauthenticated for anything else. */
  async verify(ticket: string): Promise<TicketSubject> {
    try {
      const { payload } = await jwtVerify(ticket, this.key, {
        issuer: ISSUER,
        audience: this.audience,
        algorithms: ['HS256'],
        // A ticket that never expires is not one we issued.
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: this.now(),
      });
      const locale = LOCALES.includes(payload.loc as Locale) ? (payload.loc as Locale) : 'en';
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw new Error('incomplete ticket');
      return { userId: payload.sub, tenantId: payload.tid, locale };
    } catch (err) {
      throw new AppError('auth.unauthenticated', `invalid or expired ticket for ${this.audience}`, {
        status: 401,
        cause: err,
      });
    }
  }
}
