/**
 * `headshot photo prepare <file> --out <dir> [--json] [--locale xx]`: runs the
 * image pipeline alone on one file, writes every output and prints a report.
 *
 * Exit codes: 0 accepted, 2 the input was rejected (a photo.* or input.* error,
 * with its code and localised message), 1 an internal fault (a bug, out of
 * memory, outputs not writable, bad configuration), 64 usage (missing argument,
 * unknown option, input file not readable).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { ConfigError, loadConfig } from '../config';
import { AppError, toAppError } from '../core/errors';
import type { Locale } from '../core/locale';
import type { PreparedPhoto } from '../core/photo/pipeline-ports';
import { resolveLocale, t } from '../i18n/i18n';
import { AD_THUMBNAIL_MAX_BYTES, MASTER_MAX_BYTES, PREVIEW_TARGET_BYTES, smallOutputBudget } from './encode';
import { tooLargeBytesError } from './photo-errors';
import { faceCheckerFor } from './face-check';
import { SharpImageProcessor } from './sharp-image-processor';

/** Where a command reads its environment and writes its text, so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

/** Exit codes of `photo prepare`. */
const EXIT = { accepted: 0, internal: 1, rejected: 2, usage: 64 } as const;

const PHOTO_PREPARE_USAGE = `Usage: headshot photo prepare <file> --out <dir> [--json] [--locale en|fi|nl|pl]
Exit codes: 0 accepted, 2 input rejected, 1 internal fault, 64 usage.
`;

/** One written output, as reported. */
interface OutputReport {
  name: string;
  file: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  budgetBytes: number;
}

/** Every output of a prepared photo with its report name, file name and byte budget. */
function outputsOf(
  photo: PreparedPhoto,
  base: string,
): Array<{ name: string; file: string; jpeg: Uint8Array; budgetBytes: number }> {
  const { s, m, l } = photo.thumbnails;
  return [
    { name: 'master', file: `${base}-648.jpg`, jpeg: photo.master, budgetBytes: MASTER_MAX_BYTES },
    { name: 'card-preview', file: `${base}-card-96.jpg`, jpeg: photo.preview, budgetBytes: PREVIEW_TARGET_BYTES },
    { name: 'ad-thumbnail', file: `${base}-ad-96.jpg`, jpeg: photo.adThumbnail, budgetBytes: AD_THUMBNAIL_MAX_BYTES },
    { name: `sharepoint-s`, file: `${base}_SThumb.jpg`, jpeg: s.jpeg, budgetBytes: smallOutputBudget(s.side) },
    { name: `sharepoint-m`, file: `${base}_MThumb.jpg`, jpeg: m.jpeg, budgetBytes: smallOutputBudget(m.side) },
    { name: `sharepoint-l`, file: `${base}_LThumb.jpg`, jpeg: l.jpeg, budgetBytes: smallOutputBudget(l.side) },
    ...photo.avatars.map((a) => ({
      name: `avatar-${a.side}`,
      file: `${base}-avatar-${a.side}.jpg`,
      jpeg: a.jpeg,
      budgetBytes: smallOutputBudget(a.side),
    })),
  ];
}

