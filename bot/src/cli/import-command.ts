/**
 * `headshot import` (docs/import.md): load a folder or zip of photos for many people.
 *   headshot import <folder|zip> --as <upn> [--match auto|upn|mail|employeeId|name] [--dry-run] [--only-missing]
 *       [--overwrite-changed] [--approval] [--no-wait] [--json] [--locale en|fi|nl|pl]
 *   headshot import apply|undo|cancel <importId> --as <upn> [--no-wait] [--json]
 *   headshot import report <importId> --as <upn> [--csv|--json]
 *   headshot import list --as <upn> [--json]
 * The command checks the files itself (reads, matches, prepares each photo, decides) and stores every row; the
 * running service writes them, paced within Graph's write limits, and the command shows the progress until the
 * import is done. Killed or not, the import goes on in the service. Exit 0: done, every row written or unchanged;
 * 3: done, with rows not written (no match, ambiguous, duplicate, refused, not usable, failed: see the report);
 * 2: bad input (the archive refused, a bad option); 77: not an admin; 1: anything else.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { AppError } from '../core/errors';
import type { Locale } from '../core/locale';
import {
  MATCH_MODES,
  type ImportItem,
  type ImportJob,
  type ImportOptions,
  type ImportProgress,
  type MatchMode,
} from '../core/import/import-types';
import type { ImportService } from '../core/import/import-service';
import { resolveLocale, t } from '../i18n/i18n';
import { IMPORT_REPORT_HEADER, importReason, importReportLine } from '../i18n/import-messages';
import { GraphDirectory } from '../m365/graph-directory';
import { GraphPhotoPolicy } from '../m365/graph-photo-policy';
import { openImportSource } from '../photo/photo-archive';
import { SqlAuditLog } from '../store/sql-audit-log';
import { SqlTenantSettingsStore } from '../store/sql-tenant-settings';
import { composeImport, configuredPipeline } from '../wiring/compose-import';
import { UsageError, withAdmin } from './admin-commands';
import type { CommandIo } from './prologue';

const USAGE = `Usage:
  headshot import <folder|zip> --as <upn> [--match auto|upn|mail|employeeId|name] [--dry-run] [--only-missing]
      [--overwrite-changed] [--approval] [--no-wait] [--json] [--locale en|fi|nl|pl]
  headshot import apply|undo|cancel <importId> --as <upn> [--no-wait] [--json]
  headshot import report <importId> --as <upn> [--csv|--json]
  headshot import list --as <upn> [--json]
`;

const SUBCOMMANDS = ['apply', 'undo', 'cancel', 'report', 'list'] as const;
/** Rows that end a finished import with exit 3. */
const NOT_WRITTEN = ['no_match', 'ambiguous', 'duplicate', 'refused', 'invalid'] as const;
/** How long the command waits for the service to take a queued import before it says so. */
const SERVICE_HINT_MS = 15_000;

interface Flags {
  as?: string;
  match?: string;
  'dry-run': boolean;
  'only-missing': boolean;
  'overwrite-changed': boolean;
  approval: boolean;
  'no-wait': boolean;
  json: boolean;
  csv: boolean;
  locale?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function allItems(service: ImportService, jobId: string): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for (let after = 0; ;) {
    const page = await service.items(jobId, after, 1000);
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1]?.seq ?? after;
  }
}

/** The table a dry run prints: one line per file. */
function tableText(locale: Locale, items: ImportItem[]): string {
  return items
    .map((i) =>
      [
        i.file.padEnd(28),
        (i.person?.userPrincipalName ?? '-').padEnd(26),
        t(locale, `import.plans.${i.plan}`).padEnd(18),
        importReason(locale, i),
      ].join(' '),
    )
    .join('\n');
}

function summaryText(locale: Locale, p: ImportProgress): string {
  const plans = Object.entries(p.counts.plans)
    .filter(([, n]) => n > 0)
    .map(([plan, n]) => `${t(locale, `import.plans.${plan}`)} ${n}`)
    .join(', ');
  const outcomes = Object.entries(p.counts.outcomes)
    .filter(([o, n]) => n > 0 && o !== 'not_written')
    .map(([o, n]) => `${t(locale, `import.outcomes.${o}`)} ${n}`)
    .join(', ');
  return [
    `Import ${p.job.id} (${p.job.sourceName}): ${p.job.state}, ${p.counts.files} files`,
    `  ${plans}`,
    ...(outcomes ? [`  ${outcomes}`] : []),
  ].join('\n');
}

