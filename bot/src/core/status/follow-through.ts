/**
 * Follow-through (docs/status.md): after every photo change Headshot makes, it checks Entra ID, Exchange Online and
 * SharePoint on a back-off schedule until the new picture shows there, compared by difference hash as the status
 * report does; then tells the person once. Follow-ups are durable and claimed, so they survive restarts and run once
 * across instances; the checks of many people share Graph `$batch`es.
 *
 * Read budget per change: the first check asks Graph three things (user, mailbox, 48x48 photo: 3 of a `$batch`'s 20
 * inner requests) and SharePoint one (`userphoto.aspx`, which no batch can carry); later checks ask only systems still
 * waiting (one inner request for Graph's photo, one SharePoint read). A person whose photo shows everywhere at the
 * first check costs 3 inner Graph requests and 1 SharePoint read. A message about a system still waiting adds one
 * status report (4 requests), at most twice per change.
 */
import type { Clock } from '../clock';
import type { DirectoryUser } from '../directory/directory-ports';
import { toAppError } from '../errors';
import type { FollowUpAnswer, FollowUpReader, SharePointProfiles } from './evidence-ports';
import {
  checkDueAt,
  FIRST_CHECKS_MINUTES,
  FOLLOWED_SYSTEMS,
  type FollowUp,
  type FollowUpMessage,
  type FollowUpSchedule,
  type FollowUpStore,
  type FollowUpSubject,
  type NewFollowUp,
  type Visibility,
} from './follow-through-types';
import { samePicture } from './picture-match';
import type { ReasonCode, StatusReport } from './status-types';

/** How follow-up messages reach the person (the Teams edge). */
export interface FollowUpMessenger {
  /** The picture shows everywhere that can be checked; true when the message was sent. */
  visible(followUp: FollowUp): Promise<boolean>;
  /**
   * Some system still shows another picture: what the status report says about it, with its fixes. `final` after
   * the last check; otherwise after the first hour, while checks go on.
   */
  notYet(followUp: FollowUp, report: StatusReport, final: boolean): Promise<boolean>;
}

/** What follow-through needs. */
export interface FollowThroughDeps {
  store: FollowUpStore;
  reader: FollowUpReader;
  /** Absent when Headshot has no SharePoint address (SharePoint is then not followed). */
  sharePoint?: Pick<SharePointProfiles, 'getShownPicture'>;
  /** Difference hash of a picture; throws when it cannot be read. */
  hash: (bytes: Uint8Array) => Promise<string>;
  /** The status report, for the reasons and fixes a message about a waiting system shows. */
  report: (userId: string) => Promise<StatusReport>;
  messenger: FollowUpMessenger;
  /** True when the person said "stop" (reminder opt-out): they get no follow-up message. */
  muted: (userId: string) => Promise<boolean>;
  clock: Clock;
  schedule: FollowUpSchedule;
  /** This instance, as the claim's owner. */
  owner: string;
  /** Follow-ups claimed and checked together (their Graph reads share batches). */
  batchSize: number;
  /** SharePoint reads at a time. */
  sharePointConcurrency: number;
  /** Something went wrong that nobody waits for (logged by the caller's logger). */
  onError?: (message: string, detail: Record<string, unknown>) => void;
}

/** How long a claim holds: far more than one batch of checks takes. */
const LEASE_MS = 5 * 60_000;
/** Most batches one run takes on, so a tick ends even when thousands are due. */
const MAX_BATCHES_PER_RUN = 50;
/** Follow-ups that ended are kept this long (the report reads at most 90 days back). */
const RETENTION_DAYS = 90;
/** At most this many messages per change. */
const MAX_MESSAGES = 2;

const WAITING: Visibility = { state: 'waiting' };

/** The systems a follow-up starts with: all waiting until the first check tells who the person is. */
export function initialSystems(): FollowUp['systems'] {
  return { entra: WAITING, exchange: WAITING, sharepoint: WAITING };
}

