/** Security headers for every answer, and the framing rules for the tab's pages. */
import type { Request, Response, Next } from 'restify';

/** Hosts that may frame the tab: Teams, Outlook and the Microsoft 365 app. */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.office.com',
  'https://*.microsoft365.com',
];

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // teams-js fetches its list of trusted host origins from Microsoft's CDN (it falls back to a bundled copy).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

/** Restify middleware adding the headers. */
export function securityHeaders(_req: Request, res: Response, next: Next): void {
  res.header('Content-Security-Policy', CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('Cache-Control', 'no-store');
  next();
}
