/** Reading an import's zip or folder (bot/src/photo/photo-archive.ts): whole-archive checks and one entry at a time. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openImportSource, parseMapping, type ArchiveLimits } from '../../../bot/src/photo/photo-archive';
import type { AppError } from '../../../bot/src/core/errors';
import type { ImportSource } from '../../../bot/src/core/import/import-ports';
import { PHOTOS, bombZip, photoFolder, zipOf, zipWithLink, zipWithName } from '../../support/import-files';

const LIMITS: ArchiveLimits = {
  maxFiles: 5,
  maxEntryBytes: 2 * 1_048_576,
  maxTotalBytes: 8 * 1_048_576,
  maxRatio: 100,
};
const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function zipAt(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-zip-'));
  made.push(dir);
  const file = path.join(dir, 'a.zip');
  fs.writeFileSync(file, bytes);
  return file;
}

async function entries(source: ImportSource): Promise<Array<{ path: string; problem?: string; bytes: number }>> {
  const out = [];
  for await (const e of source.entries())
    out.push({ path: e.path, bytes: e.bytes, ...(e.problem ? { problem: e.problem } : {}) });
  return out;
}

const refusal = async (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => Promise.reject(new Error('opened')),
    (e: AppError) => e,
  );

test('a zip: photos in its order, hidden files and mapping.csv left out, nested archives and oversize entries flagged', async () => {
  const file = zipAt(
    zipOf({
      'team/a.jpg': PHOTOS[0]!,
      'team/b.jpg': PHOTOS[1]!,
      '__MACOSX/team/._a.jpg': 'fork',
      'team/.DS_Store': 'x',
      'Thumbs.db': 'x',
      'old.zip': zipOf({ 'x.jpg': PHOTOS[2]! }),
      'huge.jpg': Buffer.alloc(3 * 1_048_576, 7),
      'mapping.csv': '\uFEFFfile;upn\r\nteam/a.jpg;alex@contoso.com\r\n',
    }),
  );
  const source = await openImportSource(file, { ...LIMITS, maxRatio: 10_000 });
  expect(source.files).toBe(4);
  // In the zip's own order (adm-zip writes entries sorted by name).
  expect((await entries(source)).map((e) => [e.path, e.problem])).toEqual([
    ['huge.jpg', 'too_large'],
    ['old.zip', 'nested_archive'],
    ['team/a.jpg', undefined],
    ['team/b.jpg', undefined],
  ]);
  expect(await source.mapping()).toEqual([{ file: 'team/a.jpg', address: 'alex@contoso.com' }]);
  for await (const e of source.entries()) {
    if (e.path === 'team/b.jpg') expect(Buffer.from(await e.read()).equals(PHOTOS[1]!)).toBe(true);
  }
});

test.each([
  ['a path outside it', zipWithName('../a.jpg', PHOTOS[0]!), 'import.archive_unsafe'],
  ['a drive letter', zipWithName('C:/a.jpg', PHOTOS[0]!), 'import.archive_unsafe'],
  ['a symbolic link', zipWithLink('a.jpg', '/etc/shadow'), 'import.archive_unsafe'],
  ['a bomb', bombZip(50), 'import.archive_too_big'],
  [
    'more files than allowed',
    zipOf(Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`${i}.jpg`, PHOTOS[0]!]))),
    'import.too_many_files',
  ],
  ['only folders', zipOf({ 'empty/': '' }), 'import.empty'],
  ['bytes that are not a zip', Buffer.from('PK but not really'), 'import.archive_unreadable'],
])('a zip with %s is refused before any entry is read', async (_what, bytes, code) => {
  expect((await refusal(openImportSource(zipAt(bytes), LIMITS))).code).toBe(code);
});

test('more inflated bytes than allowed in all is refused, whatever each entry is', async () => {
  const files = Object.fromEntries([1, 2, 3].map((i) => [`${i}.jpg`, Buffer.alloc(1_048_576, i)]));
  const e = await refusal(
    openImportSource(zipAt(zipOf(files)), { ...LIMITS, maxTotalBytes: 2 * 1_048_576, maxRatio: 1e6 }),
  );
  expect(e.code).toBe('import.archive_too_big');
});

test('a folder: recursive, in name order; a link is listed and never followed', async () => {
  const dir = photoFolder({ 'b/2.jpg': PHOTOS[1]!, 'a.jpg': PHOTOS[0]!, '.hidden.jpg': 'x' });
  made.push(dir);
  fs.symlinkSync('/etc/passwd', path.join(dir, 'c.jpg'));
  const source = await openImportSource(dir, LIMITS);
  expect(source.name).toBe(path.basename(dir));
  expect((await entries(source)).map((e) => [e.path, e.problem])).toEqual([
    ['a.jpg', undefined],
    ['b/2.jpg', undefined],
    ['c.jpg', 'symlink'],
  ]);
  expect(await source.mapping()).toBeNull();
});

test('mapping.csv: a header is optional; a row without an address is refused with its line', () => {
  expect(parseMapping('a.jpg,alex@contoso.com\nb.jpg , "bea@contoso.com"\n')).toEqual([
    { file: 'a.jpg', address: 'alex@contoso.com' },
    { file: 'b.jpg', address: 'bea@contoso.com' },
  ]);
  expect(() => parseMapping('file,upn\na.jpg,\n')).toThrow(
    expect.objectContaining({ code: 'import.invalid_mapping', params: { line: 2 } }),
  );
});
