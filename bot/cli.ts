#!/usr/bin/env node
/**
 * The `headshot` command. Every command takes --json for scripts.
 *   headshot photo prepare <file> --out <dir>   run the image pipeline alone
 *   headshot emulator [--port N]                run the local tenant alone
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './src/config';
import { AppError } from './src/core/errors';
import { SharpImageProcessor } from './src/photo/sharp-image-processor';
import { resolveLocale, t } from './src/i18n/i18n';
import { startLocalTenant } from '../emulator';

const USAGE = `Usage:
  headshot photo prepare <file> --out <dir> [--json]
  headshot emulator [--port <port>] [--json]
`;

function print(json: boolean, value: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

async function photoPrepare(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file || !values.out) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const locale = resolveLocale(process.env.LANG?.split('.')[0].replace('_', '-'));
  const processor = new SharpImageProcessor({ ...config.photo });
  try {
    const prepared = await processor.prepare(new Uint8Array(fs.readFileSync(file)));
    fs.mkdirSync(values.out, { recursive: true });
    const base = path.basename(file).replace(/\.[^.]*$/, '');
    const masterPath = path.join(values.out, `${base}-648.jpg`);
    const previewPath = path.join(values.out, `${base}-96.jpg`);
    fs.writeFileSync(masterPath, prepared.master);
    fs.writeFileSync(previewPath, prepared.preview);
    const warnings = prepared.warnings.map((w) => ({ code: w.code, message: t(locale, `warnings.${w.code}`, w.params) }));
    print(
      values.json,
      { ok: true, source: prepared.source, outputs: { master: masterPath, preview: previewPath }, masterBytes: prepared.master.byteLength, warnings },
      [`${masterPath} (648x648, ${prepared.master.byteLength} bytes)`, `${previewPath} (96x96)`, ...warnings.map((w) => `warning: ${w.message}`)].join('\n'),
    );
    return 0;
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError('internal', String(err));
    const message = t(locale, e.messageKey, e.params);
    print(values.json, { ok: false, error: { code: e.code, message } }, `error (${e.code}): ${message}`);
    return 1;
  }
}

async function emulator(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const port = values.port ? Number(values.port) : loadConfig().localTenantPort;
  const tenant = await startLocalTenant({ port });
  print(values.json, { url: tenant.url, tenantId: tenant.tenantId }, `Local tenant listening on ${tenant.url} (tenant ${tenant.tenantId}); Ctrl+C stops it.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await tenant.close();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'photo' && sub === 'prepare') return photoPrepare(rest);
  if (command === 'emulator') return emulator([sub, ...rest].filter((a): a is string => a !== undefined));
  process.stderr.write(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`headshot: ${err.message}\n`);
    process.exit(1);
  },
);
