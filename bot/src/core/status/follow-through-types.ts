/**
 * Follow-through: after every photo change Headshot makes, it checks each system until the new picture shows there.
 * The types, the store port and the schedule; no I/O. The service is `follow-through.ts`, the report
 * `time-to-visible.ts`.
 */
import type { MailboxKind } from '../directory/directory-ports';
import type { Locale } from '../locale';
import type { ReasonCode } from './status-types';

/** The systems whose picture can be read back. Teams is not among them: no API says what a client cached. */
export const FOLLOWED_SYSTEMS = ['entra', 'exchange', 'sharepoint'] as const;

/** A system a follow-up watches. */
export type FollowedSystem = (typeof FOLLOWED_SYSTEMS)[number];

/**
 * Where the new picture stands in one system:
 * - waiting: not there yet (the reason says what it waits for)
 * - visible: there since the check at `at` (the first check that saw it)
 * - not_applicable: this system keeps no photo for the person (guest, no mailbox, SharePoint not connected)
 * - unknown: no API reads it (a hybrid user's Entra ID copy, written by directory sync)
 */
export type Visibility =
  | { state: 'waiting'; reason?: ReasonCode }
  | { state: 'visible'; at: Date }
  | { state: 'not_applicable'; reason: ReasonCode }
  | { state: 'unknown'; reason: ReasonCode };

/** What changed the photo: the person (self-service), an approval, an undo, or "apply again" on the status card. */
export type ChangeKind = 'self_service' | 'approval' | 'undo' | 'apply_again';

/**
 * Where a follow-up is:
 * - watching: checks still to come
 * - visible: the picture shows everywhere that can be checked
 * - not_visible: the limit passed with a system still waiting
 * - superseded: a newer change of the same person's photo is followed instead
 */
export type FollowUpState = 'watching' | 'visible' | 'not_visible' | 'superseded';

/** Facts about the person, read at the first check (they decide which systems can show the photo). */
export interface FollowUpSubject {
  upn: string;
  guest: boolean;
  /** Synced from on-premises AD. */
  hybrid: boolean;
  mailbox: MailboxKind;
}

/** What a message told the person. */
export type FollowUpMessage = 'partial' | 'visible' | 'not_visible' | 'muted';

/** A change to start following. */
export interface NewFollowUp {
  /** The change's id: the photo request's, or a new one for "apply again". */
  id: string;
  userId: string;
  kind: ChangeKind;
  /** The person's language, for the message (their chat's language decides when they have one). */
  locale: Locale;
  changedAt: Date;
  /** Difference hash of the picture Headshot wrote (16 hex digits). */
  expectedHash: string;
}

/** One followed change. */
export interface FollowUp extends NewFollowUp {
  state: FollowUpState;
  /** Checks done so far. */
  checks: number;
  /** When the next check is due; null once the follow-up ended. */
  dueAt: Date | null;
  subject: FollowUpSubject | null;
  systems: Record<FollowedSystem, Visibility>;
  /** Messages sent (or withheld because the person said "stop"), in order; at most two. */
  messages: FollowUpMessage[];
  lastCheckedAt: Date | null;
  endedAt: Date | null;
}

/** Durable follow-ups: they survive restarts, and a claim gives each to one instance at a time. */
export interface FollowUpStore {
  /**
   * Starts following a change (due at `dueAt`); the person's follow-up still watching becomes `superseded`. A change
   * already followed is left as it is (false).
   */
  start(change: NewFollowUp, dueAt: Date): Promise<boolean>;
  /** Takes up to `limit` due follow-ups for `owner` until `leaseUntil`; a lease that ran out is taken over. */
  claimDue(owner: string, limit: number, leaseUntil: Date, now: Date): Promise<FollowUp[]>;
  /**
   * Saves a checked follow-up and lets go of it, only while `owner` still holds it and it is still watching (a newer
   * change may have superseded it meanwhile); false otherwise, and nothing is written.
   */
  save(owner: string, followUp: FollowUp): Promise<boolean>;
  /** Follow-ups of changes made at or after `since`, oldest first (at most `limit`). */
  since(since: Date, limit: number): Promise<FollowUp[]>;
  /** One follow-up, or null. */
  get(id: string): Promise<FollowUp | null>;
  /** Deletes follow-ups that ended, of changes made before `before`; resolves to how many. */
  forgetEndedBefore(before: Date): Promise<number>;
}

/** The first checks, in minutes after the change (then every `everyHours` up to the limit). */
export const FIRST_CHECKS_MINUTES = [1, 5, 15, 60] as const;

/** The check schedule: when each check is due after the change. */
export interface FollowUpSchedule {
  /** Hours between the later checks (6). */
  everyHours: number;
  /** Hours after the change when the last check is made (72). */
  limitHours: number;
}

/** Minutes after the change of every check, in order; the last is at the limit. */
export function checkTimesMinutes(s: FollowUpSchedule): number[] {
  const limit = s.limitHours * 60;
  const times: number[] = FIRST_CHECKS_MINUTES.filter((m) => m < limit);
  for (let m = s.everyHours * 60; m < limit; m += s.everyHours * 60) if (m > (times.at(-1) ?? 0)) times.push(m);
  times.push(limit);
  return times;
}

/** When check number `index` (0-based) is due, or null when the schedule has no such check. */
export function checkDueAt(changedAt: Date, index: number, s: FollowUpSchedule): Date | null {
  const minutes = checkTimesMinutes(s)[index];
  return minutes === undefined ? null : new Date(changedAt.getTime() + minutes * 60_000);
}
