/**
 * Counters an operator can watch: requests by status, photos applied, approvals decided,
 * proactive sends, throttling. Exposed as Prometheus text at `GET /metrics` and written
 * as a periodic pino line (Application Insights picks both up from stdout).
 */
import type { AuditEntry, AuditLog } from './core/audit/audit-ports';
import type { CampaignTransport } from './core/broadcast/broadcast-types';

type Labels = Record<string, string>;

const HELP: Record<string, string> = {
  headshot_http_requests_total: 'HTTP requests answered, by status code',
  headshot_photos_applied_total: 'Photos written to Microsoft 365',
  headshot_approvals_decided_total: 'Approval decisions, by decision',
  headshot_proactive_sends_total: 'Proactive messages to users, by outcome',
  headshot_throttled_total: 'Throttled answers, by who throttled (upload: Headshot itself; graph: Microsoft 365)',
  headshot_audit_events_total: 'Audit entries, by action and outcome',
};

/** A set of monotonically increasing counters. */
export class Metrics {
  private readonly counters = new Map<string, Map<string, { labels: Labels; value: number }>>();

  /** Adds `by` (default 1) to the counter `name` with `labels`. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    const key = JSON.stringify(Object.entries(labels).sort());
    const s = series.get(key);
    if (s) s.value += by;
    else series.set(key, { labels, value: by });
  }

  /** The current value of one series (tests, readiness). */
  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.get(JSON.stringify(Object.entries(labels).sort()))?.value ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const name of [...new Set([...Object.keys(HELP), ...this.counters.keys()])]) {
      lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} counter`);
      const series = this.counters.get(name);
      if (!series || series.size === 0) {
        if (!/_total$/.test(name) || Object.keys(HELP).includes(name)) lines.push(`${name} 0`);
        continue;
      }
      for (const { labels, value } of series.values()) lines.push(`${name}${labelText(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** `{ name: { "k=v,...": value } }` for the periodic log line. */
  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, series] of this.counters) {
      out[name] = {};
      for (const { labels, value } of series.values()) {
        const key = Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        out[name][key || 'all'] = value;
      }
    }
    return out;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

/** An AuditLog that also counts what it records: applied photos and approval decisions come from here. */
export class CountingAuditLog implements AuditLog {
  constructor(
    private readonly inner: AuditLog,
    private readonly metrics: Metrics,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.inner.append(entry);
    this.count(entry);
  }

  /** Counts an entry written elsewhere (in a store's own transaction). */
  count(entry: AuditEntry): void {
    this.metrics.inc('headshot_audit_events_total', { action: entry.action, outcome: entry.outcome });
    if (entry.outcome !== 'ok') return;
    // Approved photos are written through PhotoService too, so 'photo.apply' counts every write once.
    if (entry.action === 'photo.apply') this.metrics.inc('headshot_photos_applied_total');
    if (entry.action === 'approval.approve' || entry.action === 'approval.reject')
      this.metrics.inc('headshot_approvals_decided_total', { decision: entry.action.slice('approval.'.length) });
  }

  list(filter: Parameters<AuditLog['list']>[0]): Promise<AuditEntry[]> {
    return this.inner.list(filter);
  }
}

/** A CampaignTransport that counts broadcast deliveries by outcome, and 429s as throttling. */
export function countedTransport(inner: CampaignTransport, metrics: Metrics): CampaignTransport {
  return {
    async deliver(job, message, gate) {
      const outcome = await inner.deliver(job, message, gate);
      metrics.inc('headshot_broadcast_sends_total', { outcome: outcome.kind });
      if (outcome.kind === 'throttled') metrics.inc('headshot_throttled_total', { source: 'bot-connector' });
      return outcome;
    },
    updateProgress: (card, progress, gate) => inner.updateProgress(card, progress, gate),
  };
}
