/** The status card in every language: valid Adaptive Card 1.5, well under Teams' limit, every reason in words. */
import type { Locale } from '../../../../bot/src/core/locale';
import {
  INSTRUCTIONS,
  REASON_CODES,
  STATUS_SYSTEMS,
  SYNC_STATES,
  type StatusReport,
  type SystemVerdict,
} from '../../../../bot/src/core/status/status-types';
import { LOCALES, t } from '../../../../bot/src/i18n/i18n';
import { describeVerdict, plainDate, reportJson } from '../../../../bot/src/i18n/status-messages';
import { FIX_VERBS, cardDate, statusCard } from '../../../../bot/src/teams/cards/status-card';
import { CARD_VERBS, type AdaptiveCard } from '../../../../bot/src/teams/cards/types';
import { expectValidCard } from '../../../support/adaptive-card-validation';
import { cardActions, cardTexts } from '../../../support/teams-chat';

/** A 48 px JPEG preview is about 1.5 KB; take twice that. */
const PREVIEW = `data:image/jpeg;base64,${Buffer.alloc(3 * 1024, 0x5a).toString('base64')}`;
const CHANGED = new Date('2025-03-07T08:15:00Z');

/** A report that uses every state, every reason and every instruction at least once, with every fix. */
function worstCaseReport(): StatusReport {
  const rows: SystemVerdict[] = STATUS_SYSTEMS.map((system, i) => ({
    system,
    state: SYNC_STATES[i % SYNC_STATES.length],
    reasons: REASON_CODES.filter((_, j) => j % STATUS_SYSTEMS.length === i),
    evidence: {
      width: 648,
      height: 648,
      picture: 'different',
      lastChange: CHANGED,
      until: new Date('2025-05-06T08:15:00Z'),
      days: 60,
    },
    fixes: [],
    instructions: INSTRUCTIONS.filter((_, j) => j % STATUS_SYSTEMS.length === i),
  }));
  return {
    userId: 'u1',
    upn: 'ann@contoso.test',
    displayName: 'Ann',
    checkedAt: new Date('2025-03-10T12:00:00Z'),
    photo: { width: 648, height: 648 },
    sharePointPicture: null,
    systems: rows,
    fixes: ['fix_sharepoint', 'apply_again', 'upload', 'ad_photo'],
  };
}

const cardOf = (locale: Locale): AdaptiveCard =>
  statusCard(locale, { report: worstCaseReport(), photoPreview: PREVIEW, sharePointPreview: PREVIEW });

describe.each([...LOCALES])('the status card in %s', (locale) => {
  test('is a valid Adaptive Card 1.5 and far below the 28 KB Teams message budget, previews included', () => {
    const card = cardOf(locale);
    expectValidCard(card);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(20 * 1024);
    const images = JSON.stringify(card).match(/"width":"(\d+)px"/g) ?? [];
    expect(images.length).toBe(2);
    for (const w of images) expect(Number(w.replace(/\D/g, ''))).toBeLessThanOrEqual(48);
  });

  test('shows no missing values or raw keys; dates only as Teams date functions', () => {
    for (const s of cardTexts(cardOf(locale))) {
      expect(s).not.toMatch(/…|^status\.|\$t\(/);
      expect(s.replace(/\{\{(DATE|TIME)\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(, SHORT)?\)\}\}/g, '')).not.toMatch(
        /\{\{|\}\}/,
      );
    }
  });

  test('offers each fix as a button with a known verb and a title in the language', () => {
    const actions = cardActions(cardOf(locale));
    expect(actions.map((a) => a.verb)).toEqual([
      'status.fix_sharepoint',
      'status.apply_again',
      'photo.start',
      'status.ad_photo',
    ]);
    for (const a of actions) expect(CARD_VERBS).toContain(a.verb);
    expect(actions.map((a) => a.title)).toEqual(
      ['fix_sharepoint', 'apply_again', 'upload', 'ad_photo'].map((f) => t(locale, `status.fix.${f}`)),
    );
  });

  test('every reason and instruction, rendered with its evidence, is in the language (no English left in)', () => {
    for (const v of worstCaseReport().systems) {
      const mine = describeVerdict(locale, v, plainDate(locale));
      const english = describeVerdict('en', v, plainDate('en'));
      expect(mine.reasons).toHaveLength(v.reasons.length);
      if (locale !== 'en') {
        const leaks = [...mine.reasons, ...mine.instructions].filter(
          (s, i) => s === [...english.reasons, ...english.instructions][i],
        );
        expect(leaks).toEqual([]);
      }
    }
  });
});

test("a date becomes Teams DATE/TIME functions, which clients render in the reader's own zone", () => {
  expect(cardDate(CHANGED)).toBe('{{DATE(2025-03-07T08:15:00Z, SHORT)}} {{TIME(2025-03-07T08:15:00Z)}}');
});

test('every fix maps to a verb the bot handles', () => {
  for (const verb of Object.values(FIX_VERBS)) expect(CARD_VERBS).toContain(verb);
});

test('the JSON report (CLI, tab) has the codes and the same words, with ISO dates', () => {
  const json = reportJson('nl', worstCaseReport()) as {
    systems: Array<{ system: string; state: string; evidence: { lastChange?: string }; text: { reasons: string[] } }>;
  };
  expect(json.systems.map((s) => s.system)).toEqual([...STATUS_SYSTEMS]);
  expect(json.systems[0]?.evidence.lastChange).toBe(CHANGED.toISOString());
  expect(json.systems[0]?.text.reasons[0]).toBe(t('nl', `status.reason.${REASON_CODES[0]}`));
});
