/**
 * The Admin page's Import (docs/import.md): upload a zip (or, in local mode, name a folder on this machine), see
 * the table the check made, apply, follow, cancel, undo, and download the report. Every route is `admin`.
 *
 * An upload is streamed to a file under DATA_DIR/imports (never held in memory), checked as a whole at once (a
 * refused zip answers 400 in the caller's language and leaves nothing behind), and then checked file by file by
 * the service's import worker; the page polls the job.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { AppError, toAppError } from '../core/errors';
import type { ImportService } from '../core/import/import-service';
import { MATCH_MODES, type ImportItem, type ImportOptions, type ImportProgress } from '../core/import/import-types';
import type { AdminDownloadResource } from '../core/admin/download-resource';
import { importReason, outcomeLabel, planLabel } from '../i18n/import-messages';
import { t } from '../i18n/i18n';
import type { ArchiveLimits } from '../photo/photo-archive';
import { openImportSource } from '../photo/photo-archive';
import { requestLocale } from './http-errors';
import { route, type AccessControl } from './route-rules';
import { callerOf, jsonHandler, readJson } from './tab-http';
import type { DownloadLink, ImportFolderBody, ImportItemJson, ImportProgressJson } from './tab-contract';

/** What the import routes need. */
export interface ImportRouteDeps {
  imports: ImportService;
  limits: ArchiveLimits;
  /** Where uploads wait for their check. */
  uploadDir: string;
  /** Largest zip accepted (bytes, as sent). */
  maxUploadBytes: number;
  /** Local mode: an admin may name a folder on this machine. */
  folders: boolean;
  downloadLink: (userId: string, resource: AdminDownloadResource) => Promise<DownloadLink>;
}

const ID = /^[0-9a-f-]{36}$/i;
const ITEMS_MAX = 500;
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const optionsQuery = z.object({
  name: z.string().min(1).max(200).optional(),
  match: z.enum(MATCH_MODES).default('auto'),
  onlyMissing: flag.default(false),
  overwriteChanged: flag.default(false),
  approval: flag.default(false),
});
const folderBody = z
  .object({
    path: z.string().min(1).max(1_000),
    match: z.enum(MATCH_MODES).default('auto'),
    onlyMissing: z.boolean().default(false),
    overwriteChanged: z.boolean().default(false),
    approval: z.boolean().default(false),
  })
  .strict();
const itemsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(ITEMS_MAX).default(100),
});

const invalid = (): AppError => new AppError('import.invalid', 'bad import request', { status: 400 });

function progressJson(p: ImportProgress): ImportProgressJson {
  const { sourcePath: _hidden, createdAt, updatedAt, ...job } = p.job;
  return {
    job: { ...job, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() },
    counts: p.counts,
    toWrite: p.toWrite,
    perMinute: p.perMinute,
    throttled: p.throttled,
  };
}

function itemJson(req: Request, item: ImportItem): ImportItemJson {
  const locale = requestLocale(req);
  const { notBefore: _n, jobId: _j, ...rest } = item;
  return {
    ...rest,
    planText: planLabel(locale, item),
    outcomeText: outcomeLabel(locale, item),
    reasonText: importReason(locale, item),
    warningTexts: item.warnings.map((w) => t(locale, `warnings.${w.code}`, w.params ?? {})),
  };
}

/** Streams the body to `file`, refusing it past `maxBytes` (the partial file is removed). */
async function saveBody(req: Request, file: string, maxBytes: number): Promise<void> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes)
        done(
          new AppError('import.archive_too_big', 'upload over the limit', {
            status: 413,
            params: { file: '-', maxMegabytes: Math.round(maxBytes / 1_048_576) },
          }),
        );
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, limit, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await fsp.rm(file, { force: true });
    // The rest of a refused upload is read and dropped, so the client sees the answer.
    req.resume();
    throw err instanceof AppError
      ? err
      : new AppError('import.archive_unreadable', 'upload interrupted', { status: 400 });
  }
  if (size === 0) {
    await fsp.rm(file, { force: true });
    throw new AppError('import.empty', 'empty upload', { status: 400 });
  }
}