/** Which systems can show the person's photo, and which cannot be read back. */
export function systemsFor(subject: FollowUpSubject, sharePoint: boolean): FollowUp['systems'] {
  const na = (reason: ReasonCode): Visibility => ({ state: 'not_applicable', reason });
  const exchange: Visibility = subject.guest
    ? na('guest')
    : subject.mailbox === 'none'
      ? na('no_mailbox')
      : subject.mailbox === 'onPremises'
        ? na('mailbox_on_premises')
        : WAITING;
  // Graph reads a mailbox user's photo from Exchange; directory sync writes a hybrid user's Entra ID copy, unread.
  const entra: Visibility =
    subject.hybrid && subject.mailbox === 'online' ? { state: 'unknown', reason: 'hybrid_ad_source' } : WAITING;
  const sharepoint: Visibility = !sharePoint ? na('sharepoint_not_configured') : subject.guest ? na('guest') : WAITING;
  return { entra, exchange, sharepoint };
}

/** True when no system is still waiting. */
function nothingWaiting(f: Pick<FollowUp, 'systems'>): boolean {
  return FOLLOWED_SYSTEMS.every((s) => f.systems[s].state !== 'waiting');
}

/** Follows Headshot's photo changes until every system that can be checked shows them. */
export class FollowThrough {
  constructor(private readonly d: FollowThroughDeps) {}

  /** Starts following a change Headshot just wrote; the person's previous follow-up is superseded. */
  async watch(change: Omit<NewFollowUp, 'expectedHash'>, photo: Uint8Array): Promise<void> {
    const expectedHash = await this.d.hash(photo);
    const first = checkDueAt(change.changedAt, 0, this.d.schedule) ?? change.changedAt;
    await this.d.store.start({ ...change, expectedHash }, first);
  }

  /** Checks every due follow-up (in batches); resolves to how many were checked. Forgets ended ones past retention. */
  async runDue(): Promise<number> {
    const retention = new Date(this.d.clock.now().getTime() - RETENTION_DAYS * 86_400_000);
    await this.d.store.forgetEndedBefore(retention);
    let checked = 0;
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const now = this.d.clock.now();
      const batch = await this.d.store.claimDue(
        this.d.owner,
        this.d.batchSize,
        new Date(now.getTime() + LEASE_MS),
        now,
      );
      if (batch.length === 0) break;
      await this.checkBatch(batch, now);
      checked += batch.length;
      if (batch.length < this.d.batchSize) break;
    }
    return checked;
  }

  private async checkBatch(batch: readonly FollowUp[], now: Date): Promise<void> {
    const answers = await this.d.reader.readMany(
      batch.map((f) => ({
        userId: f.userId,
        subject: f.subject === null,
        photo: f.subject === null || f.systems.entra.state === 'waiting' || f.systems.exchange.state === 'waiting',
      })),
    );
    // Hashing the answers runs on sharp's thread pool: all of a batch at once.
    const checked = await Promise.all(batch.map((f) => this.applyGraph(f, answers.get(f.userId) ?? {}, now)));
    await this.checkSharePoint(checked, now);
    for (const f of checked) await this.conclude(f, now);
  }

  /** What Graph's answer says about Entra ID and Exchange. */
  private async applyGraph(f: FollowUp, answer: FollowUpAnswer, now: Date): Promise<FollowUp> {
    let next: FollowUp = { ...f, checks: f.checks + 1, lastCheckedAt: now, systems: { ...f.systems } };
    if (next.subject === null) {
      const subject = subjectOf(answer);
      if (subject === 'gone') return { ...next, state: 'not_visible', dueAt: null, endedAt: now };
      if (subject !== null) next = { ...next, subject, systems: systemsFor(subject, this.d.sharePoint !== undefined) };
    }
    if (next.subject === null || !answer.photo?.ok) return next;
    const shows = answer.photo.value ? await this.sameAsExpected(next, answer.photo.value) : false;
    if (!shows) return next;
    // Graph serves Exchange's copy for mailbox users (Microsoft 365 writes Entra ID with it), Entra ID's otherwise.
    for (const system of ['entra', 'exchange'] as const)
      if (next.systems[system].state === 'waiting') next.systems[system] = { state: 'visible', at: now };
    return next;
  }

  /** What SharePoint shows (`userphoto.aspx`), for those still waiting for it, a few at a time. */
  private async checkSharePoint(followUps: FollowUp[], now: Date): Promise<void> {
    const sp = this.d.sharePoint;
    if (!sp) return;
    const due = followUps.filter(
      (f) => f.state === 'watching' && f.subject && f.systems.sharepoint.state === 'waiting',
    );
    for (let i = 0; i < due.length; i += this.d.sharePointConcurrency) {
      await Promise.all(
        due.slice(i, i + this.d.sharePointConcurrency).map(async (f) => {
          const subject = f.subject as FollowUpSubject;
          try {
            const shown = await sp.getShownPicture(subject.upn);
            if (await this.sameAsExpected(f, shown)) f.systems.sharepoint = { state: 'visible', at: now };
            else f.systems.sharepoint = { state: 'waiting', reason: sharePointReason(f) };
          } catch (err) {
            this.d.onError?.('follow-up SharePoint read failed', { followUp: f.id, code: toAppError(err).code });
          }
        }),
      );
    }
  }

  private async sameAsExpected(f: FollowUp, bytes: Uint8Array): Promise<boolean> {
    try {
      return samePicture(await this.d.hash(bytes), f.expectedHash);
    } catch {
      return false;
    }
  }

  /** Schedules the next check or ends the follow-up, saves it, then sends what it has to say. */
  private async conclude(f: FollowUp, now: Date): Promise<void> {
    let next = f;
    let say: FollowUpMessage | undefined;
    let report: StatusReport | undefined;
    if (next.state === 'watching') {
      const dueAt = checkDueAt(next.changedAt, next.checks, this.d.schedule);
      if (next.subject !== null && nothingWaiting(next)) {
        next = { ...next, state: 'visible', dueAt: null, endedAt: now };
        say = 'visible';
      } else if (dueAt === null) {
        next = { ...next, state: 'not_visible', dueAt: null, endedAt: now };
        report = await this.reportOf(next);
        // Without a report there is no card to send: the follow-up ends without one (the failure is logged).
        if (report) {
          next = { ...next, systems: withReasons(next.systems, report) };
          say = 'not_visible';
        }
      } else {
        next = { ...next, dueAt };
        // After the first hour, one word about what still waits (and its fix), if anything shows already.
        const firstHourDone = next.checks === FIRST_CHECKS_MINUTES.length;
        const someVisible = Object.values(next.systems).some((v) => v.state === 'visible');
        if (firstHourDone && someVisible && next.subject !== null) {
          report = await this.reportOf(next);
          if (report) {
            next = { ...next, systems: withReasons(next.systems, report) };
            say = 'partial';
          }
        }
      }
    }
    const muted = say !== undefined && next.messages.length < MAX_MESSAGES && (await this.d.muted(next.userId));
    if (say !== undefined && next.messages.length < MAX_MESSAGES)
      next = { ...next, messages: [...next.messages, muted ? 'muted' : say] };
    else say = undefined;
    // Saved before sending: if this process dies now, the message is lost rather than sent twice.
    if (!(await this.d.store.save(this.d.owner, next)) || say === undefined || muted) return;
    try {
      if (say === 'visible') await this.d.messenger.visible(next);
      else if (report) await this.d.messenger.notYet(next, report, say === 'not_visible');
    } catch (err) {
      this.d.onError?.('follow-up message failed', { followUp: next.id, code: toAppError(err).code });
    }
  }

  private async reportOf(f: FollowUp): Promise<StatusReport | undefined> {
    try {
      return await this.d.report(f.userId);
    } catch (err) {
      this.d.onError?.('follow-up status report failed', { followUp: f.id, code: toAppError(err).code });
      return undefined;
    }
  }
}

