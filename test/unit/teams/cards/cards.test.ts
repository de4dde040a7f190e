import { ERROR_CODES } from '../../../../bot/src/core/errors';
import type { Locale } from '../../../../bot/src/core/locale';
import type { PhotoWarning } from '../../../../bot/src/core/photo/pipeline-ports';
import { LOCALES, formatBytes, t } from '../../../../bot/src/i18n/i18n';
import { DOCUMENTED_PARAMS } from '../../../../bot/src/i18n/message-params';
import { appliedCard } from '../../../../bot/src/teams/cards/applied-card';
import { howToSendCard } from '../../../../bot/src/teams/cards/how-to-send-card';
import { messageCard } from '../../../../bot/src/teams/cards/message-card';
import { previewCard, type PreviewCardArgs } from '../../../../bot/src/teams/cards/preview-card';
import { requestClosedCard, type ClosedRequestState } from '../../../../bot/src/teams/cards/request-closed-card';
import { type AdaptiveCard, type JsonObject, type JsonValue } from '../../../../bot/src/teams/cards/types';
import { verbsFor } from '../../../../bot/src/teams/verbs/verb-table';
import { welcomeCard } from '../../../../bot/src/teams/cards/welcome-card';
import { expectValidCard } from '../../../support/adaptive-card-validation';

/** A preview data URI of 8 KB, the most a 96 px JPEG should ever take. */
const PREVIEW = `data:image/jpeg;base64,${Buffer.alloc(6144, 0xa5).toString('base64')}`;
const UPLOAD_URL = 'https://headshot.example.com/upload?ticket=abc.def-ghi_123';
const REQUEST_ID = 'req_01HZX3Y4K5M6N7P8Q9';
const ALL_WARNINGS: PhotoWarning[] = [
  { code: 'small', params: { width: 400, height: 400 } },
  { code: 'dark' },
  { code: 'bright' },
  { code: 'low_contrast' },
  { code: 'blurry' },
  { code: 'off_centre' },
];
const CLOSED_STATES: ClosedRequestState[] = ['applied', 'cancelled', 'superseded', 'expired', 'failed', 'undone'];

const previewArgs = (warnings: PhotoWarning[] = []): PreviewCardArgs =>
  Object.freeze({
    requestId: REQUEST_ID,
    previewDataUri: PREVIEW,
    sourceWidth: 4032,
    sourceHeight: 3024,
    sourceFormat: 'jpeg',
    sourceBytes: 3_456_789,
    masterBytes: 98_765,
    warnings: Object.freeze(warnings) as PhotoWarning[],
  });

/** Every card the product sends, in one locale, by name. */
function allCards(locale: Locale): Array<[string, AdaptiveCard]> {
  return [
    ['welcome', welcomeCard(locale, { uploadUrl: UPLOAD_URL })],
    ['how-to-send', howToSendCard(locale, { uploadUrl: UPLOAD_URL, maxMegabytes: 20 })],
    ['preview', previewCard(locale, previewArgs())],
    ['preview with every warning', previewCard(locale, previewArgs(ALL_WARNINGS))],
    ['preview without master size', previewCard(locale, { ...previewArgs(), masterBytes: undefined })],
    ['applied', appliedCard(locale, { previewDataUri: PREVIEW })],
    ['applied without image', appliedCard(locale, {})],
    ...CLOSED_STATES.map((state): [string, AdaptiveCard] => [
      `closed ${state}`,
      requestClosedCard(locale, { state, previewDataUri: PREVIEW }),
    ]),
    ['closed failed with reason', requestClosedCard(locale, { state: 'failed', errorCode: 'm365.forbidden' })],
    ['closed cancelled without image', requestClosedCard(locale, { state: 'cancelled' })],
    [
      'message with retry',
      messageCard(locale, {
        kind: 'warning',
        messageKey: 'errors.m365.throttled',
        params: { retryAfterSeconds: 30, correlationId: 'a1b2c3' },
        retry: { verb: 'photo.confirm', requestId: REQUEST_ID },
      }),
    ],
    [
      'message with link',
      messageCard(locale, { kind: 'info', messageKey: 'status.no_photo', openUrl: { url: UPLOAD_URL } }),
    ],
    ['message status blocked', messageCard(locale, { kind: 'warning', messageKey: 'status.blocked' })],
    ...ERROR_CODES.map((code): [string, AdaptiveCard] => [
      `error ${code}`,
      messageCard(locale, {
        kind: 'error',
        messageKey: `errors.${code}`,
        params: DOCUMENTED_PARAMS[`errors.${code}`] ?? {},
      }),
    ]),
  ];
}

/** Walks a card's JSON. */
function nodes(value: JsonValue | AdaptiveCard, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) value.forEach((v) => nodes(v, out));
  else if (value && typeof value === 'object') {
    out.push(value as JsonObject);
    Object.values(value).forEach((v) => nodes(v as JsonValue, out));
  }
  return out;
}

