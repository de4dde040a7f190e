/** The words of follow-up messages: lists of systems as each language joins them, and the sentence before the card. */
import type { FollowUp } from '../../../../bot/src/core/status/follow-through-types';
import { notYetIntro, systemList, TeamsFollowUpNotifier } from '../../../../bot/src/teams/proactive/follow-up-notifier';
import type { Logger } from '../../../../bot/src/logger';
import type { SendOutcome, TeamsOutbox } from '../../../../bot/src/outbox/teams-outbox';
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

describe('sending', () => {
  const followUp = {
    ...waitingForSharePoint,
    id: 'c1',
    userId: 'u1',
    locale: 'en',
    systems: { ...waitingForSharePoint.systems, sharepoint: { state: 'visible', at: new Date() } },
  } as unknown as FollowUp;
  const logger = { warn: jest.fn() } as unknown as Logger;

  function outboxAnswering(...outcomes: SendOutcome[]) {
    const cards: unknown[] = [];
    const outbox = {
      deliver: async (_userId: string, cardFor: (c: { locale: string }) => unknown) => {
        cards.push(cardFor({ locale: 'nl' }));
        return { outcome: outcomes.shift() ?? { kind: 'sent', activityId: 'a', conversationId: 'c' } };
      },
    } as unknown as TeamsOutbox;
    return { outbox, cards };
  }

  test('Teams throttling or busy: sent again after its Retry-After (at most 30 s), up to three tries', async () => {
    const waits: number[] = [];
    const { outbox, cards } = outboxAnswering(
      { kind: 'not_sent', reason: 'throttled', detail: '429', retryAfterSeconds: 2 },
      { kind: 'not_sent', reason: 'busy', detail: '503', retryAfterSeconds: 120 },
    );
    const notifier = new TeamsFollowUpNotifier(outbox, logger, { limitHours: 72 }, async (ms) => void waits.push(ms));
    expect(await notifier.visible(followUp)).toBe(true);
    expect(waits).toEqual([2000, 30_000]);
    expect(cards).toHaveLength(3);
    // In the chat's language.
    expect(JSON.stringify(cards[0])).toContain('Je nieuwe foto is nu te zien in Outlook, SharePoint en Delve');
  });

  test('given up after three throttled tries; an answer that may have reached Teams is never sent again', async () => {
    const throttled: SendOutcome = { kind: 'not_sent', reason: 'throttled', detail: '429' };
    const a = outboxAnswering(throttled, throttled, throttled);
    expect(
      await new TeamsFollowUpNotifier(a.outbox, logger, { limitHours: 72 }, async () => undefined).visible(followUp),
    ).toBe(false);
    expect(a.cards).toHaveLength(3);
    const b = outboxAnswering({ kind: 'unknown', detail: 'no answer' });
    expect(
      await new TeamsFollowUpNotifier(b.outbox, logger, { limitHours: 72 }, async () => undefined).visible(followUp),
    ).toBe(false);
    expect(b.cards).toHaveLength(1);
  });
});