/** The file name without extension, safe on every file system. */
function baseName(file: string): string {
  return (
    path
      .basename(file)
      .replace(/\.[^.]*$/, '')
      .replace(/[^\w.-]+/g, '_') || 'photo'
  );
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

/** Runs `photo prepare` with `args` (after the sub-command); resolves to the exit code. */
export async function runPhotoPrepare(args: string[], io: CliIo): Promise<number> {
  let values: { out?: string; json?: boolean; locale?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false }, locale: { type: 'string' } },
    }));
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${PHOTO_PREPARE_USAGE}`);
    return EXIT.usage;
  }
  const file = positionals[0];
  const out = values.out;
  const json = values.json === true;
  if (!file || !out || positionals.length > 1) {
    io.stderr(PHOTO_PREPARE_USAGE);
    return EXIT.usage;
  }
  const locale: Locale = resolveLocale(values.locale ?? io.env.LC_ALL ?? io.env.LANG?.split('.')[0]);
  const print = (value: Record<string, unknown>, text: string): void =>
    io.stdout(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  const fault = (message: string): number => {
    io.stderr(`headshot: ${message}\n`);
    if (json) print({ ok: false, error: { code: 'internal', message } }, '');
    return EXIT.internal;
  };

  const rejected = (err: AppError): number => {
    const message = t(locale, err.messageKey, err.params);
    print(
      { ok: false, error: { code: err.code, message, params: err.params } },
      `Rejected: ${file}\n  ${err.code}: ${message}`,
    );
    return EXIT.rejected;
  };

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) return fault(err.message);
    throw err;
  }

  let bytes: Buffer;
  try {
    // Refuse an over-size file from its size, without reading it into memory.
    const size = fs.statSync(file).size;
    if (size > config.photo.maxBytes) return rejected(tooLargeBytesError(config.photo.maxBytes, size));
    bytes = fs.readFileSync(file);
  } catch (err) {
    io.stderr(`headshot: cannot read ${file}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }

  let photo: PreparedPhoto;
  try {
    photo = await new SharpImageProcessor({
      ...config.photo,
      concurrency: 1,
      queueLimit: 0,
      faces: faceCheckerFor(config.photo.faceCheck),
    }).prepare(new Uint8Array(bytes));
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'internal') return fault(`internal error while preparing ${file}: ${e.message}`);
    return rejected(e);
  }

  const reports: OutputReport[] = [];
  try {
    fs.mkdirSync(out, { recursive: true });
    for (const output of outputsOf(photo, baseName(file))) {
      // Report what was actually encoded, read back from the bytes.
      const meta = await sharp(output.jpeg).metadata();
      const target = path.resolve(out, output.file);
      fs.writeFileSync(target, output.jpeg);
      reports.push({
        name: output.name,
        file: target,
        format: meta.format,
        width: meta.width,
        height: meta.height,
        bytes: output.jpeg.byteLength,
        budgetBytes: output.budgetBytes,
      });
    }
  } catch (err) {
    return fault(`cannot write outputs to ${out}: ${(err as Error).message}`);
  }

  const warnings = photo.warnings.map((w) => ({
    code: w.code,
    params: w.params ?? {},
    message: t(locale, `warnings.${w.code}`, w.params),
  }));
  const { format, width, height, bytes: size, orientation } = photo.source;
  const text = [
    `Accepted: ${file}`,
    `  input: ${format}, ${width}x${height} px (after orientation), ${size} bytes, EXIF orientation ${orientation}`,
    `Outputs in ${path.resolve(out)}:`,
    `  ${pad('name', 14)}${pad('size', 10)}${pad('format', 8)}${pad('bytes', 9)}${pad('budget', 9)}file`,
    ...reports.map(
      (r) =>
        `  ${pad(r.name, 14)}${pad(`${r.width}x${r.height}`, 10)}${pad(r.format, 8)}${pad(r.bytes, 9)}${pad(r.budgetBytes, 9)}${path.basename(r.file)}`,
    ),
    faceCheckLine(photo.faceCheck),
    warnings.length ? 'Warnings:' : 'Warnings: none',
    ...warnings.map((w) => `  ${w.code}: ${w.message}`),
  ].join('\n');
  print(
    {
      ok: true,
      input: { file, format, width, height, bytes: size, orientation },
      outputs: reports,
      faceCheck: photo.faceCheck,
      warnings,
    },
    text,
  );
  return EXIT.accepted;
}

/** One line on the face check: what was found, and the square the photo was cut from. */
function faceCheckLine(check: PreparedPhoto['faceCheck']): string {
  if (check.status === 'off') return 'Face check: off (FACE_CHECK=0)';
  if (check.status === 'unavailable') return `Face check: no answer (${check.reason}); cropped without it`;
  const { left, top, size } = check.square;
  const faces = check.faces
    .map((f) => `${f.width}x${f.height} at ${f.x},${f.y} (score ${f.score.toFixed(2)})`)
    .join('; ');
  const how = check.automatic ? 'placed automatically' : 'as given';
  return `Face check: ${check.faces.length} face(s)${faces ? `: ${faces}` : ''}; square ${size} px at ${left},${top}, ${how}`;
}
