/**
 * Signed, short-lived links (HS256 with the service's secret), one class for every kind: the
 * upload page's ticket (acts for the person the bot gave it to), the AD-ready photo download,
 * and admin CSV downloads (names the admin and the file; the route checks again that the admin
 * still is one). Each kind has its own audience, so a ticket of one kind never opens another.
 */
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../core/errors';
import type { Locale } from '../core/locale';

const ISSUER = 'headshot';
const LOCALES: readonly Locale[] = ['en', 'fi', 'nl', 'pl'];

/** One kind of link: what it opens, how long it works, and the claims it carries. */
export interface LinkKind<Subject> {
  audience: string;
  ttlSeconds: number;
  /** The subject (`sub`) and the other claims of a ticket for `subject`. */
  claims(subject: Subject): { sub: string; extra: Record<string, string> };
  /** The subject of a verified ticket's claims, or null when they are incomplete. */
  subject(payload: JWTPayload): Subject | null;
}

/** Issues and verifies the tickets of one kind of link. */
export class SignedLinks<Subject> {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly kind: LinkKind<Subject>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** How long a ticket works, in seconds. */
  get ttlSeconds(): number {
    return this.kind.ttlSeconds;
  }

  /** A ticket for `subject`, valid for the kind's time. */
  async issue(subject: Subject): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const { sub, extra } = this.kind.claims(subject);
    return new SignJWT(extra)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(this.kind.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.kind.ttlSeconds)
      .sign(this.key);
  }

  /** The subject of a valid ticket; throws auth.unauthenticated (401) for anything else. */
  async verify(ticket: string): Promise<Subject> {
    try {
      const { payload } = await jwtVerify(ticket, this.key, {
        issuer: ISSUER,
        audience: this.kind.audience,
        algorithms: ['HS256'],
        // A ticket that never expires is not one we issued.
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: this.now(),
      });
      const subject = this.kind.subject(payload);
      if (subject === null) throw new Error('incomplete ticket');
      return subject;
    } catch (err) {
      throw new AppError('auth.unauthenticated', `invalid or expired ticket for ${this.kind.audience}`, {
        status: 401,
        cause: err,
      });
    }
  }
}

/** Who a person's ticket (upload page, AD photo download) speaks for. */
export interface TicketSubject {
  userId: string;
  tenantId: string;
  locale: Locale;
}

/** Who may download which admin file. */
export interface DownloadSubject {
  userId: string;
  /** `coverage:<scanId>` or `report:<campaignId>`. */
  resource: string;
}

function personLink(audience: string, ttlSeconds: number): LinkKind<TicketSubject> {
  return {
    audience,
    ttlSeconds,
    claims: (s) => ({ sub: s.userId, extra: { tid: s.tenantId, loc: s.locale } }),
    subject: (p) =>
      typeof p.sub === 'string' && typeof p.tid === 'string'
        ? { userId: p.sub, tenantId: p.tid, locale: LOCALES.includes(p.loc as Locale) ? (p.loc as Locale) : 'en' }
        : null,
  };
}

/** The upload page's tickets (30 minutes by default). */
export const uploadLink = (ttlSeconds = 30 * 60): LinkKind<TicketSubject> => personLink('headshot-upload', ttlSeconds);

/**
 * Local mode only: links that open the tab signed in as the person the bot gave them to (clients without dialogs,
 * such as the Agents Playground, open the editor this way; 30 minutes, like the upload page's).
 */
export const localSignInLink = (ttlSeconds = 30 * 60): LinkKind<TicketSubject> =>
  personLink('headshot-local-sign-in', ttlSeconds);

/** Links to a person's AD-ready photo (10 minutes). */
export const adPhotoLink = (ttlSeconds = 10 * 60): LinkKind<TicketSubject> =>
  personLink('headshot-ad-photo', ttlSeconds);

/** Links to admin CSV downloads (10 minutes). */
export const adminDownloadLink = (ttlSeconds = 10 * 60): LinkKind<DownloadSubject> => ({
  audience: 'headshot-admin-download',
  ttlSeconds,
  claims: (s) => ({ sub: s.userId, extra: { res: s.resource } }),
  subject: (p) => (typeof p.sub === 'string' && typeof p.res === 'string' ? { userId: p.sub, resource: p.res } : null),
});
