/** The words of follow-up messages: lists of systems as each language joins them, and the sentence before the card. */
import type { FollowUp } from '../../../../bot/src/core/status/follow-through-types';
import { notYetIntro, systemList } from '../../../../bot/src/teams/proactive/follow-up-notifier';
import { formatMinutes } from '../../../../bot/src/i18n/follow-through-messages';

test('systems are joined as each language joins a list', () => {
  expect(systemList('en', ['exchange', 'sharepoint', 'entra'])).toBe(
    'Outlook, SharePoint and Delve, and your Microsoft 365 profile',
  );
  expect(systemList('fi', ['exchange', 'sharepoint'])).toBe('Outlook ja SharePoint ja Delve');
  expect(systemList('nl', ['exchange', 'entra'])).toBe('Outlook en je Microsoft 365-profiel');
  expect(systemList('pl', ['exchange'])).toBe('Outlook');
});

const waitingForSharePoint = {
  systems: {
    entra: { state: 'visible', at: new Date() },
    exchange: { state: 'visible', at: new Date() },
    sharepoint: { state: 'waiting', reason: 'sharepoint_legacy_sync' },
  },
} as unknown as FollowUp;

test('the sentence before the card says what shows, what does not yet, and for how long Headshot checked', () => {
  expect(notYetIntro('en', waitingForSharePoint, false, { limitHours: 72 })).toBe(
    "Your new photo already shows in Outlook and your Microsoft 365 profile. It doesn't show in SharePoint and Delve yet: here is why, and what helps. I'll keep checking and tell you when it does.",
  );
  expect(notYetIntro('nl', waitingForSharePoint, true, { limitHours: 72 })).toContain('Ik heb 3 dagen gecontroleerd');
  expect(notYetIntro('pl', waitingForSharePoint, true, { limitHours: 36 })).toContain('Sprawdzam od 36 godz.');
});

test('durations read as minutes, hours or days in the reader’s language', () => {
  expect(formatMinutes('en', 4)).toBe('4 min');
  expect(formatMinutes('en', 90)).toBe('1.5 h');
  expect(formatMinutes('fi', 90)).toBe('1,5 t');
  expect(formatMinutes('nl', 72 * 60)).toBe('3 d');
  expect(formatMinutes('pl', null)).toBe('–');
});
