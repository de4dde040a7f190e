/**
 * Quiet hours: a reminder reaches a person only within their working hours, when their mailbox settings tell them
 * (Graph `mailboxSettings.workingHours`, or only its `timeZone`, then Outlook's default of Monday to Friday,
 * 08:00 to 17:00). Time zones come as Windows names ("W. Europe Standard Time") or IANA names; both are read.
 * Pure: luxon does the time zone arithmetic, daylight saving time included. See docs/broadcast.md.
 */
import { DateTime, IANAZone } from 'luxon';
import { findIana } from 'windows-iana';

/** When a person works, in their own time zone. */
export interface WorkingHours {
  /** IANA time zone. */
  timeZone: string;
  /** ISO weekdays they work, 1 (Monday) to 7 (Sunday). */
  days: number[];
  /** Minutes after midnight when work starts and ends; an end before the start runs past midnight. */
  startMinute: number;
  endMinute: number;
}

/** Mailbox settings as Graph returns them (only what quiet hours read). */
export interface GraphMailboxHours {
  timeZone?: string | null;
  workingHours?: {
    daysOfWeek?: string[] | null;
    startTime?: string | null;
    endTime?: string | null;
    timeZone?: { name?: string | null } | null;
  } | null;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Outlook's working hours when a mailbox has none set. */
const DEFAULT_DAYS = [1, 2, 3, 4, 5];
const DEFAULT_START = 8 * 60;
const DEFAULT_END = 17 * 60;

/** An IANA zone for a Windows or IANA name, or undefined when neither. */
export function ianaZone(name: string | null | undefined): string | undefined {
  const n = name?.trim();
  if (!n) return undefined;
  if (IANAZone.isValidZone(n)) return n;
  return findIana(n)?.find((z) => IANAZone.isValidZone(z));
}

/** "08:30:00.0000000" → 510; undefined when it is not a time of day. */
function minutesOf(time: string | null | undefined): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(time?.trim() ?? '');
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/**
 * A person's working hours from their mailbox settings, or null when no usable time zone is given (then quiet
 * hours cannot apply, and the reminder goes at once). Parts of `workingHours` that cannot be read fall back to
 * Outlook's defaults.
 */
export function workingHoursOf(settings: GraphMailboxHours | null | undefined): WorkingHours | null {
  const wh = settings?.workingHours;
  const timeZone = ianaZone(wh?.timeZone?.name) ?? ianaZone(settings?.timeZone);
  if (!timeZone) return null;
  const days = [
    ...new Set((wh?.daysOfWeek ?? []).map((d) => WEEKDAYS.indexOf(d.toLowerCase()) + 1).filter((d) => d > 0)),
  ].sort((a, b) => a - b);
  const start = minutesOf(wh?.startTime);
  const end = minutesOf(wh?.endTime);
  const usable = start !== undefined && end !== undefined && start !== end;
  return {
    timeZone,
    days: days.length > 0 ? days : DEFAULT_DAYS,
    startMinute: usable ? start : DEFAULT_START,
    endMinute: usable ? end : DEFAULT_END,
  };
}

/** Whether `at` falls within the working hours (a shift past midnight belongs to the day it starts). */
export function isWorkingTime(hours: WorkingHours, at: Date): boolean {
  const local = DateTime.fromJSDate(at, { zone: hours.timeZone });
  const minute = local.hour * 60 + local.minute;
  if (hours.startMinute < hours.endMinute)
    return hours.days.includes(local.weekday) && minute >= hours.startMinute && minute < hours.endMinute;
  // Overnight: from the start on a working day, or before the end on the day after one.
  const yesterday = local.weekday === 1 ? 7 : local.weekday - 1;
  return (
    (hours.days.includes(local.weekday) && minute >= hours.startMinute) ||
    (hours.days.includes(yesterday) && minute < hours.endMinute)
  );
}

/**
 * The first moment at or after `at` within the working hours: `at` itself when it is working time, else the next
 * start of a working day (in the person's zone, across daylight saving changes).
 */
export function nextWorkingTime(hours: WorkingHours, at: Date): Date {
  if (hours.days.length === 0 || isWorkingTime(hours, at)) return at;
  const local = DateTime.fromJSDate(at, { zone: hours.timeZone });
  for (let d = 0; d <= 7; d++) {
    const day = local.startOf('day').plus({ days: d });
    if (!hours.days.includes(day.weekday)) continue;
    const start = day.set({ hour: Math.floor(hours.startMinute / 60), minute: hours.startMinute % 60 });
    if (start.toMillis() > at.getTime()) return start.toJSDate();
  }
  return at; // unreachable with at least one working day
}
