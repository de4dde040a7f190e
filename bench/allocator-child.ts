/**
 * Child of bench/allocator.sh: prepares the same photo `count` times, two at a time (as the service does on
 * two cores), and prints the peak RSS (VmHWM) after the first pair and at the end, and the RSS when idle.
 *   node allocator-child.js <file> <count> [sharpCache=on|off]
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { SharpImageProcessor } from '../bot/src/photo';

function status(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

async function main(): Promise<void> {
  const [file, count = '20', cache = 'on'] = process.argv.slice(2);
  if (!file) throw new Error('usage: allocator-child <file> <count> [on|off]');
  if (cache === 'off') sharp.cache(false);
  const photos = new SharpImageProcessor({
    maxBytes: 20 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 96,
    background: '#ffffff',
    concurrency: 2,
    queueLimit: 8,
  });
  const bytes = fs.readFileSync(file);
  const peaks: Record<string, number> = {};
  for (let done = 0; done < Number(count); done += 2) {
    await Promise.all([photos.prepare(bytes), photos.prepare(bytes)]);
    if (done + 2 === 2 || done + 2 === 6 || done + 2 >= Number(count)) peaks[`after${done + 2}`] = status('VmHWM');
  }
  await new Promise((r) => setTimeout(r, 500));
  process.stdout.write(`${JSON.stringify({ ...peaks, idleRss: status('VmRSS') })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
