/** The broadcast stores on one SQLite database (the file every instance on this machine shares). */
import type { BroadcastStores } from '../../core/broadcast/broadcast-store';
import type { Db } from '../database';
import { SqliteCampaignStore } from './sqlite-campaign-store';
import { SqliteProgressCards } from './sqlite-progress-cards';
import { SqliteRecipientJobs } from './sqlite-recipient-jobs';
import { SqliteSharedPace } from './sqlite-shared-pace';

/** Campaigns, recipient jobs, progress cards and the shared pace, on `db`. */
export function sqliteBroadcastStores(db: Db): BroadcastStores {
  return {
    campaigns: new SqliteCampaignStore(db),
    jobs: new SqliteRecipientJobs(db),
    cards: new SqliteProgressCards(db),
    pace: new SqliteSharedPace(db),
  };
}
