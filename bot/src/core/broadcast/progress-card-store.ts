/** The admin's progress card of each campaign, and what it last showed. */
import type { ProgressCardRef } from './broadcast-types';

/** The admin's progress card of each campaign, and what it last showed. */
export interface ProgressCardStore {
  setProgressCard(id: string, card: ProgressCardRef): Promise<void>;
  progressCard(id: string): Promise<(ProgressCardRef & { synced: string | null; final: boolean }) | null>;
  /** Campaigns whose card may lag behind. */
  campaignsWithOpenCards(): Promise<string[]>;
  markProgressSynced(id: string, key: string, final: boolean): Promise<void>;
  /**
   * Claims the right to update a card in `conversationId` now: true when no update of that chat (by any campaign or
   * instance) was claimed in the last `minGapMs`.
   */
  claimConversationUpdate(conversationId: string, nowMs: number, minGapMs: number): Promise<boolean>;
}
