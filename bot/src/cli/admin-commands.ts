/**
 * `headshot coverage` and `headshot broadcast` for admins who script (docs/broadcast.md).
 *   headshot coverage --as <upn> [--json|--csv] [--cached]
 *   headshot broadcast --as <upn> --audience <no_photo|placeholder_or_stale|hybrid_stuck|group:<id>|everyone>
 *       --message <file|reminder> [--at <ISO time>] [--include-guests] [--include-disabled] [--dry-run] [--json]
 *   headshot broadcast report <campaignId> --as <upn> [--json|--csv]
 *   headshot broadcast cancel <campaignId> --as <upn>
 *   headshot broadcast list --as <upn> [--json]
 * `--as` (or HEADSHOT_AS) names the admin; anyone else is refused (exit 77). The running service sends what
 * `broadcast` queues. Exit 0 done, 2 bad input, 77 not an admin, 1 anything else.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { composeAdmin, type AdminWiring } from '../wiring/compose-admin';
import type { Config } from '../config';
import { COVERAGE_CSV_HEADER, CSV_BOM, REPORT_CSV_HEADER, coverageCsvLine, reportCsvLine } from '../core/admin/csv';
import { toAppError } from '../core/errors';
import type { CampaignAudience, CampaignMessage, CampaignProgress } from '../core/broadcast/broadcast-types';
import {
  COVERAGE_CATEGORIES,
  REMINDABLE_CATEGORIES,
  type CoverageCategory,
  type CoverageView,
} from '../core/coverage/coverage-types';
import { countRecipients } from '../core/broadcast/broadcast-service';
import { t } from '../i18n/i18n';
import { createLogger } from '../logger';
import { GraphAudienceSource } from '../m365/graph-audience';
import type { SqlDb } from '../store/sql/sql-db';
import { SqlAuditLog } from '../store/sql-audit-log';
import { SqlConversationStore } from '../store/sql-conversation-store';
import { commandContext, type CommandIo } from './prologue';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/clock';
import type { Mode } from '../wiring/mode';

const COVERAGE_USAGE = `Usage:
  headshot coverage --as <userPrincipalName> [--json|--csv] [--cached]
`;

const BROADCAST_USAGE = `Usage:
  headshot broadcast --as <upn> --audience <no_photo|placeholder_or_stale|hybrid_stuck|group:<id>|everyone>
      --message <file|reminder> [--at <ISO 8601 time>] [--include-guests] [--include-disabled] [--dry-run] [--json]
  headshot broadcast report <campaignId> --as <upn> [--json|--csv]
  headshot broadcast cancel <campaignId> --as <upn>
  headshot broadcast list --as <upn> [--json]
`;

/** A command line that cannot be run as given (exit 2, with the usage). */
export class UsageError extends Error {}
const NOT_ADMIN = 77;

/** What an admin command runs with. */
interface Context {
  config: Readonly<Config>;
  db: SqlDb;
  admin: AdminWiring;
  audience: GraphAudienceSource;
  actor: string;
  graph: Client;
  mode: Mode;
  clock: Clock;
}

/**
 * Runs `run` for the admin `as` names (else HEADSHOT_AS); anyone else is exit 77. Usage errors are exit 2, AppErrors
 * of `badInput` families (and broadcast.*) exit 2, anything else exit 1.
 */