/** The person as Graph describes them; 'gone' when the user no longer exists; null when it could not be read. */
function subjectOf(answer: FollowUpAnswer): FollowUpSubject | 'gone' | null {
  if (answer.user?.ok && answer.user.value === null) return 'gone';
  if (!answer.user?.ok || !answer.mailbox?.ok) return null;
  const user = answer.user.value as DirectoryUser;
  return {
    upn: user.userPrincipalName,
    guest: user.userType === 'Guest',
    hybrid: user.onPremisesSyncEnabled === true,
    mailbox: answer.mailbox.value,
  };
}

/** Why SharePoint still waits, as far as a check can tell (the status report says it exactly at the end). */
function sharePointReason(f: FollowUp): ReasonCode {
  if (f.subject?.mailbox !== 'online') return 'sharepoint_own_upload';
  return 'sharepoint_legacy_sync';
}

/** The main reason the status report gives for each system still waiting. */
function withReasons(systems: FollowUp['systems'], report: StatusReport): FollowUp['systems'] {
  const out = { ...systems };
  for (const system of FOLLOWED_SYSTEMS) {
    const reason = report.systems.find((v) => v.system === system)?.reasons[0];
    if (out[system].state === 'waiting' && reason) out[system] = { state: 'waiting', reason };
  }
  return out;
}
