/** The broadcast stores on one SQL database (shared by every instance on it). */
import { SqlReminderOptOuts } from './sql-reminder-optouts';
import type { BroadcastStores } from '../../core/broadcast/broadcast-store';
import type { SqlDb } from '../sql/sql-db';
import { SqlCampaignStore } from './sql-campaign-store';
import { SqlFunnelStore } from './sql-funnel';
import { SqlProgressCards } from './sql-progress-cards';
import { SqlRecipientJobs } from './sql-recipient-jobs';
import { SqlSharedPace } from './sql-shared-pace';

/** Campaigns, recipient jobs, progress cards and the shared pace, on `db`. */
export function sqlBroadcastStores(db: SqlDb): BroadcastStores {
  return {
    campaigns: new SqlCampaignStore(db),
    jobs: new SqlRecipientJobs(db),
    cards: new SqlProgressCards(db),
    pace: new SqlSharedPace(db),
    optOuts: new SqlReminderOptOuts(db),
    funnel: new SqlFunnelStore(db),
  };
}
