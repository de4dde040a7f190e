/** One answered request; never holds headers such as Authorization, nor bodies. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** Arrival time on the virtual clock (ISO). */
  at: string;
  userAgent?: string;
  /** `low` when the request carried `x-ms-throttle-priority: low`. */
  throttlePriority?: 'low';
  requestId: string;
  /** The caller's client-request-id (or one made up); a `$batch`'s inner requests carry the batch's. */
  clientRequestId: string;
}

const MAX_ENTRIES = 20_000;

/** Log of requests the emulated services answered (the control API is not logged). */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  /** Appends an entry, dropping the oldest beyond a fixed cap. */
  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** Entries in completion order, optionally filtered by method and a path RegExp. */
  query(method?: string, pathPattern?: RegExp): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (method === undefined || e.method === method.toUpperCase()) &&
        (pathPattern === undefined || pathPattern.test(e.path)),
    );
  }

  /** Forgets everything. */
  clear(): void {
    this.entries = [];
  }
}