/** What a person sees or hears: texts, button titles, fact titles and values, alt texts, fallback. */
function visibleStrings(c: AdaptiveCard): string[] {
  const out: string[] = c.fallbackText ? [c.fallbackText] : [];
  for (const n of nodes(c)) {
    if (n.type === 'TextBlock') out.push(n.text as string);
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push(n.title as string);
    if (n.type === 'Image' && n.altText) out.push(n.altText as string);
    if (n.type === 'FactSet') for (const f of n.facts as JsonObject[]) out.push(f.title as string, f.value as string);
  }
  return out;
}

function actionsOf(c: AdaptiveCard): JsonObject[] {
  return nodes(c).filter((n) => typeof n.type === 'string' && n.type.startsWith('Action.'));
}

/** Text that reads the same in every language: numbers, units, format names. */
function languageNeutral(s: string): boolean {
  return (
    s.replace(/\b(px|kB|kt|MB|Mt|B|byte|JPEG|PNG|WebP|GIF|TIFF|AVIF|HEIC)\b/g, '').replace(/[\d\s.,×:()-]/g, '') === ''
  );
}

/** Words that are genuinely the same in a language and in English. */
const SAME_AS_ENGLISH: Partial<Record<Locale, string[]>> = { pl: ['Format'] };

describe.each([...LOCALES])('cards in %s', (locale) => {
  const cards = allCards(locale);

  test.each(cards)('%s is a valid Adaptive Card 1.5 (official schema + official parser)', (_name, c) => {
    expectValidCard(c);
    expect(c.version).toBe('1.5');
    expect(c).not.toHaveProperty('msteams');
  });

  test.each(cards)('%s is small enough for a Teams message', (_name, c) => {
    expect(Buffer.byteLength(JSON.stringify(c), 'utf8')).toBeLessThan(28 * 1024);
  });

  test.each(cards)('%s shows no placeholders, keys or missing values', (_name, c) => {
    for (const s of visibleStrings(c)) {
      expect(s).not.toMatch(/\{\{|\}\}|\$t\(|…|^(cards|errors|warnings|status|photo)\./);
      expect(s.trim()).not.toBe('');
    }
  });

  test.each(cards)('%s is in the same language throughout', (_name, c) => {
    const english = allCards('en').find(([n]) => n === _name)![1];
    const mine = visibleStrings(c);
    const theirs = visibleStrings(english);
    expect(mine).toHaveLength(theirs.length);
    if (locale === 'en') return;
    const leaks = mine.filter(
      (s, i) => s === theirs[i] && !languageNeutral(s) && !(SAME_AS_ENGLISH[locale] ?? []).includes(s),
    );
    expect(leaks).toEqual([]);
  });

  test.each(cards)('%s sends only known verbs, each with a title', (_name, c) => {
    for (const action of actionsOf(c)) {
      expect(typeof action.title).toBe('string');
      if (action.type === 'Action.Execute') expect(verbsFor('execute')).toContain(action.verb);
      // Action.Submit only where Teams requires one: the button that opens the editor as a dialog.
      else if (action.type === 'Action.Submit')
        expect(action.data).toEqual({ msteams: { type: 'task/fetch' }, verb: 'photo.editor' });
      else expect(action).toEqual({ type: 'Action.OpenUrl', title: expect.any(String), url: UPLOAD_URL });
    }
  });

  test('the preview card shows the photo square and round, the facts and the three choices', () => {
    const c = previewCard(locale, previewArgs());
    const images = nodes(c).filter((n) => n.type === 'Image');
    expect(images).toEqual([
      expect.objectContaining({ url: PREVIEW, width: '96px' }),
      expect.objectContaining({ url: PREVIEW, style: 'person', width: '48px' }),
    ]);
    const seen = visibleStrings(c);
    expect(seen).toContain(t(locale, 'cards.common.use_this_photo'));
    expect(seen).toContain('JPEG');
    expect(seen).toContain(t(locale, 'cards.preview.original_value', { width: 4032, height: 3024 }));
    expect(seen).toContain(formatBytes(locale, 3_456_789));
    expect(seen.some((s) => s.includes(formatBytes(locale, 98_765)))).toBe(true);
    expect(actionsOf(c).map((a) => [a.type, a.title, a.verb, a.data])).toEqual([
      ['Action.Execute', t(locale, 'cards.common.use_this_photo'), 'photo.confirm', { requestId: REQUEST_ID }],
      ['Action.Execute', t(locale, 'cards.common.choose_another'), 'photo.choose_another', { requestId: REQUEST_ID }],
      ['Action.Execute', t(locale, 'cards.common.cancel'), 'photo.cancel', { requestId: REQUEST_ID }],
    ]);
  });

  test('the preview card shows every warning, in attention colour, with its params', () => {
    const c = previewCard(locale, previewArgs(ALL_WARNINGS));
    const attention = nodes(c)
      .filter((n) => n.type === 'TextBlock' && n.color === 'attention')
      .map((n) => n.text);
    expect(attention).toEqual(ALL_WARNINGS.map((w) => t(locale, `warnings.${w.code}`, w.params)));
    expect(attention[0]).toContain('400 × 400');
    // And none when there are none.
    expect(nodes(previewCard(locale, previewArgs())).filter((n) => n.color === 'attention')).toEqual([]);
  });

  test('the welcome card offers to start and links to the upload page', () => {
    const c = welcomeCard(locale, { uploadUrl: UPLOAD_URL });
    expect(actionsOf(c)).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        title: t(locale, 'cards.common.update_my_photo'),
        verb: 'photo.start',
        data: {},
      }),
      { type: 'Action.OpenUrl', title: t(locale, 'cards.common.open_upload_page'), url: UPLOAD_URL },
    ]);
  });

  test('the how-to card gives both ways, the size limit and the minimum size', () => {
    const text = visibleStrings(howToSendCard(locale, { uploadUrl: UPLOAD_URL, maxMegabytes: 4.5 })).join('\n');
    expect(text).toContain(t(locale, 'cards.how_to.attach'));
    expect(text).toContain(t(locale, 'cards.how_to.page'));
    expect(text).toContain(locale === 'en' ? '4.5 MB' : locale === 'fi' ? '4,5 Mt' : '4,5 MB');
    expect(text).toContain('648 × 648');
  });

  test('the applied card says when each app shows the photo', () => {
    const text = visibleStrings(appliedCard(locale, { previewDataUri: PREVIEW })).join('\n');
    for (const key of ['outlook', 'teams', 'sharepoint']) expect(text).toContain(t(locale, `cards.applied.${key}`));
    expect(text).toContain('60');
    expect(text).toContain('24');
  });

  test.each(CLOSED_STATES)('the closed card for %s has a status line and no buttons', (state) => {
    const c = requestClosedCard(locale, { state, previewDataUri: PREVIEW });
    expect(actionsOf(c)).toEqual([]);
    expect(visibleStrings(c)).toContain(t(locale, `cards.closed.${state}`));
  });

  test('the closed failed card says why, when it knows', () => {
    const c = requestClosedCard(locale, { state: 'failed', errorCode: 'm365.forbidden' });
    expect(visibleStrings(c)).toContain(t(locale, 'errors.m365.forbidden'));
    const unknown = requestClosedCard(locale, { state: 'failed', errorCode: 'no.such_code' });
    expect(visibleStrings(unknown)).not.toContain('errors.no.such_code');
  });

  test('the message card renders the error, its reference and a try-again button', () => {
    const c = messageCard(locale, {
      kind: 'error',
      messageKey: 'errors.photo.busy',
      params: { retryAfterSeconds: 5, correlationId: 'corr-42' },
      retry: { verb: 'photo.confirm', requestId: REQUEST_ID },
    });
    const seen = visibleStrings(c);
    expect(seen).toContain(t(locale, 'cards.message.title_error'));
    expect(seen).toContain(t(locale, 'errors.photo.busy', { retryAfterSeconds: 5 }));
    expect(seen.some((s) => s.includes('corr-42'))).toBe(true);
    expect(actionsOf(c)).toEqual([
      {
        type: 'Action.Execute',
        title: t(locale, 'cards.common.try_again'),
        verb: 'photo.confirm',
        data: { requestId: REQUEST_ID },
      },
    ]);
  });

  test('the message card falls back to the generic error for an unknown key', () => {
    const c = messageCard(locale, { kind: 'error', messageKey: 'errors.not.a.code' });
    expect(visibleStrings(c)).toContain(t(locale, 'errors.internal'));
  });
});

test('the Finnish preview card is Finnish: its button says "Käytä tätä kuvaa", not "Use this photo"', () => {
  const json = JSON.stringify(previewCard('fi', previewArgs()));
  expect(json).toContain('Käytä tätä kuvaa');
  expect(json).not.toContain('Use this photo');
  expect(JSON.stringify(previewCard('nl', previewArgs()))).toContain('Deze foto gebruiken');
  expect(JSON.stringify(previewCard('pl', previewArgs()))).toContain('Użyj tego zdjęcia');
});

test('cards are pure: same input, same card; inputs are not modified', () => {
  const args = previewArgs(ALL_WARNINGS);
  const snapshot = JSON.stringify(args);
  expect(previewCard('nl', args)).toEqual(previewCard('nl', args));
  expect(JSON.stringify(args)).toBe(snapshot);
});

test('a preview card with a large preview image is still under the Teams limit', () => {
  const c = previewCard('pl', { ...previewArgs(ALL_WARNINGS), previewDataUri: PREVIEW });
  expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(28 * 1024);
});
