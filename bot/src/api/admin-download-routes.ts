/**
 * Admin downloads behind short-lived signed links (the bot hands them out): `GET
 * /api/admin/coverage.csv?ticket=`, `GET /api/admin/broadcast-report.csv?ticket=` and
 * `GET /api/admin/import-report.csv?ticket=`. The
 * admin comes from the ticket and is checked again; rows are streamed a page at a time.
 */
import type { Request, Response, Server } from 'restify';
import { AppError } from '../core/errors';
import { COVERAGE_CSV_HEADER, CSV_BOM, REPORT_CSV_HEADER, coverageCsvLine, reportCsvLine } from '../core/admin/csv';
import type { BroadcastService } from '../core/broadcast/broadcast-service';
import type { CoverageStore } from '../core/coverage/coverage-service';
import { sendError } from './http-errors';
import type { ImportService } from '../core/import/import-service';
import { IMPORT_REPORT_HEADER, importReportLine } from '../i18n/import-messages';
import { resolveLocale } from '../i18n/i18n';
import { route, type AccessControl } from './route-rules';
import type { DownloadSubject, SignedLinks } from './signed-links';

/** What the download routes need. */
export interface AdminDownloadDeps {
  tickets: SignedLinks<DownloadSubject>;
  broadcasts: BroadcastService;
  coverage: CoverageStore;
  /** The face check column of users' current photos (photo-age.ts faceCheckColumn). */
  faceChecks: (userIds: readonly string[]) => Promise<Map<string, string>>;
  /** Bulk imports (their reports). */
  imports?: ImportService;
}

const PAGE = 1000;

async function subjectOf(req: Request, deps: AdminDownloadDeps, kind: string): Promise<string> {
  const ticket = new URL(req.url ?? '/', 'http://local').searchParams.get('ticket') ?? '';
  const subject = await deps.tickets.verify(ticket);
  if (!subject.resource.startsWith(`${kind}:`))
    throw new AppError('auth.unauthenticated', 'ticket for another download', { status: 401 });
  await deps.broadcasts.requireAdmin(subject.userId);
  return subject.resource.slice(kind.length + 1);
}

/** Writes a CSV response, waiting for the socket when it is full (memory stays flat). */
async function streamCsv(
  res: Response,
  name: string,
  header: string,
  lines: () => AsyncIterable<string>,
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  });
  res.write(CSV_BOM + header);
  for await (const line of lines()) {
    if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** Registers the admin download routes. */
export function registerAdminDownloadRoutes(server: Server, deps: AdminDownloadDeps, access: AccessControl): void {
  const rule = (path: string) => ({
    method: 'GET' as const,
    path,
    auth: 'admin-download-ticket' as const,
    roles: ['admin' as const],
  });
  route(server, access, rule('/api/admin/coverage.csv'), async (req: Request, res: Response) => {
    try {
      const scanId = await subjectOf(req, deps, 'coverage');
      if (!(await deps.coverage.get(scanId)))
        throw new AppError('broadcast.no_coverage', 'no such scan', { status: 404 });
      await streamCsv(res, `headshot-coverage-${scanId}.csv`, COVERAGE_CSV_HEADER, async function* () {
        for (let after = ''; ;) {
          const rows = await deps.coverage.page(scanId, after, PAGE);
          if (rows.length === 0) return;
          const faces = await deps.faceChecks(rows.map((r) => r.user.id));
          for (const r of rows) yield coverageCsvLine(r, faces.get(r.user.id));
          after = (rows[rows.length - 1] as (typeof rows)[number]).user.id;
        }
      });
    } catch (err) {
      sendError(req, res, err);
    }
  });

  route(server, access, rule('/api/admin/import-report.csv'), async (req: Request, res: Response) => {
    try {
      const importId = await subjectOf(req, deps, 'import');
      if (!deps.imports) throw new AppError('import.not_found', 'imports are not set up', { status: 404 });
      const imports = deps.imports;
      // In the words of the admin who made the import; not found answers before any byte is written.
      const locale = resolveLocale((await imports.job(importId)).locale);
      await streamCsv(
        res,
        `headshot-import-${importId}.csv`,
        IMPORT_REPORT_HEADER.replace(CSV_BOM, ''),
        async function* () {
          for (let after = 0; ;) {
            const rows = await imports.items(importId, after, PAGE);
            if (rows.length === 0) return;
            for (const r of rows) yield importReportLine(locale, r);
            after = (rows[rows.length - 1] as (typeof rows)[number]).seq;
          }
        },
      );
    } catch (err) {
      sendError(req, res, err);
    }
  });

  route(server, access, rule('/api/admin/broadcast-report.csv'), async (req: Request, res: Response) => {
    try {
      const campaignId = await subjectOf(req, deps, 'report');
      await deps.broadcasts.get(campaignId); // not found → 409 before any byte is written
      const pages = deps.broadcasts.outcomes(campaignId, PAGE);
      await streamCsv(res, `headshot-broadcast-${campaignId}.csv`, REPORT_CSV_HEADER, async function* () {
        for await (const page of pages) for (const o of page) yield reportCsvLine(o);
      });
    } catch (err) {
      sendError(req, res, err);
    }
  });
}
