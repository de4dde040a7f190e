/**
 * Quiet hours: working hours read from Graph mailbox settings (Windows or IANA time zones, Outlook's defaults for
 * what is missing) and the next moment a reminder may go, across weekends, daylight saving time and overnight
 * shifts. Graph's shape: https://learn.microsoft.com/en-us/graph/api/resources/workinghours
 */
import {
  ianaZone,
  isWorkingTime,
  nextWorkingTime,
  workingHoursOf,
  type WorkingHours,
} from '../../../../bot/src/core/broadcast/quiet-hours';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const at = (iso: string): Date => new Date(iso);

describe('workingHoursOf', () => {
  test('reads Graph workingHours with a Windows time zone name', () => {
    expect(
      workingHoursOf({
        timeZone: 'Pacific Standard Time',
        workingHours: {
          daysOfWeek: ['Monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '09:30:00.0000000',
          endTime: '18:00:00.0000000',
          timeZone: { name: 'W. Europe Standard Time' },
        },
      }),
    ).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], startMinute: 570, endMinute: 1080 });
  });

  test("takes the mailbox's time zone when the working hours' own is a custom one it cannot name", () => {
    expect(
      workingHoursOf({
        timeZone: 'Europe/Helsinki',
        workingHours: {
          daysOfWeek: ['sunday'],
          startTime: '07:00:00',
          endTime: '15:00:00',
          timeZone: { name: 'Customized Time Zone' },
        },
      }),
    ).toEqual({ timeZone: 'Europe/Helsinki', days: [7], startMinute: 420, endMinute: 900 });
  });

  test("uses Outlook's Monday-to-Friday 08:00-17:00 when only a time zone is given, or the hours cannot be read", () => {
    const defaults = { days: [1, 2, 3, 4, 5], startMinute: 480, endMinute: 1020 };
    expect(workingHoursOf({ timeZone: 'FLE Standard Time' })).toEqual({ timeZone: 'Europe/Kiev', ...defaults });
    expect(
      workingHoursOf({
        timeZone: 'Europe/Warsaw',
        workingHours: { daysOfWeek: ['someday'], startTime: '25:00:00', endTime: 'noon' },
      }),
    ).toEqual({ timeZone: 'Europe/Warsaw', ...defaults });
    // A start equal to the end is no working day at all: the defaults, not a reminder that never goes.
    expect(
      workingHoursOf({
        timeZone: 'UTC',
        workingHours: { daysOfWeek: WEEKDAYS, startTime: '08:00:00', endTime: '08:00:00' },
      }),
    ).toEqual({ timeZone: 'UTC', ...defaults });
  });

  test('gives null (no quiet hours) when no time zone can be named', () => {
    expect(workingHoursOf(null)).toBeNull();
    expect(workingHoursOf({})).toBeNull();
    expect(workingHoursOf({ timeZone: 'Mars Standard Time' })).toBeNull();
    expect(ianaZone('  ')).toBeUndefined();
    expect(ianaZone('America/New_York')).toBe('America/New_York');
  });
});

describe('nextWorkingTime', () => {
  const berlin: WorkingHours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], startMinute: 480, endMinute: 1020 };

  test('is now within working hours, and the next start outside them', () => {
    // Monday 7 December 2026: Berlin is UTC+1.
    expect(nextWorkingTime(berlin, at('2026-12-07T07:30:00Z'))).toEqual(at('2026-12-07T07:30:00Z'));
    expect(nextWorkingTime(berlin, at('2026-12-07T06:59:59Z'))).toEqual(at('2026-12-07T07:00:00Z'));
    // 17:00 is the end: the next start is Tuesday 08:00.
    expect(isWorkingTime(berlin, at('2026-12-07T16:00:00Z'))).toBe(false);
    expect(nextWorkingTime(berlin, at('2026-12-07T16:00:00Z'))).toEqual(at('2026-12-08T07:00:00Z'));
  });

  test('skips the weekend', () => {
    expect(nextWorkingTime(berlin, at('2026-12-11T18:00:00Z'))).toEqual(at('2026-12-14T07:00:00Z'));
    expect(nextWorkingTime(berlin, at('2026-12-12T10:00:00Z'))).toEqual(at('2026-12-14T07:00:00Z'));
  });

  test('follows daylight saving time: 08:00 is 07:00 UTC before the change and 06:00 after', () => {
    // Summer time starts in the EU on Sunday 28 March 2027.
    expect(nextWorkingTime(berlin, at('2027-03-26T17:00:00Z'))).toEqual(at('2027-03-29T06:00:00Z'));
  });

  test('an overnight shift belongs to the day it starts', () => {
    const night: WorkingHours = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], startMinute: 22 * 60, endMinute: 6 * 60 };
    expect(isWorkingTime(night, at('2026-12-11T23:00:00Z'))).toBe(true); // Friday night
    expect(isWorkingTime(night, at('2026-12-12T03:00:00Z'))).toBe(true); // Saturday morning, Friday's shift
    expect(isWorkingTime(night, at('2026-12-12T07:00:00Z'))).toBe(false);
    expect(isWorkingTime(night, at('2026-12-13T03:00:00Z'))).toBe(false); // Sunday morning: no Saturday shift
    expect(nextWorkingTime(night, at('2026-12-12T07:00:00Z'))).toEqual(at('2026-12-14T22:00:00Z'));
  });

  test('Tokyo has no daylight saving time and works a day ahead of Seattle', () => {
    const tokyo = workingHoursOf({ timeZone: 'Tokyo Standard Time' }) as WorkingHours;
    expect(tokyo.timeZone).toBe('Asia/Tokyo');
    // Sunday 6 December 2026, 20:00 UTC is Monday 05:00 in Tokyo: work starts at 08:00 (23:00 UTC).
    expect(nextWorkingTime(tokyo, at('2026-12-06T20:00:00Z'))).toEqual(at('2026-12-06T23:00:00Z'));
  });
});
