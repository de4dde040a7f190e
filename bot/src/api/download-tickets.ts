/**
 * Signed, short-lived links to admin downloads (coverage CSV, campaign report): the ticket
 * names the admin and the resource; the route checks again that the admin still is one.
 */
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../core/errors';

/** The audience of admin download tickets. */
export const ADMIN_DOWNLOAD_AUDIENCE = 'headshot-admin-download';
const ISSUER = 'headshot';

/** Who may download what. */
export interface DownloadSubject {
  userId: string;
  /** `coverage:<scanId>` or `report:<campaignId>`. */
  resource: string;
}

/** Issues and verifies download tickets (HS256 with the service's secret). */
export class DownloadTickets {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds = 10 * 60,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A ticket for `subject`. */
  async issue(subject: DownloadSubject): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ res: subject.resource })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject.userId)
      .setIssuer(ISSUER)
      .setAudience(ADMIN_DOWNLOAD_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** The subject of a valid ticket; throws auth.unauthenticated for anything else. */
  async verify(ticket: string): Promise<DownloadSubject> {
    try {
      const { payload } = await jwtVerify(ticket, this.key, {
        issuer: ISSUER,
        audience: ADMIN_DOWNLOAD_AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: this.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.res !== 'string') throw new Error('incomplete ticket');
      return { userId: payload.sub, resource: payload.res };
    } catch (err) {
      throw new AppError('auth.unauthenticated', 'invalid or expired download ticket', { status: 401, cause: err });
    }
  }
}

/** What an admin download link points at. */
export type AdminDownloadResource = { kind: 'coverage'; scanId: string } | { kind: 'report'; campaignId: string };

/**
 * Builds signed links to the admin CSV downloads (admin-download-routes.ts), for the bot's cards and the
 * tab alike. `baseUrl` is read on each call (the service learns its own address after it starts listening).
 */
export function adminDownloadLinks(tickets: DownloadTickets, baseUrl: () => string) {
  return async (userId: string, resource: AdminDownloadResource): Promise<{ url: string; minutes: number }> => {
    const name = resource.kind === 'coverage' ? `coverage:${resource.scanId}` : `report:${resource.campaignId}`;
    const file = resource.kind === 'coverage' ? 'coverage.csv' : 'broadcast-report.csv';
    const ticket = await tickets.issue({ userId, resource: name });
    return { url: `${baseUrl()}/api/admin/${file}?ticket=${ticket}`, minutes: tickets.ttlSeconds / 60 };
  };
}
