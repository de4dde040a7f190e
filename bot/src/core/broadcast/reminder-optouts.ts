/**
 * People who asked for no more photo reminders ("stop reminding me", or the reminder card's button). Every campaign
 * leaves them out, when it counts its audience and when it sends; saying "remind me again" takes them back.
 */

/** Stores who opted out of reminders. */
export interface ReminderOptOuts {
  /** The ids among `userIds` who opted out. */
  optedOut(userIds: readonly string[]): Promise<Set<string>>;
  /** Records the wish; false when it was already recorded. */
  optOut(userId: string, at: Date): Promise<boolean>;
  /** Forgets it; false when there was none. */
  optIn(userId: string): Promise<boolean>;
}

/** The members who still get reminders, in their order. */
export async function withoutOptedOut<M extends { userId: string }>(
  optOuts: ReminderOptOuts | undefined,
  members: readonly M[],
): Promise<M[]> {
  if (!optOuts || members.length === 0) return [...members];
  const out = await optOuts.optedOut(members.map((m) => m.userId));
  return members.filter((m) => !out.has(m.userId));
}