/** Follows a job until it leaves `states`, with a progress bar on a terminal. */
async function follow(
  service: ImportService,
  jobId: string,
  states: readonly string[],
  io: CommandIo,
  quiet: boolean,
): Promise<ImportProgress> {
  const bar =
    !quiet && process.stderr.isTTY
      ? new SingleBar(
          { format: ' {bar} {value}/{total} photos | {rate}/min | {state}', hideCursor: true },
          Presets.shades_classic,
        )
      : null;
  const started = Date.now();
  let hinted = false;
  let last = '';
  let progress = await service.progress(jobId);
  const total = (p: ImportProgress): number =>
    p.job.state === 'checking'
      ? (p.job.totalFiles ?? 0)
      : p.counts.outcomes.waiting + p.counts.outcomes.writing + done(p);
  const done = (p: ImportProgress): number =>
    p.job.state === 'checking'
      ? p.job.checkedFiles
      : p.counts.outcomes.applied +
        p.counts.outcomes.sent_for_approval +
        p.counts.outcomes.failed +
        p.counts.outcomes.undone +
        p.counts.outcomes.kept;
  bar?.start(total(progress), done(progress), { rate: 0, state: progress.job.state });
  while (states.includes(progress.job.state)) {
    await sleep(500);
    progress = await service.progress(jobId);
    bar?.setTotal(total(progress));
    bar?.update(done(progress), { rate: progress.perMinute, state: progress.job.state });
    const line = `${progress.job.state} ${done(progress)}/${total(progress)}`;
    if (!bar && !quiet && line !== last && states.includes(progress.job.state)) {
      io.stderr(`${line}\n`);
      last = line;
    }
    if (
      !hinted &&
      progress.counts.outcomes.writing === 0 &&
      done(progress) === 0 &&
      Date.now() - started > SERVICE_HINT_MS
    ) {
      hinted = true;
      io.stderr('The Headshot service writes imports; nothing has been written yet. Is it running (npm start)?\n');
    }
  }
  bar?.stop();
  return progress;
}

function exitOf(p: ImportProgress): number {
  if (p.job.state === 'failed') return 2;
  const blocked = NOT_WRITTEN.reduce((n, plan) => n + p.counts.plans[plan], 0);
  return blocked + p.counts.outcomes.failed + p.counts.outcomes.kept > 0 ? 3 : 0;
}

