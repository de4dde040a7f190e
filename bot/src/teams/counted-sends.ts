/** Counts proactive messages (continueConversationAsync: notifications, approval cards) by outcome. */
import type { CloudAdapter } from 'botbuilder';
import type { Metrics } from '../metrics';

/** Wraps `adapter.continueConversationAsync` so every proactive send is counted as delivered, throttled or failed. */
export function countProactiveSends(adapter: CloudAdapter, metrics: Metrics): void {
  const original = adapter.continueConversationAsync.bind(adapter) as (...args: unknown[]) => Promise<void>;
  (
    adapter as unknown as { continueConversationAsync: (...args: unknown[]) => Promise<void> }
  ).continueConversationAsync = async (...args: unknown[]) => {
    try {
      await original(...args);
      metrics.inc('headshot_proactive_sends_total', { outcome: 'delivered' });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      metrics.inc('headshot_proactive_sends_total', { outcome: status === 429 ? 'throttled' : 'failed' });
      if (status === 429) metrics.inc('headshot_throttled_total', { source: 'bot-connector' });
      throw err;
    }
  };
}
