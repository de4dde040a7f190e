/**
 * The allocator setting that keeps the service's memory from growing with every photo (glibc arenas fragmented
 * by libvips' threads, as sharp's documentation warns): two arenas, measured 23-27% lower after 20 photos in
 * bench/allocator.sh. glibc reads it once, at process start, so it must be in the environment of every way the
 * service starts: `npm start`, `npm run start:prod` (the App Service start command) and the App Service settings.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const scripts = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** What MALLOC_ARENA_MAX a script's command gives node, run by the shell npm uses, with `env` in its environment. */
function arenaMaxFor(command: string, env: Record<string, string> = {}): string {
  const probe = command.replace(
    /node dist\/bot\/src\/main\.js/,
    `node -e "process.stdout.write(process.env.MALLOC_ARENA_MAX ?? '')"`,
  );
  const last = probe.split('&&').pop() as string;
  return execFileSync('sh', ['-c', last], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
}

test.each(['start', 'start:prod'])(
  '`npm run %s` starts the service with two malloc arenas, unless told otherwise',
  (name) => {
    expect(scripts[name]).toContain('node dist/bot/src/main.js');
    expect(arenaMaxFor(scripts[name] as string)).toBe('2');
    expect(arenaMaxFor(scripts[name] as string, { MALLOC_ARENA_MAX: '4' })).toBe('4');
  },
);

test('App Service sets it for the process, and starts with start:prod', () => {
  const bicep = fs.readFileSync(path.join(ROOT, 'infra/main.bicep'), 'utf8');
  expect(bicep).toMatch(/\{ name: 'MALLOC_ARENA_MAX', value: '2' \}/);
  expect(bicep).toContain("appCommandLine: 'npm run start:prod'");
});