/** `headshot import`. */
export async function importCommand(args: string[], io: CommandIo): Promise<number> {
  const sub = (SUBCOMMANDS as readonly string[]).includes(args[0] ?? '') ? args[0] : undefined;
  let values: Flags;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: sub ? args.slice(1) : args,
      allowPositionals: true,
      options: {
        as: { type: 'string' },
        match: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'only-missing': { type: 'boolean', default: false },
        'overwrite-changed': { type: 'boolean', default: false },
        approval: { type: 'boolean', default: false },
        'no-wait': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        locale: { type: 'string' },
      },
    }) as { values: Flags; positionals: string[] });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const locale = resolveLocale(values.locale ?? io.env.LANG);
  return withAdmin(io, USAGE, values.as, async ({ config, db, graph, mode, clock, actor }) => {
    // Only a new import runs the pipeline (and its face detector); the other subcommands read the store.
    const checks = sub === undefined;
    const pipeline = configuredPipeline(
      checks ? config : { ...config, photo: { ...config.photo, faceCheck: { enabled: false, timeoutMs: 1_000 } } },
    );
    const settings = new SqlTenantSettingsStore(db);
    const wiring = composeImport({
      config,
      db,
      graph,
      tenantId: mode.tenantId,
      images: pipeline.images,
      audit: new SqlAuditLog(db),
      clock,
      policy: new GraphPhotoPolicy(graph),
      guidelines: async () => (await settings.get()).faceRules,
    });
    const service = wiring.service;
    const adminId = (await new GraphDirectory(graph).getUser(actor).catch(() => null))?.id ?? actor;
    try {
      if (sub === 'list') {
        const jobs = await service.list(50);
        io.stdout(
          values.json
            ? `${JSON.stringify(jobs.map(publicJob))}\n`
            : `${jobs.map((j) => `${j.id}  ${j.state.padEnd(9)} ${j.createdAt.toISOString()}  ${j.sourceName}`).join('\n')}\n`,
        );
        return 0;
      }
      if (sub) {
        const id = positionals[0];
        if (!id) throw new UsageError(`headshot import ${sub} needs the import's id.`);
        if (sub === 'report') {
          const items = await allItems(service, id);
          if (values.csv) io.stdout(IMPORT_REPORT_HEADER + items.map((i) => importReportLine(locale, i)).join(''));
          else if (values.json) io.stdout(`${JSON.stringify({ ...(await progressJson(service, id)), items })}\n`);
          else io.stdout(`${summaryText(locale, await service.progress(id))}\n${tableText(locale, items)}\n`);
          return 0;
        }
        if (sub === 'cancel') await service.cancel(id, adminId);
        if (sub === 'apply') await service.apply(id, adminId);
        if (sub === 'undo') await service.undo(id, adminId);
        const states = sub === 'undo' ? ['undoing'] : sub === 'apply' ? ['applying'] : [];
        const p = values['no-wait'] ? await service.progress(id) : await follow(service, id, states, io, values.json);
        io.stdout(values.json ? `${JSON.stringify(await progressJson(service, id))}\n` : `${summaryText(locale, p)}\n`);
        return sub === 'apply' ? exitOf(p) : 0;
      }

      const location = positionals[0];
      if (!location || positionals.length > 1) throw new UsageError('Name one folder or zip to import.');
      const match = (values.match ?? 'auto') as MatchMode;
      if (!(MATCH_MODES as readonly string[]).includes(match))
        throw new UsageError(
          `Expected --match ${MATCH_MODES.join('|')}; received '${String(values.match).slice(0, 40)}'.`,
        );
      const options: ImportOptions = {
        match,
        onlyMissing: values['only-missing'],
        overwriteChanged: values['overwrite-changed'],
        approval: values.approval,
      };
      const source = await openImportSource(path.resolve(location), wiring.limits);
      const owner = `cli:${process.pid}`;
      const job = await service.create(adminId, source.name, options, locale, owner, path.resolve(location));
      const checking = follow(service, job.id, ['checking'], io, values.json);
      const checked = await service.check(job.id, source, owner).finally(() => source.close());
      await checking;
      if (checked.state === 'failed')
        throw new AppError((checked.error ?? 'import.archive_unreadable') as never, 'check failed');
      const items = await allItems(service, job.id);
      if (values['dry-run']) {
        const p = await service.progress(job.id);
        io.stdout(
          values.json
            ? `${JSON.stringify({ ...(await progressJson(service, job.id)), items })}\n`
            : `${summaryText(locale, p)}\n${tableText(locale, items)}\n` +
                `Nothing was written. To write it: headshot import apply ${job.id} --as ${actor}\n`,
        );
        return 0;
      }
      await service.apply(job.id, adminId);
      const p = values['no-wait']
        ? await service.progress(job.id)
        : await follow(service, job.id, ['applying'], io, values.json);
      io.stdout(
        values.json
          ? `${JSON.stringify({ ...(await progressJson(service, job.id)), items: await allItems(service, job.id) })}\n`
          : `${summaryText(locale, p)}\nReport: headshot import report ${job.id} --as ${actor} --csv\n`,
      );
      return values['no-wait'] ? 0 : exitOf(p);
    } finally {
      await pipeline.faces?.close();
    }
  });
}

/** A job as scripts see it (where the machine keeps the source is left out). */
function publicJob(j: ImportJob): Omit<ImportJob, 'sourcePath'> {
  const { sourcePath: _hidden, ...rest } = j;
  return rest;
}

async function progressJson(service: ImportService, id: string): Promise<Record<string, unknown>> {
  const p = await service.progress(id);
  return { ...p, job: publicJob(p.job) };
}
