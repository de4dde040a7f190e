/** The admin's progress card of each campaign, and what it last showed. */
import type { ProgressCardRef } from './broadcast-types';

/** The admin's progress card of each campaign, and what it last showed. */
export interface ProgressCardStore {
  setProgressCard(id: string, card: ProgressCardRef): void;
  progressCard(id: string): (ProgressCardRef & { synced: string | null; final: boolean }) | null;
  /** Campaigns whose card may lag behind. */
  campaignsWithOpenCards(): string[];
  markProgressSynced(id: string, key: string, final: boolean): void;
}
