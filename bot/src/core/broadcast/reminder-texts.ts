/** The tenant's own reminder words, added to each reminder as it is sent (so a change applies at once). */
import type { Locale } from '../locale';
import type { ReminderText } from '../settings/tenant-settings';
import type { CampaignTransport } from './broadcast-types';

/** A transport that gives every reminder the tenant's current texts before `transport` renders it. */
export function withReminderTexts(
  transport: CampaignTransport,
  texts: () => Promise<Partial<Record<Locale, ReminderText>>>,
): CampaignTransport {
  return {
    deliver: async (job, message, gate) =>
      transport.deliver(job, message.kind === 'reminder' ? { kind: 'reminder', texts: await texts() } : message, gate),
    updateProgress: (card, progress, gate) => transport.updateProgress(card, progress, gate),
  };
}
