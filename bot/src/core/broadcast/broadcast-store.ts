/** The stores a broadcast runs on (SQLite in store/broadcast/, one file shared by every instance). */
import type { ReminderOptOuts } from './reminder-optouts';
import type { CampaignStore } from './campaign-store';
import type { ProgressCardStore } from './progress-card-store';
import type { RecipientJobStore } from './recipient-job-store';
import type { SharedPace } from './shared-pace';
import type { FunnelStore } from './funnel';

/** Campaigns, their recipient jobs, their progress cards, the shared pace, and who opted out of reminders. */
export interface BroadcastStores {
  campaigns: CampaignStore;
  jobs: RecipientJobStore;
  cards: ProgressCardStore;
  pace: SharedPace;
  /** Who asked for no more reminders. */
  optOuts: ReminderOptOuts;
  /** What recipients did after a campaign's reminder. */
  funnel: FunnelStore;
}
