/**
 * The files of a bulk import (core/import/import-ports.ts ImportSource): a zip read with yauzl, or a folder.
 *
 * A zip is never unpacked whole: yauzl reads the central directory, then one entry at a time is inflated into
 * memory, at most the photo size limit. Before any entry is read the archive is checked as a whole and refused
 * when it holds an entry outside the archive (`..`, an absolute path, a drive letter), a symbolic link, more
 * files than allowed, or more bytes than allowed once inflated; a single entry that would inflate more than
 * `maxRatio` times (a zip bomb's signature) refuses it too. yauzl checks each entry's inflated size against the
 * size its header declares while inflating, so a header cannot lie its way past these checks.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../core/errors';
import type { ImportEntry, ImportSource, MappingRow } from '../core/import/import-ports';

/** The bounds of one archive. */
export interface ArchiveLimits {
  /** Most photo files (entries that are not folders, mapping.csv or hidden files). */
  maxFiles: number;
  /** Largest photo file once inflated (the pipeline's own limit). */
  maxEntryBytes: number;
  /** Most bytes of all entries once inflated. */
  maxTotalBytes: number;
  /** Largest inflated/compressed ratio of an entry of more than 1 MB. */
  maxRatio: number;
}

const MAPPING = 'mapping.csv';
const NESTED = /\.(zip|7z|rar|tar|gz|tgz|bz2|xz|jar)$/i;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Entries nobody meant as photos: folders, hidden files, macOS resource forks, Windows thumbnails. */
function ignored(name: string): boolean {
  const parts = name.split('/');
  const base = parts[parts.length - 1] ?? '';
  return (
    name.endsWith('/') ||
    parts.some((p) => p.startsWith('.') || p === '__MACOSX') ||
    /^(thumbs\.db|desktop\.ini)$/i.test(base)
  );
}

const isMapping = (name: string): boolean => name.toLowerCase() === MAPPING;

/** Reads mapping.csv: rows of file and UPN (or mail), a header row allowed; BOM, commas or semicolons. */
export function parseMapping(text: string): MappingRow[] {
  let records: string[][];
  try {
    const clean = text.replace(/^\uFEFF/, '');
    const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
    records = parseCsv(clean, {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as string[][];
  } catch (err) {
    throw new AppError('import.invalid_mapping', (err as Error).message, { status: 400, params: { line: 0 } });
  }
  const rows: MappingRow[] = [];
  records.forEach((r, i) => {
    const [file, address] = [r[0] ?? '', r[1] ?? ''];
    if (i === 0 && /^(file|filename|photo|tiedosto|bestand|plik)$/i.test(file)) return;
    if (!file || !address || !address.includes('@'))
      throw new AppError('import.invalid_mapping', `row ${i + 1}`, { status: 400, params: { line: i + 1 } });
    rows.push({ file: file.replace(/\\/g, '/'), address });
  });
  return rows;
}

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    );
  });
}

/** Every entry of the central directory, in order; stops at the first that yauzl refuses. */
async function* zipEntries(zip: ZipFile): AsyncGenerator<Entry> {
  const queue: Array<{ entry?: Entry; error?: Error; end?: boolean }> = [];
  let wake: (() => void) | null = null;
  const push = (v: (typeof queue)[number]): void => {
    queue.push(v);
    wake?.();
  };
  zip.on('entry', (entry: Entry) => push({ entry }));
  zip.on('end', () => push({ end: true }));
  zip.on('error', (error: Error) => push({ error }));
  zip.readEntry();
  for (;;) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    const next = queue.shift();
    if (!next || next.end) return;
    if (next.error) throw next.error;
    if (next.entry) {
      yield next.entry;
      zip.readEntry();
    }
  }
}

/** Inflates one entry, refusing it past `max` bytes (yauzl also refuses a size other than the header's). */
function readEntry(zip: ZipFile, entry: Entry, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream: Readable) => {
      if (err) return reject(unreadable(err));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          stream.destroy();
          reject(
            new AppError('import.archive_too_big', `entry ${entry.fileName}`, {
              status: 413,
              params: { file: entry.fileName },
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (e: Error) => reject(unreadable(e)));
      stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, size))));
    });
  });
}

function unreadable(err: unknown): AppError {
  return new AppError('import.archive_unreadable', (err as Error)?.message ?? String(err), { status: 400 });
}

/** yauzl's refusals of an entry's name are the archive's fault: it holds a path outside itself. */
function refusalOf(err: unknown): AppError {
  const message = (err as Error)?.message ?? String(err);
  const unsafe = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(message);
  if (unsafe)
    return new AppError('import.archive_unsafe', message, {
      status: 400,
      params: { file: (unsafe[2] ?? '').slice(0, 200), reason: 'path' },
    });
  return unreadable(err);
}

/**
 * Opens a zip and checks it as a whole (names, links, count, sizes). Throws AppError import.archive_unreadable,
 * import.archive_unsafe, import.too_many_files, import.archive_too_big or import.empty.
 */
