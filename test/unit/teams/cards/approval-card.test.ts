/**
 * The approval card in every state, for every audience, in every language: valid against the
 * official 1.5 schema and parser (Teams), and using nothing newer than 1.4 (Outlook, where
 * Universal Actions start), small enough for a Teams message, in one language throughout.
 */
import type { Locale } from '../../../../bot/src/core/locale';
import type { PhotoWarning } from '../../../../bot/src/core/photo/pipeline-ports';
import type { RequestState } from '../../../../bot/src/core/photo/request-ports';
import { LOCALES, t } from '../../../../bot/src/i18n/i18n';
import {
  approvalCard,
  cardInstant,
  type ApprovalAudience,
  type ApprovalCardArgs,
} from '../../../../bot/src/teams/cards/approval-card';
import { appliedCard } from '../../../../bot/src/teams/cards/applied-card';
import { howToSendCard } from '../../../../bot/src/teams/cards/how-to-send-card';
import { verbsFor } from '../../../../bot/src/teams/verbs/verb-table';
import type { AdaptiveCard, JsonObject, JsonValue } from '../../../../bot/src/teams/cards/types';
import { expectValidCard } from '../../../support/adaptive-card-validation';
import { expectValidForOutlook, featuresNewerThan } from '../../../support/outlook-card-check';

/** An 8 KB data URI: the most a 96 px JPEG preview should ever take; two of them are on the card. */
const PREVIEW = `data:image/jpeg;base64,${Buffer.alloc(6144, 0xa5).toString('base64')}`;
const OLD = `data:image/jpeg;base64,${Buffer.alloc(6144, 0x5a).toString('base64')}`;
const REQUEST_ID = '4f1c2e9a-8d1b-4c3e-9f5a-2b7d6e0c1a38';
const WARNINGS: PhotoWarning[] = [
  { code: 'small', params: { width: 400, height: 400 } },
  { code: 'dark' },
  { code: 'off_centre' },
];
const STATES: RequestState[] = [
  'pending_approval',
  'approved',
  'applying',
  'applied',
  'rejected',
  'cancelled',
  'expired',
  'failed',
  'superseded',
];
const AUDIENCES: ApprovalAudience[] = ['base', 'approver', 'requester'];

const args = (
  state: RequestState,
  audience: ApprovalAudience,
  extra: Partial<ApprovalCardArgs> = {},
): ApprovalCardArgs => ({
  requestId: REQUEST_ID,
  audience,
  state,
  requesterName: 'Alex Wilber',
  approverNames: ['Megan Bowen', 'Patti Fernandez'],
  escalatedNames: ['Patti Fernandez'],
  requestedAt: '2025-03-14T09:30:00.000Z',
  expiresAt: '2025-03-21T09:30:00.000Z',
  remindedAt: '2025-03-15T09:30:00.000Z',
  escalatedAt: '2025-03-16T09:30:00.000Z',
  decidedByName: state === 'cancelled' ? 'Alex Wilber' : 'Megan Bowen',
  decidedAt: '2025-03-16T11:00:00.000Z',
  reason: state === 'rejected' ? 'Please use a photo without sunglasses' : undefined,
  errorCode: state === 'failed' ? 'm365.forbidden' : undefined,
  warnings: WARNINGS,
  oldPreviewDataUri: OLD,
  newPreviewDataUri: PREVIEW,
  canUndo: state === 'applied',
  refreshUserIds: ['29:alex', '29:megan', '29:patti'],
  ...extra,
});

function nodes(value: JsonValue | AdaptiveCard, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) value.forEach((v) => nodes(v, out));
  else if (value && typeof value === 'object') {
    out.push(value as JsonObject);
    Object.values(value).forEach((v) => nodes(v as JsonValue, out));
  }
  return out;
}

/** What a person sees: texts (the host formats DATE/TIME), button titles, facts, alt texts, labels. */
function visible(c: AdaptiveCard): string[] {
  const out: string[] = c.fallbackText ? [c.fallbackText] : [];
  for (const n of nodes(c)) {
    if (n.type === 'TextBlock') out.push(n.text as string);
    if (typeof n.type === 'string' && n.type.startsWith('Action.') && n.title) out.push(n.title as string);
    if (n.type === 'Image') out.push(n.altText as string);
    if (n.type === 'Input.Text') out.push(n.label as string, n.placeholder as string, n.errorMessage as string);
    if (n.type === 'FactSet') for (const f of n.facts as JsonObject[]) out.push(f.title as string, f.value as string);
  }
  return out;
}

