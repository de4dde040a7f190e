/**
 * `headshot photo prepare`: in-process through runPhotoPrepare for the details,
 * and as a real child process (bot/cli.ts bundled with esbuild) for exit codes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { t } from '../../../bot/src/i18n/i18n';
import { runPhotoPrepare, type CliIo } from '../../../bot/src/photo/prepare-command';
import { bundle, runNode } from '../../support/bundle';
import { heic, image } from '../../support/images';

const OUTPUT_NAMES = [
  'master',
  'card-preview',
  'ad-thumbnail',
  'sharepoint-s',
  'sharepoint-m',
  'sharepoint-l',
  ...[16, 20, 24, 32, 36, 40, 48, 56, 64, 72, 96, 120].map((s) => `avatar-${s}`),
];

interface Captured extends CliIo {
  out: string;
  err: string;
}

function io(env: Record<string, string> = {}): Captured {
  const captured: Captured = {
    out: '',
    err: '',
    env,
    stdout: (text) => {
      captured.out += text;
    },
    stderr: (text) => {
      captured.err += text;
    },
  };
  return captured;
}

interface JsonReport {
  ok: boolean;
  input?: { file: string; format: string; width: number; height: number; bytes: number; orientation: number };
  outputs?: Array<{
    name: string;
    file: string;
    format: string;
    width: number;
    height: number;
    bytes: number;
    budgetBytes: number;
  }>;
  warnings?: Array<{ code: string; message: string }>;
  error?: { code: string; message: string; params: Record<string, unknown> };
}

let tmp: string;
const write = (name: string, bytes: Uint8Array): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('runPhotoPrepare (in-process)', () => {
  it('accepted: exit 0, every output written, the text report names input and outputs', async () => {
    const file = write('Portrait_6.jpg', image('exif-orientation-examples/Portrait_6.jpg'));
    const out = path.join(tmp, 'text-out');
    // The corpus has no faces: this test is about the outputs, the face check has its own below.
    const cli = io({ FACE_CHECK: '0' });
    expect(await runPhotoPrepare([file, '--out', out], cli)).toBe(0);
    expect(cli.out).toContain('Accepted:');
    expect(cli.out).toContain('input: jpeg, 1200x1800 px (after orientation)');
    expect(cli.out).toContain('EXIF orientation 6');
    for (const name of OUTPUT_NAMES)
      expect(cli.out).toMatch(new RegExp(`^  ${name} +\\d+x\\d+ +jpeg +\\d+ +\\d+ +\\S+\\.jpg$`, 'm'));
    expect(cli.out).toContain('Face check: off (FACE_CHECK=0)');
    expect(cli.out).toContain('Warnings: none');
    expect(fs.readdirSync(out)).toHaveLength(OUTPUT_NAMES.length);
    expect(fs.readdirSync(out)).toEqual(
      expect.arrayContaining([
        'Portrait_6-648.jpg',
        'Portrait_6_SThumb.jpg',
        'Portrait_6_MThumb.jpg',
        'Portrait_6_LThumb.jpg',
        'Portrait_6-ad-96.jpg',
      ]),
    );
    expect(cli.err).toBe('');
  });

  it('--json: one JSON object whose outputs match the files on disk', async () => {
    const file = write(
      'small.png',
      await sharp(image('exif-orientation-examples/Landscape_1.jpg')).resize(300, 200).png().toBuffer(),
    );
    const out = path.join(tmp, 'json-out');
    const cli = io({ FACE_CHECK: '0' });
    expect(await runPhotoPrepare([file, '--out', out, '--json'], cli)).toBe(0);
    const lines = cli.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]) as JsonReport;
    expect(report.input).toEqual({
      file,
      format: 'png',
      width: 300,
      height: 200,
      bytes: fs.statSync(file).size,
      orientation: 1,
    });
    expect(report.outputs?.map((o) => o.name)).toEqual(OUTPUT_NAMES);
    for (const o of report.outputs ?? []) {
      const meta = await sharp(o.file).metadata();
      expect([o.name, meta.format, meta.width, meta.height, fs.statSync(o.file).size]).toEqual([
        o.name,
        o.format,
        o.width,
        o.height,
        o.bytes,
      ]);
      expect(o.bytes).toBeLessThanOrEqual(o.budgetBytes);
    }
    // 300 px enlarged to 648: small, and so soft that it reads as blurry.
    expect(report.warnings).toEqual([
      {
        code: 'small',
        params: { width: 300, height: 200 },
        message: t('en', 'warnings.small', { width: 300, height: 200 }),
      },
      { code: 'blurry', params: { sharpness: expect.any(Number) }, message: t('en', 'warnings.blurry') },
    ]);
  });

  it('a HEIC file is accepted', async () => {
    const file = write('phone.heic', heic('landscape-irot'));
    const cli = io();
    expect(await runPhotoPrepare([file, '--out', path.join(tmp, 'heic-out'), '--json'], cli)).toBe(0);
    expect((JSON.parse(cli.out) as JsonReport).input).toMatchObject({ format: 'heic', width: 900, height: 600 });
  });

  it.each([
    ['sharp-fixtures/truncated.jpg', 'photo.corrupt'],
    ['sharp-fixtures/check.svg', 'photo.unsupported_format'],
    ['pngsuite/png/basn0g01.png', 'photo.too_small'],
  ])('%s: exit 2 with the code and the localised message, nothing written', async (name, code) => {
    const out = path.join(tmp, `rejected-${path.basename(name)}`);
    const cli = io();
    expect(
      await runPhotoPrepare([write(path.basename(name), image(name)), '--out', out, '--json', '--locale', 'fi'], cli),
    ).toBe(2);
    const report = JSON.parse(cli.out) as JsonReport;
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe(code);
    expect(report.error?.message).toBe(
      t('fi', `errors.${code}`, report.error?.params as Record<string, string | number>),
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('the text report of a rejection carries the code and message in the LANG locale', async () => {
    const cli = io({ LANG: 'nl_NL.UTF-8' });
    expect(
      await runPhotoPrepare([write('c.svg', image('sharp-fixtures/check.svg')), '--out', path.join(tmp, 'x')], cli),
    ).toBe(2);
    expect(cli.out).toContain('photo.unsupported_format: ');
    expect(cli.out).toContain('HEIC');
    expect(cli.out).toContain(t('nl', 'errors.photo.unsupported_format', { received: 'svg' }));
  });

  it('over PHOTO_MAX_BYTES: exit 2, refused from the file size', async () => {
    const cli = io({ PHOTO_MAX_BYTES: '1000' });
    const code = await runPhotoPrepare(
      [write('big.jpg', image('sharp-fixtures/320x240.jpg')), '--out', path.join(tmp, 'big'), '--json'],
      cli,
    );
    expect(code).toBe(2);
    expect((JSON.parse(cli.out) as JsonReport).error).toMatchObject({ code: 'photo.too_large_bytes' });
  });

  it.each([
    ['no --out', ['x.jpg']],
    ['no file', ['--out', 'o']],
    ['an unknown option', ['x.jpg', '--out', 'o', '--frobnicate']],
    ['two files', ['a.jpg', 'b.jpg', '--out', 'o']],
  ])('usage error (%s): exit 64 with the usage', async (_, args) => {
    const cli = io();
    expect(await runPhotoPrepare(args, cli)).toBe(64);
    expect(cli.err).toContain('Usage: headshot photo prepare');
  });

  it('an input file that cannot be read: exit 64, saying so', async () => {
    const cli = io();
    expect(await runPhotoPrepare([path.join(tmp, 'missing.jpg'), '--out', path.join(tmp, 'o')], cli)).toBe(64);
    expect(cli.err).toContain('cannot read');
  });

  it('outputs that cannot be written: exit 1 (internal fault), saying so', async () => {
    const blocker = write('not-a-dir', new Uint8Array([1]));
    const cli = io();
    expect(
      await runPhotoPrepare([write('ok.jpg', image('sharp-fixtures/320x240.jpg')), '--out', blocker, '--json'], cli),
    ).toBe(1);
    expect(cli.err).toContain('cannot write outputs');
    expect(JSON.parse(cli.out)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('a configuration error: exit 1', async () => {
    const cli = io({ PHOTO_MAX_PIXELS: 'lots' });
    expect(
      await runPhotoPrepare(
        [write('ok2.jpg', image('sharp-fixtures/320x240.jpg')), '--out', path.join(tmp, 'cfg')],
        cli,
      ),
    ).toBe(1);
    expect(cli.err).toContain('PHOTO_MAX_PIXELS');
  });
});

describe('bot/cli.ts as a process', () => {
  let cli: string;
  beforeAll(() => {
    cli = bundle('bot/cli.ts');
  }, 30_000);
  afterAll(() => fs.rmSync(path.dirname(cli), { recursive: true, force: true }));

  it('accepted: exit 0, one JSON line on stdout', () => {
    const file = write('proc.jpg', image('exif-orientation-examples/Landscape_3.jpg'));
    const run = runNode(cli, ['photo', 'prepare', file, '--out', path.join(tmp, 'proc-out'), '--json']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.input).toMatchObject({ format: 'jpeg', width: 1800, height: 1200, orientation: 3 });
    expect(report.outputs).toHaveLength(OUTPUT_NAMES.length);
  });

  it('a broken HEIC: exit 2, and nothing the WebAssembly decoder prints reaches stdout', () => {
    const whole = heic('landscape');
    const file = write('broken.heic', whole.subarray(0, whole.length >> 1));
    const run = runNode(cli, ['photo', 'prepare', file, '--out', path.join(tmp, 'broken-out'), '--json']);
    expect(run.status).toBe(2);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { code: 'photo.corrupt', params: { format: 'heic' } },
    });
    expect(run.stderr).toBe('');
  });

  it('outputs not writable: exit 1', () => {
    const blocker = write('blocker', new Uint8Array([1]));
    const run = runNode(cli, [
      'photo',
      'prepare',
      write('p.jpg', image('sharp-fixtures/320x240.jpg')),
      '--out',
      blocker,
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot write outputs');
  });

  it('an unknown command: exit 64 with the usage', () => {
    const run = runNode(cli, ['photo', 'frobnicate']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('Usage:');
  });
});
