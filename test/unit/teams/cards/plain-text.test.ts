/**
 * Text from people and the directory can never carry Markdown onto a card: a display name like
 * `[Approve here](https://evil.example/phish)` next to Approve, a reject reason with a link, an admin's
 * campaign text with formatting. Every card builder that shows such text is given hostile values here,
 * and every TextBlock and fact it makes is checked.
 */
import { fc, test as prop } from '@fast-check/jest';
import type { RequestState } from '../../../../bot/src/core/photo/request-ports';
import { LOCALES } from '../../../../bot/src/i18n/i18n';
import { appliedCard } from '../../../../bot/src/teams/cards/applied-card';
import { approvalCard, type ApprovalCardArgs } from '../../../../bot/src/teams/cards/approval-card';
import { progressCard } from '../../../../bot/src/teams/cards/broadcast-progress-card';
import { howToSendCard } from '../../../../bot/src/teams/cards/how-to-send-card';
import { messageCard } from '../../../../bot/src/teams/cards/message-card';
import { plain } from '../../../../bot/src/teams/cards/plain-text';
import { reminderCard } from '../../../../bot/src/teams/cards/reminder-card';
import type { AdaptiveCard, JsonObject, JsonValue } from '../../../../bot/src/teams/cards/types';
import { expectValidCard } from '../../../support/adaptive-card-validation';
import { campaignProgress } from '../../../support/campaign-progress';

const LINK = '[Approve here](https://evil.example/phish)';
const HOSTILE = [
  LINK,
  '**URGENT** _click_ ![x](https://evil.example/x.png)',
  '- item\n1. first\n# Heading\n> quote',
  '<a href="https://evil.example">here</a> `code` ~~gone~~',
];

/** Every text a reader sees rendered as Markdown: TextBlocks and facts (titles and values). */
function renderedTexts(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as JsonObject;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as JsonObject[]) out.push(String(f.title), String(f.value));
    Object.values(o).forEach(walk);
  };
  walk(card as unknown as JsonValue);
  return out;
}

/** Markdown that would render as a link, an image, emphasis, code or a block: unescaped. */
const ACTIVE = [
  /(?<!\\)\[[^\]]*(?<!\\)\]\((?!\\)/, // [text](url)
  /(?<!\\)\*\*[^*]+(?<!\\)\*\*/, // **bold**
  /(?<![\\\w])_[^_]+(?<!\\)_(?!\w)/, // _italic_
  /(?<!\\)`[^`]*(?<!\\)`/, // `code`
  /(?<!\\)<a\s/i, // HTML
  /(^|\n)\s*(-|\d+\.|#|>)\s/, // a list, heading or quote at a line start
];

function expectNoActiveMarkdown(card: AdaptiveCard, hostile: string): void {
  expectValidCard(card);
  const texts = renderedTexts(card);
  for (const text of texts) {
    expect(text).not.toContain(hostile);
    // Only our own templates may format (they bold a lead-in), never the hostile part.
    for (const re of ACTIVE.slice(0, 1)) expect(text).not.toMatch(re);
  }
  expect(texts.join('\n')).toContain(plain(hostile));
}

const approval = (state: RequestState, name: string): ApprovalCardArgs => ({
  requestId: 'request-123456',
  audience: 'approver',
  state,
  requesterName: name,
  approverNames: [name, 'Megan Bowen'],
  escalatedNames: [name],
  requestedAt: '2025-03-01T09:00:00.000Z',
  expiresAt: '2025-03-04T09:00:00.000Z',
  remindedAt: '2025-03-02T09:00:00.000Z',
  escalatedAt: '2025-03-03T09:00:00.000Z',
  decidedByName: name,
  decidedAt: '2025-03-03T10:00:00.000Z',
  reason: name,
  warnings: [],
  newPreviewDataUri: 'data:image/jpeg;base64,AAAA',
  canUndo: true,
  refreshUserIds: [],
  notice: { key: 'cards.approval.already_decided', params: { name, at: '{{DATE(2025-03-03T10:00:00Z, SHORT)}}' } },
});

describe.each([...LOCALES])('in %s', (locale) => {
  test.each(HOSTILE)('every card that shows names, reasons or admin texts shows %j as typed', (hostile) => {
    for (const state of ['pending_approval', 'approved', 'applied', 'rejected', 'cancelled'] as RequestState[])
      for (const audience of ['approver', 'requester', 'base'] as const)
        expectNoActiveMarkdown(approvalCard(locale, { ...approval(state, hostile), audience }), hostile);
    expectNoActiveMarkdown(appliedCard(locale, { approvedByName: hostile }), hostile);
    expectNoActiveMarkdown(
      messageCard(locale, {
        kind: 'warning',
        messageKey: 'approval.rejected',
        params: { name: hostile, reason: hostile },
      }),
      hostile,
    );
    expectNoActiveMarkdown(
      messageCard(locale, {
        kind: 'info',
        messageKey: 'approval.escalated_requester',
        params: { names: hostile, requester: hostile },
      }),
      hostile,
    );
    expectNoActiveMarkdown(
      howToSendCard(locale, { uploadUrl: 'https://x.example/upload', maxMegabytes: 20, approverName: hostile }),
      hostile,
    );
    expectNoActiveMarkdown(reminderCard(locale, { kind: 'custom', text: hostile }), hostile);
    expectNoActiveMarkdown(
      reminderCard(locale, { kind: 'reminder', texts: { [locale]: { title: hostile, text: hostile } } }),
      hostile,
    );
  });
});

test('a group id in a campaign audience is shown as typed', () => {
  const card = progressCard(
    'en',
    campaignProgress({ audience: { kind: 'group', groupId: LINK, includeGuests: false, includeDisabled: false } }),
  );
  expectNoActiveMarkdown(card, LINK);
});

test('our own templates keep their formatting, and dates the host formats stay as they are', () => {
  const card = howToSendCard('en', { uploadUrl: 'https://x.example/upload', maxMegabytes: 20 });
  expect(renderedTexts(card).join('\n')).toContain('**');
  expect(plain('{{DATE(2025-03-03T10:00:00Z, SHORT)}} {{TIME(2025-03-03T10:00:00Z)}}')).toBe(
    '{{DATE(2025-03-03T10:00:00Z, SHORT)}} {{TIME(2025-03-03T10:00:00Z)}}',
  );
});

test.each([
  [LINK, '\\[Approve here\\]\\(https://evil.example/phish\\)'],
  ['Mary-Jane O_Neil (HR)', 'Mary-Jane O\\_Neil \\(HR\\)'],
  ['- not a list', '\\- not a list'],
  ['1. not a list', '1\\. not a list'],
  ['# not a heading', '\\# not a heading'],
  ['Megan Bowen', 'Megan Bowen'],
])('plain(%j) is %j', (input, expected) => {
  expect(plain(input)).toBe(expected);
});

prop.prop([fc.string({ maxLength: 60 })])('plain() loses nothing: removing its escapes gives the text back', (text) => {
  const shown = plain(text);
  expect(shown.replace(/\\([\\`*_[\]()<>~{}#>+\-.)])/g, '$1')).toBe(text.replace(/\r\n?/g, '\n'));
});
