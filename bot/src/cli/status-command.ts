/**
 * `headshot status <upn|id> [--json] [--ad-photo <file>]`: one person's photo status, system
 * by system, for admins and scripts; `headshot status --report`: the time-to-visible report of follow-through. Exit 0 with a report, 2 for bad input or an unknown
 * user, 1 for anything else that kept the report from being made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toAppError } from '../core/errors';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Locale } from '../core/locale';
import type { StatusReport } from '../core/status/status-types';
import { formatBytes, resolveLocale, t } from '../i18n/i18n';
import { describeVerdict, fixTitle, plainDate, reportJson } from '../i18n/status-messages';
import { composeStatus } from '../wiring/compose-status';
import { TIME_TO_VISIBLE_DEFAULTS, timeToVisibleOf } from '../core/status/time-to-visible';
import { timeToVisibleJson, timeToVisibleText } from '../i18n/follow-through-messages';
import { SqlFollowUps } from '../store/sql-follow-ups';
import { commandContext, type CommandIo } from './prologue';

const STATUS_USAGE =
  'headshot status <userPrincipalName|id> [--json] [--ad-photo <file>] [--locale en|fi|nl|pl]\n' +
  '       headshot status --report [--days 1-90] [--json] [--locale en|fi|nl|pl]';

/** The command has no audit log of its own: it only reads (and an AD photo is a file on the admin's disk). */
const NO_AUDIT: AuditLog = { append: async () => undefined, list: async () => [] };

const defaultIo: CommandIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};

/** The report as lines of text. */
function reportText(locale: Locale, report: StatusReport): string {
  const date = plainDate(locale);
  const lines = [
    t(locale, 'status.cli.heading', {
      name: report.displayName ?? report.userId,
      upn: report.upn ?? report.userId,
      date: date(report.checkedAt),
    }),
  ];
  if (report.photo)
    lines.push(t(locale, 'status.photo_facts', { width: report.photo.width, height: report.photo.height }));
  else if (report.photo === null) lines.push(t(locale, 'status.no_photo'));
  const words = report.systems.map((v) => describeVerdict(locale, v, date));
  const width = Math.max(...words.map((w) => w.system.length)) + 2;
  for (const w of words) {
    lines.push('', `${w.system.padEnd(width, ' ')}${w.state}`);
    for (const r of w.reasons) lines.push(`  ${r}`);
    if (w.evidence.length) lines.push(`  ${w.evidence.join(' · ')}`);
    for (const i of w.instructions) lines.push(`  → ${i}`);
  }
  lines.push(
    '',
    report.fixes.length
      ? `${t(locale, 'status.cli.fixes')}: ${report.fixes.map((f) => fixTitle(locale, f)).join('; ')}`
      : t(locale, 'status.cli.no_fixes'),
  );
  return `${lines.join('\n')}\n`;
}

/** Runs the command; resolves to the exit code. */
export async function statusCommand(args: string[], io: CommandIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'ad-photo': { type: 'string' },
        locale: { type: 'string' },
        report: { type: 'boolean', default: false },
        days: { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr(`${(err as Error).message}\nUsage: ${STATUS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const locale = resolveLocale(values.locale ?? io.env.LANG?.split('.')[0]?.replace('_', '-'));
  if (values.report) return followThroughReport(values, positionals, locale, io);
  if (values.days !== undefined) {
    io.stderr(`--days goes with --report\nUsage: ${STATUS_USAGE}\n`);
    return 2;
  }
  const subject = positionals[0];
  if (positionals.length !== 1 || !subject || /[\s/\\?#]/.test(subject)) {
    io.stderr(`Usage: ${STATUS_USAGE}\n`);
    return 2;
  }
  const ctx = commandContext(io);
  if (typeof ctx === 'number') return ctx;
  const { status } = composeStatus({
    config: ctx.config,
    graph: ctx.graph(),
    mode: ctx.mode,
    audit: NO_AUDIT,
    clock: { now: () => new Date() },
  });

  let report: StatusReport;
  try {
    report = await status.report(subject);
  } catch (err) {
    const e = toAppError(err);
    const message = t(locale, e.messageKey, e.params);
    if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: { code: e.code, message } })}\n`);
    else io.stderr(`error (${e.code}): ${message}\n`);
    return e.code === 'm365.user_not_found' ? 2 : 1;
  }

  let adPhoto: { path: string; bytes: number } | { error: { code: string; message: string } } | undefined;
  if (values['ad-photo']) {
    try {
      const jpeg = await status.adReadyPhoto('headshot-cli', report.userId);
      const file = path.resolve(values['ad-photo']);
      fs.writeFileSync(file, jpeg);
      adPhoto = { path: file, bytes: jpeg.byteLength };
    } catch (err) {
      const e = toAppError(err);
      adPhoto = { error: { code: e.code, message: t(locale, e.messageKey, e.params) } };
    }
  }

  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: true, ...reportJson(locale, report), ...(adPhoto ? { adPhoto } : {}) })}\n`);
  } else {
    io.stdout(reportText(locale, report));
    if (adPhoto && 'path' in adPhoto)
      io.stdout(
        `${t(locale, 'status.cli.ad_photo_saved', { path: adPhoto.path, size: formatBytes(locale, adPhoto.bytes) })}\n`,
      );
    if (adPhoto && 'error' in adPhoto) io.stderr(`error (${adPhoto.error.code}): ${adPhoto.error.message}\n`);
  }
  // The user could not even be read: that is a fault, not a report.
  if (report.upn === undefined) return 1;
  if (adPhoto && 'error' in adPhoto) return adPhoto.error.code === 'm365.no_photo' ? 2 : 1;
  return 0;
}

/**
 * `headshot status --report`: how long each system took to show the photos Headshot changed (follow-through), read
 * from the service's store. Exit 0 with a report, 2 for bad input, 1 when the store cannot be read.
 */
async function followThroughReport(
  values: { json: boolean; days?: string; 'ad-photo'?: string },
  positionals: string[],
  locale: Locale,
  io: CommandIo,
): Promise<number> {
  const days = values.days === undefined ? TIME_TO_VISIBLE_DEFAULTS.days : Number(values.days);
  if (positionals.length > 0 || values['ad-photo'] !== undefined || !Number.isInteger(days) || days < 1 || days > 90) {
    io.stderr(`Usage: ${STATUS_USAGE}\n`);
    return 2;
  }
  const ctx = commandContext(io);
  if (typeof ctx === 'number') return ctx;
  let db;
  try {
    db = await ctx.openDb();
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const options = { ...TIME_TO_VISIBLE_DEFAULTS, days };
    // The tenant's time: in local mode the local tenant's virtual clock, as the service uses.
    const now = (await ctx.clock()).now();
    const report = await timeToVisibleOf(new SqlFollowUps(db), now, options);
    const json = timeToVisibleJson(locale, report, {
      teamsCacheDays: ctx.config.status.teamsCacheDays,
      lateAfterHours: options.lateAfterHours,
      enabled: ctx.config.status.followThrough.enabled,
    });
    io.stdout(values.json ? `${JSON.stringify({ ok: true, ...json })}\n` : timeToVisibleText(json));
    return 0;
  } finally {
    await db.close();
  }
}
