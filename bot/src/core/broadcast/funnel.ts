/**
 * A campaign's funnel: of the people it reached, who came back, who sent a photo, whose photo was approved (or
 * needed no approval) and whose photo Microsoft 365 now shows. Headshot sees both ends (the reminder and the photo
 * change), so it can tell an admin what a reminder achieved, not only that it was sent. See docs/broadcast.md.
 *
 * Each step counts people who reached it or a later one, after the reminder was delivered to them:
 * - delivered: the reminder reached their chat;
 * - opened: they used the reminder's button, talked to the bot or opened the tab afterwards (or sent a photo);
 * - photo sent: they submitted a new photo (confirmed it, not only previewed it);
 * - approved: their photo was approved, or went through without needing approval;
 * - visible: the photo was applied and the newest coverage scan that started after it saw a photo in Microsoft 365.
 *   People the scan does not check (unlicensed, for instance without a mailbox) or applied after it are counted as
 *   not checked, never as missing.
 */

/** The steps, in order. */
const FUNNEL_STEPS = ['recipients', 'delivered', 'opened', 'photo_sent', 'approved', 'visible'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** What became of the photo a recipient sent after the reminder (their furthest request). */
export type FunnelPhoto = 'none' | 'failed' | 'rejected' | 'waiting_approval' | 'approved' | 'applied';

/** One recipient, as the store reads them. */
export interface FunnelRow {
  userId: string;
  department: string | null;
  delivered: boolean;
  /** Came back to Headshot after the reminder (its button, the bot, the tab). */
  opened: boolean;
  photo: FunnelPhoto;
  /** A photo they sent after the reminder went to a manager for approval. */
  neededApproval: boolean;
  /**
   * Whether the newest coverage scan, started after the photo was applied, found a photo for them; null when no
   * such scan checked them (none since, or one that leaves them out).
   */
  visible: boolean | null;
}

/** Counts per step, and the photos that stopped on the way. */
export type FunnelCounts = Record<FunnelStep, number> & {
  /** Sent and waiting for a manager. */
  waitingApproval: number;
  rejected: number;
  /** Sent, but applying it failed. */
  failed: number;
  /** Sent photos that went to a manager. */
  neededApproval: number;
  /** Applied photos no coverage scan has checked yet. */
  notChecked: number;
};

/** A campaign's funnel, in all and per department (people without one are counted under `null`). */
export interface CampaignFunnel {
  total: FunnelCounts;
  departments: Array<{ department: string | null; counts: FunnelCounts }>;
  /** When the coverage scan behind "visible" started; null when there has been none since a photo was applied. */
  visibleAsOf: Date | null;
}

/** Counts with every step at 0. */
function emptyFunnel(): FunnelCounts {
  return {
    recipients: 0,
    delivered: 0,
    opened: 0,
    photo_sent: 0,
    approved: 0,
    visible: 0,
    waitingApproval: 0,
    rejected: 0,
    failed: 0,
    neededApproval: 0,
    notChecked: 0,
  };
}

/** The furthest step one recipient reached. */
export function furthestStep(r: FunnelRow): FunnelStep {
  if (!r.delivered) return 'recipients';
  if (r.photo === 'applied' && r.visible === true) return 'visible';
  if (r.photo === 'applied' || r.photo === 'approved') return 'approved';
  if (r.photo !== 'none') return 'photo_sent';
  return r.opened ? 'opened' : 'delivered';
}

function add(c: FunnelCounts, r: FunnelRow): void {
  const reached = FUNNEL_STEPS.indexOf(furthestStep(r));
  for (let i = 0; i <= reached; i++) c[FUNNEL_STEPS[i] as FunnelStep]++;
  if (!r.delivered || r.photo === 'none') return;
  if (r.photo === 'waiting_approval') c.waitingApproval++;
  if (r.photo === 'rejected') c.rejected++;
  if (r.photo === 'failed') c.failed++;
  if (r.neededApproval) c.neededApproval++;
  if (r.photo === 'applied' && r.visible === null) c.notChecked++;
}

/** The funnel of `rows`: in all, and per department, departments by name with "none" last. */
export function countFunnel(rows: Iterable<FunnelRow>, visibleAsOf: Date | null): CampaignFunnel {
  const total = emptyFunnel();
  const byDepartment = new Map<string | null, FunnelCounts>();
  for (const r of rows) {
    add(total, r);
    let d = byDepartment.get(r.department);
    if (!d) byDepartment.set(r.department, (d = emptyFunnel()));
    add(d, r);
  }
  const departments = [...byDepartment.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([department, counts]) => ({ department, counts }));
  return { total, departments, visibleAsOf };
}

/** Where a campaign's funnel is read from. */
export interface FunnelStore {
  /**
   * The campaign's recipients with what they did after the reminder, by user id: all of them, or a page of `limit`
   * after `afterUserId`.
   */
  funnelRows(
    campaignId: string,
    page?: { afterUserId: string; limit: number },
  ): Promise<{ rows: FunnelRow[]; visibleAsOf: Date | null }>;
  /**
   * Someone came back to Headshot (the bot, the tab): every reminder delivered to them before `at` and not yet
   * opened counts as opened.
   */
  markOpened(userId: string, at: Date): Promise<void>;
}

/**
 * Records that people came back to Headshot (the bot, the tab), for the "opened" step of every campaign. Every turn
 * and tab call asks: the store's check is one indexed read when there is nothing to mark, and anything shorter-lived
 * than a reminder would miss someone who comes back right after one.
 */
export class ReminderOpenings {
  constructor(
    private readonly store: FunnelStore,
    private readonly now: () => Date,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** `userId` is here now; never throws and never delays the request it comes from. */
  seen(userId: string): void {
    this.store.markOpened(userId, this.now()).catch(this.onError);
  }
}
