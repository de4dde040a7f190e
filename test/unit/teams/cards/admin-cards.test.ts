/** The admin cards (coverage, compose, reminder, progress) in every language. */
import { coverageCard } from '../../../../bot/src/teams/cards/coverage-card';
import { progressCard } from '../../../../bot/src/teams/cards/broadcast-progress-card';
import { composeCard } from '../../../../bot/src/teams/cards/broadcast-compose-card';
import { reminderCard } from '../../../../bot/src/teams/cards/reminder-card';
import { verbsFor } from '../../../../bot/src/teams/verbs/verb-table';
import { LOCALES, t } from '../../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../../support/adaptive-card-validation';
import { cardActions } from '../../../support/teams-chat';
import { campaignProgress } from '../../../support/campaign-progress';

test.each([...LOCALES])('every admin card is valid Adaptive Cards 1.5 in %s, with known verbs', (locale) => {
  const counts = { has_photo: 5, no_photo: 3, placeholder_or_stale: 1, hybrid_stuck: 1, not_applicable: 2, unknown: 1 };
  const view = {
    scanId: 's1',
    startedAt: '2025-03-01T09:00:00.000Z',
    finishedAt: null,
    scanned: 13,
    counts,
    coverage: 0.45,
  };
  const progress = campaignProgress();
  const cards = [
    coverageCard(locale, null),
    coverageCard(locale, { ...view, state: 'running' }),
    coverageCard(locale, { ...view, state: 'done', finishedAt: '2025-03-01T09:05:00.000Z' }),
    coverageCard(locale, { ...view, state: 'failed' }),
    composeCard(locale, {
      draftId: 'draft-123456',
      audience: 'group',
      groupId: 'g1',
      message: 'custom',
      customText: 'Hi',
    }),
    reminderCard(locale, { kind: 'reminder' }),
    reminderCard(locale, { kind: 'custom', text: 'Please add a photo' }),
    reminderCard(locale, { kind: 'refresh' }),
    progressCard(locale, {
      ...progress,
      audience: { kind: 'refresh', olderThanMonths: 24, includeGuests: false, includeDisabled: false },
      outsideWorkingHours: 20,
    }),
    ...(['scheduled', 'sending', 'done', 'cancelled'] as const).map((state) =>
      progressCard(locale, { ...progress, state }),
    ),
  ];
  for (const card of cards) {
    expectValidCard(card);
    for (const a of cardActions(card)) {
      expect(a.type).not.toBe('Action.Submit');
      if (a.type === 'Action.Execute') expect(verbsFor('execute')).toContain(a.verb);
    }
  }
});

test.each([...LOCALES])(
  'a refresh reminder asks for a new photo, and the progress card counts who waits for working hours, in %s',
  (locale) => {
    const texts = (card: unknown) => JSON.stringify(card);
    expect(texts(reminderCard(locale, { kind: 'refresh' }))).toContain(t(locale, 'admin.refresh.title'));
    expect(texts(reminderCard(locale, { kind: 'refresh' }))).not.toContain(t(locale, 'admin.reminder.title'));
    const card = progressCard(locale, {
      ...campaignProgress(),
      audience: { kind: 'refresh', olderThanMonths: 24, includeGuests: false, includeDisabled: false },
      waiting: 58,
      outsideWorkingHours: 20,
    });
    expect(texts(card)).toContain(t(locale, 'admin.progress.outside_hours'));
    expect(texts(card)).toContain(JSON.stringify(t(locale, 'admin.progress.refresh', { months: 24 })).slice(1, -1));
    expect(texts(progressCard(locale, campaignProgress()))).not.toContain(t(locale, 'admin.progress.outside_hours'));
    // Everyone left waits for working hours: no speed to show.
    const rate = t(locale, 'admin.progress.rate');
    expect(texts(card)).toContain(rate);
    expect(texts(progressCard(locale, { ...campaignProgress(), waiting: 20, outsideWorkingHours: 20 }))).not.toContain(
      rate,
    );
  },
);
