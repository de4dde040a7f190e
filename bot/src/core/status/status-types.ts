/**
 * The photo status report: for each system a state from a closed set, the reasons (tied to
 * the known causes), the evidence, and what to do next. Pure types; no I/O.
 */
import type { MailboxKind } from '../directory/directory-ports';

/** The systems a report covers, in the order people read them. */
export const STATUS_SYSTEMS = ['entra', 'exchange', 'sharepoint', 'teams', 'policy'] as const;

/** One row of the report: Entra ID, Exchange Online, SharePoint Online, Teams, or the tenant photo policy. */
export type StatusSystem = (typeof STATUS_SYSTEMS)[number];

/** Every state a system can be in. */
export const SYNC_STATES = [
  'in_sync',
  'stale',
  'missing',
  'placeholder',
  'not_applicable',
  'blocked_by_policy',
  'unknown',
] as const;

/**
 * Where a system stands with the user's photo:
 * - in_sync: shows the photo Microsoft 365 holds (for the policy row: allows self-service)
 * - stale: shows another (older) picture, or may still, within a known delay
 * - missing: shows no photo because there is none to show
 * - placeholder: shows its placeholder although a photo exists
 * - not_applicable: this system keeps no photo for this user (guest, no mailbox, ...)
 * - blocked_by_policy: the tenant photo policy keeps it from being changed here
 * - unknown: it could not be checked (the service failed, or it cannot be read)
 */
export type SyncState = (typeof SYNC_STATES)[number];

/** Every reason a verdict can give; each has a sentence in every language (`status.reason.<code>`). */
export const REASON_CODES = [
  'no_photo',
  'entra_with_mailbox',
  'entra_without_mailbox',
  'hybrid_ad_source',
  'exchange_has_photo',
  'hybrid_one_time_sync',
  'no_mailbox',
  'guest',
  'mailbox_on_premises',
  'sharepoint_legacy_sync',
  'sharepoint_legacy_sync_never',
  'sharepoint_own_upload',
  'sharepoint_modern',
  'sharepoint_no_profile',
  'sharepoint_not_configured',
  'sharepoint_differs_from_graph',
  'teams_cache',
  'teams_reads_photo',
  'policy_cloud',
  'policy_on_premises',
  'service_failed',
] as const;

/** Why a system is in its state. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** What Headshot can do about it (a button). */
export const FIX_ACTIONS = ['fix_sharepoint', 'apply_again', 'upload', 'ad_photo'] as const;

/** A fix Headshot offers. */
export type FixAction = (typeof FIX_ACTIONS)[number];

/** What only the user or an admin can do (an exact instruction, `status.instruction.<code>`). */
export const INSTRUCTIONS = [
  'view_profile',
  'view_profile_after',
  'sign_out_in',
  'ask_admin_on_prem',
  'ask_admin_policy',
  'ask_admin_licence',
  'try_later',
] as const;

/** An instruction. */
export type Instruction = (typeof INSTRUCTIONS)[number];

/** How the picture a system shows compares with the one Microsoft 365 holds (perceptual hash). */
type PictureMatch = 'same' | 'different' | 'none';

/** Facts behind a verdict; every field optional. */
interface Evidence {
  /** When the photo last changed there, as far as known. */
  lastChange?: Date;
  width?: number;
  height?: number;
  bytes?: number;
  picture?: PictureMatch;
  /** Until when a known delay lasts (Teams caching, SharePoint's 24-hour rule). */
  until?: Date;
  /** How many days the delay can last (Teams caching). */
  days?: number;
}

/** The verdict on one system. */
export interface SystemVerdict {
  system: StatusSystem;
  state: SyncState;
  /** The first reason is the main one. */
  reasons: ReasonCode[];
  evidence: Evidence;
  fixes: FixAction[];
  instructions: Instruction[];
}

/** A small picture for the card, with its hash. */
export interface ShownPicture {
  hash: string;
  /** JPEG of at most 48x48. */
  preview: Uint8Array;
}

/** One person's photo status. */
export interface StatusReport {
  userId: string;
  upn?: string;
  displayName?: string;
  mailbox?: MailboxKind;
  checkedAt: Date;
  /** The photo Microsoft 365 (Graph) holds: null when none, undefined when it could not be read. */
  photo?: { width: number; height: number; picture?: ShownPicture } | null;
  /** What SharePoint shows, when it could be read. */
  sharePointPicture?: ShownPicture | null;
  /** One verdict per system, in STATUS_SYSTEMS order. */
  systems: SystemVerdict[];
  /** Every fix offered anywhere in the report, in FIX_ACTIONS order. */
  fixes: FixAction[];
}