async function openZipSource(file: string, name: string, limits: ArchiveLimits): Promise<ImportSource> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    throw refusalOf(err);
  }
  let files = 0;
  let total = 0;
  let mappingEntry: Entry | undefined;
  try {
    for await (const e of zipEntries(zip)) {
      const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK)
        throw new AppError('import.archive_unsafe', `symlink ${e.fileName}`, {
          status: 400,
          params: { file: e.fileName.slice(0, 200), reason: 'symlink' },
        });
      if (ignored(e.fileName)) continue;
      if (isMapping(e.fileName)) {
        mappingEntry = e;
        continue;
      }
      files++;
      total += e.uncompressedSize;
      if (files > limits.maxFiles)
        throw new AppError('import.too_many_files', `more than ${limits.maxFiles}`, {
          status: 413,
          params: { max: limits.maxFiles },
        });
      const bomb =
        e.uncompressedSize > 1_048_576 && e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize);
      if (bomb || total > limits.maxTotalBytes)
        throw new AppError('import.archive_too_big', `inflates to ${total}`, {
          status: 413,
          params: { file: e.fileName.slice(0, 200), maxMegabytes: Math.round(limits.maxTotalBytes / 1_048_576) },
        });
    }
  } catch (err) {
    zip.close();
    throw err instanceof AppError ? err : refusalOf(err);
  }
  if (files === 0) {
    zip.close();
    throw new AppError('import.empty', 'no photos in the archive', { status: 400 });
  }
  const mapping = mappingEntry;
  zip.close();
  return {
    name,
    files,
    async *entries(): AsyncGenerator<ImportEntry> {
      const z = await openZip(file).catch((err: unknown) => Promise.reject(refusalOf(err)));
      try {
        for await (const e of zipEntries(z)) {
          if (ignored(e.fileName) || isMapping(e.fileName)) continue;
          const problem = NESTED.test(e.fileName)
            ? ('nested_archive' as const)
            : e.isEncrypted()
              ? ('encrypted' as const)
              : e.uncompressedSize > limits.maxEntryBytes
                ? ('too_large' as const)
                : undefined;
          yield {
            path: e.fileName,
            bytes: e.uncompressedSize,
            maxBytes: limits.maxEntryBytes,
            ...(problem ? { problem } : {}),
            read: () => readEntry(z, e, limits.maxEntryBytes),
          };
        }
      } finally {
        z.close();
      }
    },
    async mapping(): Promise<MappingRow[] | null> {
      if (!mapping) return null;
      const z = await openZip(file).catch((err: unknown) => Promise.reject(refusalOf(err)));
      try {
        for await (const e of zipEntries(z)) {
          if (e.fileName === mapping.fileName)
            return parseMapping(Buffer.from(await readEntry(z, e, 4_194_304)).toString('utf8'));
        }
        return null;
      } finally {
        z.close();
      }
    },
    close: async () => undefined,
  };
}

/** The files of a folder, in name order, recursively; symbolic links are listed, never followed. */
async function walk(root: string): Promise<Array<{ rel: string; size: number; link: boolean }>> {
  const out: Array<{ rel: string; size: number; link: boolean }> = [];
  const visit = async (dir: string): Promise<void> => {
    const names = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const d of names) {
      const full = path.join(dir, d.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (ignored(rel)) continue;
      if (d.isSymbolicLink()) out.push({ rel, size: 0, link: true });
      else if (d.isDirectory()) await visit(full);
      else if (d.isFile()) out.push({ rel, size: (await fsp.lstat(full)).size, link: false });
    }
  };
  await visit(root);
  return out;
}

/** Opens a folder (local mode and the CLI) with the same limits as a zip. */
async function openFolderSource(dir: string, limits: ArchiveLimits): Promise<ImportSource> {
  let listed: Array<{ rel: string; size: number; link: boolean }>;
  try {
    listed = await walk(dir);
  } catch (err) {
    throw new AppError('import.archive_unreadable', (err as Error).message, { status: 400 });
  }
  const mappingFile = listed.find((f) => isMapping(f.rel) && !f.link);
  const photos = listed.filter((f) => !isMapping(f.rel));
  if (photos.length === 0) throw new AppError('import.empty', 'no photos in the folder', { status: 400 });
  if (photos.length > limits.maxFiles)
    throw new AppError('import.too_many_files', `more than ${limits.maxFiles}`, {
      status: 413,
      params: { max: limits.maxFiles },
    });
  return {
    name: path.basename(path.resolve(dir)),
    files: photos.length,
    async *entries(): AsyncGenerator<ImportEntry> {
      for (const f of photos) {
        const full = path.join(dir, f.rel);
        const problem = f.link
          ? ('symlink' as const)
          : NESTED.test(f.rel)
            ? ('nested_archive' as const)
            : f.size > limits.maxEntryBytes
              ? ('too_large' as const)
              : undefined;
        yield {
          path: f.rel,
          bytes: f.size,
          maxBytes: limits.maxEntryBytes,
          ...(problem ? { problem } : {}),
          read: async () => {
            // O_NOFOLLOW: a file swapped for a link after the listing is refused, not followed.
            const handle = await fsp.open(full, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
            try {
              const { size } = await handle.stat();
              if (size > limits.maxEntryBytes)
                throw new AppError('import.archive_too_big', `entry ${f.rel}`, {
                  status: 413,
                  params: { file: f.rel },
                });
              return new Uint8Array(await handle.readFile());
            } finally {
              await handle.close();
            }
          },
        };
      }
    },
    async mapping(): Promise<MappingRow[] | null> {
      if (!mappingFile) return null;
      return parseMapping(await fsp.readFile(path.join(dir, mappingFile.rel), 'utf8'));
    },
    close: async () => undefined,
  };
}

/** A zip (by its first bytes) or a folder at `location`. */
export async function openImportSource(location: string, limits: ArchiveLimits, name?: string): Promise<ImportSource> {
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(location);
  } catch {
    throw new AppError('import.archive_unreadable', `cannot open ${location}`, { status: 400 });
  }
  if (stat.isDirectory()) return openFolderSource(location, limits);
  return openZipSource(location, name ?? path.basename(location), limits);
}