/** Registers the import routes. */
export function registerAdminImportRoutes(server: Server, deps: ImportRouteDeps, access: AccessControl): void {
  const admin = (method: 'GET' | 'POST', p: string) => ({
    method,
    path: p,
    auth: 'tab-sso' as const,
    roles: ['admin' as const],
  });
  const owner = `upload:${process.pid}`;

  const begin = async (
    req: Request,
    options: ImportOptions,
    name: string,
    source: string,
  ): Promise<ImportProgressJson> => {
    // The archive as a whole first: a refused zip answers now, and leaves no job behind.
    const opened = await openImportSource(source, deps.limits, name);
    await opened.close();
    const job = await deps.imports.create(callerOf(req).userId, name, options, requestLocale(req), owner, source);
    // The worker takes it from here (the lease is let go at once).
    await deps.imports.handOver(job.id, owner);
    return progressJson(await deps.imports.progress(job.id));
  };

  route(
    server,
    access,
    admin('POST', '/api/admin/imports'),
    jsonHandler(async (req, res): Promise<ImportProgressJson> => {
      const parsed = optionsQuery.safeParse(req.query ?? {});
      if (!parsed.success) throw invalid();
      const { name, ...options } = parsed.data;
      await fsp.mkdir(deps.uploadDir, { recursive: true, mode: 0o700 });
      const file = path.join(deps.uploadDir, `${crypto.randomUUID()}.zip`);
      await saveBody(req, file, deps.maxUploadBytes);
      try {
        const answer = await begin(req, options, name ?? 'photos.zip', file);
        res.status(202);
        return answer;
      } catch (err) {
        await fsp.rm(file, { force: true });
        throw toAppError(err);
      }
    }),
  );

  route(
    server,
    access,
    admin('POST', '/api/admin/imports/folder'),
    jsonHandler(async (req, res): Promise<ImportProgressJson> => {
      if (!deps.folders) throw new AppError('input.not_found', 'folders are for local mode', { status: 404 });
      const body: Required<ImportFolderBody> = await readJson(req, folderBody, invalid);
      const { path: folder, ...options } = body;
      const resolved = path.resolve(folder);
      const stat = await fsp.stat(resolved).catch(() => null);
      if (!stat?.isDirectory())
        throw new AppError('import.archive_unreadable', `no folder ${folder.slice(0, 100)}`, { status: 400 });
      const answer = await begin(req, options, path.basename(resolved), resolved);
      res.status(202);
      return answer;
    }),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/imports'),
    jsonHandler(async (): Promise<ImportProgressJson[]> => {
      const jobs = await deps.imports.list(20);
      return Promise.all(jobs.map(async (j) => progressJson(await deps.imports.progress(j.id))));
    }),
  );

  const idOf = (req: Request): string => {
    const id = String((req.params as Record<string, unknown> | undefined)?.importId ?? '');
    if (!ID.test(id)) throw new AppError('import.not_found', 'no such import', { status: 404 });
    return id;
  };

  route(
    server,
    access,
    admin('GET', '/api/admin/imports/:importId'),
    jsonHandler(async (req): Promise<ImportProgressJson> => progressJson(await deps.imports.progress(idOf(req)))),
  );

  route(
    server,
    access,
    admin('GET', '/api/admin/imports/:importId/items'),
    jsonHandler(async (req): Promise<ImportItemJson[]> => {
      const id = idOf(req);
      const parsed = itemsQuery.safeParse(req.query ?? {});
      if (!parsed.success) throw invalid();
      await deps.imports.job(id);
      return (await deps.imports.items(id, parsed.data.after, parsed.data.limit)).map((i) => itemJson(req, i));
    }),
  );

  for (const action of ['apply', 'cancel', 'undo'] as const)
    route(
      server,
      access,
      admin('POST', `/api/admin/imports/:importId/${action}`),
      jsonHandler(async (req): Promise<ImportProgressJson> => {
        const id = idOf(req);
        await deps.imports[action](id, callerOf(req).userId);
        return progressJson(await deps.imports.progress(id));
      }),
    );

  route(
    server,
    access,
    admin('POST', '/api/admin/imports/:importId/report-link'),
    jsonHandler(async (req): Promise<DownloadLink> => {
      const id = (await deps.imports.job(idOf(req))).id;
      return deps.downloadLink(callerOf(req).userId, { kind: 'import', importId: id });
    }),
  );
}
