/**
 * A benchmark's local tenant in a child process: the benchmark's own script run again with BENCH_ROLE=tenant, which
 * starts the tenant and prints `TENANT <url>`. Its core and its memory are not counted as the product's.
 */
import { spawn } from 'node:child_process';

/** Starts the tenant process (`nodeArgs`: extra node flags, such as a larger heap). */
export async function startTenantProcess(
  nodeArgs: string[] = [],
): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, process.argv[1] as string], {
    env: { ...process.env, BENCH_ROLE: 'tenant' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const m = /^TENANT (\S+)$/m.exec(buffered);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`tenant process exited with ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