const execs = (c: AdaptiveCard) => nodes(c).filter((n) => n.type === 'Action.Execute');
/** The verbs of the card's buttons (not of its refresh). */
const verbs = (c: AdaptiveCard) => execs({ ...c, refresh: undefined }).map((n) => n.verb as string);
/** Cards whose {{DATE}}/{{TIME}} parts are replaced, to look for placeholders left over. */
const withoutInstants = (s: string) =>
  s.replace(/\{\{(DATE|TIME)\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(, SHORT)?\)\}\}/g, '#');

const cases = (locale: Locale): Array<[string, AdaptiveCard]> => [
  ...STATES.flatMap((state) =>
    AUDIENCES.map((audience): [string, AdaptiveCard] => [
      `${state} for ${audience}`,
      approvalCard(locale, args(state, audience)),
    ]),
  ),
  [
    'pending, no old photo, no warnings, not reminded',
    approvalCard(
      locale,
      args('pending_approval', 'approver', {
        oldPreviewDataUri: undefined,
        warnings: [],
        remindedAt: undefined,
        escalatedAt: undefined,
      }),
    ),
  ],
  [
    'approved, answered to the loser of a race',
    approvalCard(
      locale,
      args('approved', 'approver', {
        notice: {
          key: 'cards.approval.already_decided',
          params: { name: 'Megan Bowen', at: cardInstant('2025-03-16T11:00:00.000Z') },
        },
      }),
    ),
  ],
  [
    'pending, reason missing',
    approvalCard(locale, args('pending_approval', 'approver', { notice: { key: 'errors.approval.reason_required' } })),
  ],
];

