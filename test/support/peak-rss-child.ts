/**
 * Child process for the memory test and the benchmark: prepares one file (or
 * none, for the baseline) and prints its peak RSS. Bundled with esbuild and run
 * with plain node, so the figure holds the pipeline and node alone.
 *
 *   node peak-rss-child.js <file|-> [inFlight] [concurrency]
 * prints {"maxRssKb":..,"outcome":"ok"|<error code>}
 */
import fs from 'node:fs';
import { SharpImageProcessor } from '../../bot/src/photo';
import { AppError } from '../../bot/src/core/errors';

async function main(): Promise<void> {
  const [file = '-', inFlight = '1', concurrency = '2'] = process.argv.slice(2);
  const photos = new SharpImageProcessor({
    maxBytes: 20 * 1024 * 1024,
    maxPixels: 50_000_000,
    minSide: 96,
    background: '#ffffff',
    concurrency: Number(concurrency),
    queueLimit: 8,
  });
  // Warm up on a small image first: module loading and libvips start-up belong to the baseline.
  // A real 96x96 PNG (one flat colour) made by sharp.
  const warmUp = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000600000006008020000006dfae06f0000000970485973000003e8000003e801b57b526b0000010749444154789cedd9c10dc23000c5d08edc5118c52332015caaeae7f0a44c60f99b845ef727e7fe0de142e7feab084001d493953028806250effdd4985800c5a04cacd58556830228066562695067feaf20d201148332b134a8798f453a80625026d6bc3b2e8a01148332b1e601f2580da0189489a541cd632cd201148332b1e6d171510ca018948975c8f1653580625026960635efb14807500ccac49a77c7453180625026d63c401eab01148332b134a8798c453a80625026d63c3a2e8a01148332b10e39beac06500ccac4d2a0e63d16e9008a419958f3eeb82806500ccac49a07c86335806250269606358fb14807500ccac49a47c7453180625026d621c797d500ea89415f5984c385b44b8b7c0000000049454e44ae426082',
    'hex',
  );
  await photos.prepare(warmUp);
  let outcome = 'ok';
  if (file !== '-') {
    const bytes = fs.readFileSync(file);
    try {
      await Promise.all(Array.from({ length: Number(inFlight) }, () => photos.prepare(bytes)));
    } catch (err) {
      outcome = err instanceof AppError ? err.code : String(err);
    }
  }
  process.stdout.write(`${JSON.stringify({ maxRssKb: peakRssKb(), outcome })}\n`);
}

/**
 * Peak RSS of this process image. On Linux, VmHWM from /proc: getrusage's maxRSS
 * (process.resourceUsage) survives exec, so a child spawned from a 500 MB jest
 * worker would report at least 500 MB whatever it did itself.
 */
function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