export async function withAdmin(
  io: CommandIo,
  usage: string,
  as: string | undefined,
  run: (ctx: Context) => Promise<number>,
): Promise<number> {
  const ctx = commandContext(io);
  if (typeof ctx === 'number') return ctx;
  const { config } = ctx;
  const actor = as ?? io.env.HEADSHOT_AS;
  if (!actor) {
    io.stderr(`--as <userPrincipalName> (or HEADSHOT_AS) names the admin running this.\n${usage}`);
    return 2;
  }
  const db = await ctx.openDb();
  try {
    const graph = ctx.graph();
    const clock = await ctx.clock();
    const admin = composeAdmin({
      config,
      db,
      graph,
      mode: ctx.mode,
      conversations: new SqlConversationStore(db),
      clock,
      logger: createLogger('silent'),
      audit: new SqlAuditLog(db),
    });
    if (!(await admin.admins.isAdmin(actor))) {
      io.stderr(`headshot: ${actor}: ${t('en', 'errors.admin.forbidden')}\n`);
      return NOT_ADMIN;
    }
    return await run({
      config,
      db,
      admin,
      audience: new GraphAudienceSource(graph, admin.coverageStore),
      actor,
      graph,
      mode: ctx.mode,
      clock,
    });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(err as Error).message}\n${usage}`);
      return 2;
    }
    const e = toAppError(err);
    io.stderr(`headshot: ${e.code}: ${e.message}\n`);
    if (e.code === 'admin.forbidden') return NOT_ADMIN;
    return e.code.startsWith('broadcast.') || e.code.startsWith('import.') ? 2 : 1;
  } finally {
    await db.close();
  }
}

function coverageText(v: CoverageView): string {
  const lines = [`Coverage scan ${v.scanId} (${v.state}), ${v.scanned} users, finished ${v.finishedAt ?? '-'}`];
  if (v.coverage !== null) lines.push(`With a photo: ${(v.coverage * 100).toFixed(1)}% of applicable users`);
  for (const c of COVERAGE_CATEGORIES) lines.push(`  ${c.padEnd(22)} ${v.counts[c]}`);
  return lines.join('\n');
}

/** `headshot coverage`. */
export async function coverageCommand(args: string[], io: CommandIo): Promise<number> {
  let values: { as?: string; json?: boolean; csv?: boolean; cached?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        as: { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        cached: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${COVERAGE_USAGE}`);
    return 2;
  }
  return withAdmin(io, COVERAGE_USAGE, values.as, async ({ admin, actor }) => {
    const view = values.cached ? await admin.coverage.latestDone() : await admin.coverage.scanNow(`cli:${actor}`);
    if (!view) throw new UsageError('No finished coverage scan yet: run without --cached.');
    if (values.csv) {
      io.stdout(CSV_BOM + COVERAGE_CSV_HEADER);
      for (let after = ''; ;) {
        const rows = await admin.coverageStore.page(view.scanId, after, 1000);
        if (rows.length === 0) break;
        const faces = await admin.photoAges.faceChecks(rows.map((r) => r.user.id));
        io.stdout(rows.map((r) => coverageCsvLine(r, faces.get(r.user.id))).join(''));
        after = rows[rows.length - 1]?.user.id ?? '';
      }
    } else io.stdout(values.json ? `${JSON.stringify(view)}\n` : `${coverageText(view)}\n`);
    return view.state === 'done' ? 0 : 1;
  });
}

/** The audience from `--audience`. */
function parseAudience(raw: string, includeGuests: boolean, includeDisabled: boolean): CampaignAudience {
  const flags = { includeGuests, includeDisabled };
  const category = raw.replace(/^category:/, '') as CoverageCategory;
  if (REMINDABLE_CATEGORIES.includes(category)) return { kind: 'category', category, ...flags };
  if (raw === 'everyone') return { kind: 'everyone', ...flags };
  const group = /^group:([A-Za-z0-9-]{1,64})$/.exec(raw);
  if (group) return { kind: 'group', groupId: group[1], ...flags };
  throw new UsageError(
    `Expected --audience ${REMINDABLE_CATEGORIES.join('|')}|group:<id>|everyone; received '${raw.slice(0, 60)}'.`,
  );
}

