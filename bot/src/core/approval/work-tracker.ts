/**
 * Background work of one process, keyed so that the same job never runs twice at once
 * (`run`) or runs strictly one after another (`serial`), and so that tests and shutdown
 * can wait for all of it (`idle`). Durability is not here: every job re-reads its state
 * from the store, so a job lost in a crash is found again by the scheduler.
 */
export class WorkTracker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  /** Starts `work` unless a job with the same key is running; resolves when that job ends (never rejects). */
  run(key: string, work: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) return current;
    const job = this.guard(key, work).finally(() => this.running.delete(key));
    this.running.set(key, job);
    return job;
  }

  /** Runs `work` after every earlier job with the same key has ended (never rejects). */
  serial(key: string, work: () => Promise<void>): Promise<void> {
    const before = this.chains.get(key) ?? Promise.resolve();
    const job = before.then(() => this.guard(key, work));
    this.chains.set(key, job);
    void job.finally(() => {
      if (this.chains.get(key) === job) this.chains.delete(key);
    });
    return job;
  }

  /** Resolves when no job is running, including jobs started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.chains.size > 0) {
      await Promise.allSettled([...this.running.values(), ...this.chains.values()]);
      // Let `finally` handlers remove settled jobs before looking again.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Waits for running work at most `ms`; true when everything finished. */
  async drain(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.idle().then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async guard(key: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.onError(key, err);
    }
  }
}
