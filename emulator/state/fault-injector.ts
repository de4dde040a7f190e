/** A fault to inject, as posted to `POST /_control/faults`. */
export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** RegExp source matched against the request path without its query. */
  path: string;
  /** Status to answer with; when absent the fault only adds latency. */
  status?: number;
  retryAfterSeconds?: number;
  /** How many matching requests it hits (default 1). */
  times?: number;
  latencyMs?: number;
  /** Error code in the answer body (a sensible default per status otherwise). */
  code?: string;
}

/** A registered fault and how many hits it has left. */
export interface ActiveFault extends FaultSpec {
  id: string;
  remaining: number;
}

/** What a matching fault does to one request. */
export interface FaultHit {
  faultId: string;
  latencyMs: number;
  answer?: { status: number; code: string; message: string; retryAfterSeconds?: number };
}

const DEFAULTS: Record<number, { code: string; message: string }> = {
  429: { code: 'TooManyRequests', message: 'Too many requests. Retry after the time given in Retry-After.' },
  500: { code: 'generalException', message: 'An internal server error occurred.' },
  502: { code: 'BadGateway', message: 'Bad gateway.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable. Try again later.' },
  504: { code: 'gatewayTimeout', message: 'The gateway timed out.' },
};

/** Injected faults: the next `times` requests matching method and path get the configured answer. */
export class FaultInjector {
  private faults: Array<ActiveFault & { regex: RegExp }> = [];
  private seq = 0;

  /** Registers a fault (the path must be a valid RegExp source) and returns it. */
  add(spec: FaultSpec): ActiveFault {
    const regex = new RegExp(spec.path);
    this.seq += 1;
    const fault = { ...spec, id: `fault-${this.seq}`, remaining: spec.times ?? 1, regex };
    this.faults.push(fault);
    return this.view(fault);
  }

  /** Faults that still have hits left. */
  list(): ActiveFault[] {
    return this.faults.filter((f) => f.remaining > 0).map((f) => this.view(f));
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Consumes one hit of the first fault matching this request, if any. */
  take(method: string, path: string): FaultHit | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        f.regex.test(path),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    const hit: FaultHit = { faultId: fault.id, latencyMs: fault.latencyMs ?? 0 };
    if (fault.status !== undefined) {
      const d = DEFAULTS[fault.status] ?? { code: 'UnknownError', message: `Injected fault (HTTP ${fault.status}).` };
      hit.answer = {
        status: fault.status,
        code: fault.code ?? d.code,
        message: d.message,
        retryAfterSeconds: fault.retryAfterSeconds,
      };
    }
    return hit;
  }

  private view(f: ActiveFault & { regex: RegExp }): ActiveFault {
    const { regex: _regex, ...rest } = f;
    return rest;
  }
}