/** The message from `--message`: `reminder`, or a text file (UTF-8) with the admin's own words. */
function readMessage(raw: string): CampaignMessage {
  if (raw === 'reminder') return { kind: 'reminder' };
  let text: string;
  try {
    text = fs.readFileSync(raw, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read --message file '${raw}': ${(err as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  return { kind: 'custom', text: text.replace(/^\uFEFF/, '').trim() };
}

function progressText(p: CampaignProgress): string {
  return [
    `Campaign ${p.id}: ${p.state} (send at ${p.sendAt})`,
    `  total ${p.total}, sent ${p.sent}, failed ${p.failed} (unknown outcome ${p.unknown}), waiting ${p.waiting}, cancelled ${p.cancelled}`,
    `  ${p.ratePerSecond}/s, 429s ${p.throttled}${p.secondsLeft !== null ? `, about ${p.secondsLeft}s left` : ''}`,
  ].join('\n');
}

/** `headshot broadcast`. */
export async function broadcastCommand(args: string[], io: CommandIo): Promise<number> {
  const sub = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: sub ? args.slice(1) : args,
      allowPositionals: true,
      options: {
        as: { type: 'string' },
        audience: { type: 'string' },
        message: { type: 'string' },
        at: { type: 'string' },
        'include-guests': { type: 'boolean', default: false },
        'include-disabled': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${BROADCAST_USAGE}`);
    return 2;
  }
  const json = values.json === true;
  return withAdmin(io, BROADCAST_USAGE, values.as as string | undefined, async ({ admin, audience, actor }) => {
    const b = admin.broadcasts;
    if (sub === 'list') {
      const campaigns = await b.list(actor, 50);
      const views = await Promise.all(campaigns.map((c) => b.progressNow(c.id)));
      io.stdout(json ? `${JSON.stringify(views)}\n` : `${views.map(progressText).join('\n') || 'No campaigns.'}\n`);
      return 0;
    }
    if (sub === 'report' || sub === 'cancel') {
      const id = positionals[0];
      if (!id) throw new UsageError(`headshot broadcast ${sub} needs a campaign id.`);
      if (sub === 'cancel') {
        const cancelled = await b.cancel(actor, id);
        io.stdout(
          json
            ? `${JSON.stringify({ id, cancelled })}\n`
            : cancelled
              ? `Cancelled ${id}.\n`
              : `${id} had already ended.\n`,
        );
        return 0;
      }
      const progress = await b.progress(actor, id);
      if (values.csv) {
        io.stdout(CSV_BOM + REPORT_CSV_HEADER);
        for await (const page of b.outcomes(id)) io.stdout(page.map(reportCsvLine).join(''));
      } else io.stdout(json ? `${JSON.stringify(progress)}\n` : `${progressText(progress)}\n`);
      return 0;
    }
    if (sub !== undefined) throw new UsageError(`Unknown broadcast command '${sub}'.`);
    if (typeof values.audience !== 'string' || typeof values.message !== 'string')
      throw new UsageError('--audience and --message are required.');
    const draftAudience = parseAudience(
      values.audience,
      values['include-guests'] === true,
      values['include-disabled'] === true,
    );
    const message = readMessage(values.message);
    let sendAt: Date | undefined;
    if (typeof values.at === 'string') {
      sendAt = new Date(values.at);
      if (Number.isNaN(sendAt.getTime()))
        throw new UsageError(
          `Expected --at as an ISO 8601 time like 2025-05-01T09:00:00+02:00; received '${values.at}'.`,
        );
    }
    if (draftAudience.kind === 'category' && !(await admin.coverageStore.latestDone())) {
      io.stderr('No finished coverage scan: scanning now (category audiences use it).\n');
      await admin.coverage.scanNow(`cli:${actor}`);
    }
    const draft = { message, audience: draftAudience, sendAt };
    await b.validate(draft);
    if (values['dry-run']) {
      const recipients = await countRecipients(audience, draftAudience, admin.broadcastStores.optOuts);
      const out = { dryRun: true, recipients, audience: draftAudience, message, sendAt: sendAt?.toISOString() ?? null };
      io.stdout(json ? `${JSON.stringify(out)}\n` : `Dry run: ${recipients} recipients; nothing was queued.\n`);
      return 0;
    }
    const { campaign } = await b.create(actor, draft);
    const out = { id: campaign.id, state: campaign.state, sendAt: campaign.sendAt.toISOString() };
    io.stdout(
      json
        ? `${JSON.stringify(out)}\n`
        : `Campaign ${campaign.id} queued for ${out.sendAt}. The running Headshot service sends it; follow it with 'headshot broadcast report ${campaign.id}'.\n`,
    );
    return 0;
  });
}