describe.each([...LOCALES])('the approval card in %s', (locale) => {
  const all = cases(locale);

  test.each(all)('%s: valid Adaptive Card 1.5 (official schema + parser)', (_n, c) => {
    expectValidCard(c);
    expect(c.version).toBe('1.5');
  });

  test.each(all)('%s: works in Outlook (nothing newer than 1.4)', (_n, c) => {
    expectValidForOutlook(c);
  });

  test.each(all)('%s: far below the 28 KB a Teams card may take, with two 8 KB previews', (_n, c) => {
    expect(Buffer.byteLength(JSON.stringify(c), 'utf8')).toBeLessThan(24 * 1024);
  });

  test.each(all)('%s: no placeholders, keys or missing values', (_n, c) => {
    for (const s of visible(c)) {
      expect(withoutInstants(s)).not.toMatch(/\{\{|\}\}|\$t\(|…|^(cards|errors|warnings|approval)\./);
      expect(s.trim()).not.toBe('');
    }
  });

  test.each(all)('%s: in one language throughout', (name, c) => {
    const english = visible(cases('en').find(([n]) => n === name)![1]);
    const mine = visible(c);
    expect(mine).toHaveLength(english.length);
    if (locale === 'en') return;
    const names =
      /^(Alex Wilber|Megan Bowen|Patti Fernandez|Megan Bowen, Patti Fernandez|Please use a photo without sunglasses|\{\{DATE.*)$/;
    expect(mine.filter((s, i) => s === english[i] && !names.test(s))).toEqual([]);
  });

  test.each(all)('%s: refreshes for its users, and sends only registered verbs with the request id', (_n, c) => {
    expect(c.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: t(locale, 'cards.approval.show'),
        verb: 'approval.refresh',
        data: { requestId: REQUEST_ID },
      },
      userIds: ['29:alex', '29:megan', '29:patti'],
    });
    for (const action of execs(c)) {
      expect(verbsFor('execute')).toContain(action.verb);
      expect(action.data).toEqual({ requestId: REQUEST_ID });
    }
    expect(nodes(c).filter((n) => n.type === 'Action.Submit')).toEqual([]); // Outlook has no Action.Submit
  });

  test('the approver, while pending: Approve, and Reject with a required reason', () => {
    const c = approvalCard(locale, args('pending_approval', 'approver'));
    expect(verbs(c)).toEqual(['approval.approve', 'approval.reject']);
    const [input] = nodes(c).filter((n) => n.type === 'Input.Text');
    expect(input).toMatchObject({
      id: 'reason',
      isRequired: true,
      maxLength: 500,
      errorMessage: t(locale, 'cards.approval.reason_error', { name: 'Alex Wilber' }),
    });
    expect(visible(c)).toContain(t(locale, 'cards.approval.title_approver', { name: 'Alex Wilber' }));
    // Quality warnings from the pipeline, and both photos side by side.
    for (const w of WARNINGS) expect(visible(c)).toContain(t(locale, `warnings.${w.code}`, w.params));
    expect(
      nodes(c)
        .filter((n) => n.type === 'Image')
        .map((n) => n.url),
    ).toEqual([OLD, PREVIEW]);
  });

  test('the requester: cancel while pending, undo once applied, start again after a no', () => {
    expect(verbs(approvalCard(locale, args('pending_approval', 'requester')))).toEqual(['approval.cancel']);
    expect(verbs(approvalCard(locale, args('applied', 'requester')))).toEqual(['photo.undo']);
    expect(verbs(approvalCard(locale, args('applied', 'requester', { canUndo: false })))).toEqual([]);
    for (const state of ['rejected', 'expired', 'cancelled', 'failed'] as const)
      expect(verbs(approvalCard(locale, args(state, 'requester')))).toEqual(['photo.start']);
    const rejected = visible(approvalCard(locale, args('rejected', 'requester')));
    expect(rejected).toContain(t(locale, 'cards.approval.reason', { reason: 'Please use a photo without sunglasses' }));
  });

  test("the shared view never decides: at most a button to ask for one's own view", () => {
    for (const state of STATES) {
      expect(verbs(approvalCard(locale, args(state, 'base')))).toEqual(
        state === 'pending_approval' ? ['approval.refresh'] : [],
      );
    }
  });

  test("times are left to the host (DATE/TIME in the viewer's zone and language)", () => {
    const c = approvalCard(locale, args('applied', 'base'));
    expect(visible(c)).toContain(
      t(locale, 'cards.approval.applied', {
        name: 'Megan Bowen',
        at: '{{DATE(2025-03-16T11:00:00Z, SHORT)}} {{TIME(2025-03-16T11:00:00Z)}}',
      }),
    );
  });

  test('the how-to card names the approver before the upload; the applied card offers undo', () => {
    const howTo = howToSendCard(locale, {
      uploadUrl: 'https://h.example/upload',
      maxMegabytes: 20,
      approverName: 'Megan Bowen',
    });
    expectValidCard(howTo);
    expect(visible(howTo)).toContain(t(locale, 'cards.how_to.approval', { approver: 'Megan Bowen' }));
    expect(visible(howToSendCard(locale, { uploadUrl: 'https://h.example/upload', maxMegabytes: 20 }))).not.toContain(
      t(locale, 'cards.how_to.approval', { approver: 'Megan Bowen' }),
    );
    const applied = appliedCard(locale, {
      previewDataUri: PREVIEW,
      approvedByName: 'Megan Bowen',
      undoRequestId: REQUEST_ID,
    });
    expectValidCard(applied);
    expect(verbs(applied)).toEqual(['photo.undo']);
    expect(visible(applied)).toContain(t(locale, 'cards.applied.approved_by', { name: 'Megan Bowen' }));
  });
});

test('the Outlook check finds what 1.4 lacks (so that it can fail)', () => {
  const tooNew = {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'x', style: 'heading' },
      { type: 'Table', columns: [], rows: [] },
    ],
    actions: [{ type: 'Action.Execute', title: 'a', verb: 'v', isEnabled: false }],
  };
  expect(featuresNewerThan(tooNew, '1.4')).toEqual([
    '/body/0/style: TextBlock.style uses TextBlockStyle (1.5)',
    '/body/1: Table (1.5)',
    '/actions/0/isEnabled: Action.Execute.isEnabled (1.5)',
  ]);
  expect(() => expectValidForOutlook(tooNew)).toThrow();
});

test('refresh lists at most 60 users, once each', () => {
  const many = Array.from({ length: 80 }, (_, i) => `29:user-${i % 70}`);
  const c = approvalCard('en', args('pending_approval', 'base', { refreshUserIds: many }));
  expect((c.refresh as { userIds: string[] }).userIds).toHaveLength(60);
  expect(new Set((c.refresh as { userIds: string[] }).userIds).size).toBe(60);
});
