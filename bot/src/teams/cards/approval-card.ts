/**
 * The approval card: one request, seen by its requester and its approvers. Universal
 * Actions (Action.Execute + refresh.userIds): every copy holds the shared ("base") view;
 * Teams and Outlook ask the bot for each listed user's own view when they show it, so the
 * approver sees Approve / Reject and the requester sees the status and Cancel / Undo.
 *
 * Outlook renders Universal Actions from version 1.4, so this card uses nothing newer than
 * 1.4 (a test checks it against the schema's version annotations): in particular no
 * TextBlock style "heading" (1.5), no Table, no action `isEnabled` / `mode` / `tooltip`.
 */
import type { Locale } from '../../core/locale';
import type { PhotoWarning } from '../../core/photo/pipeline-ports';
import type { RequestState } from '../../core/photo/request-ports';
import { hasMessage, t, type MessageParams } from '../../i18n/i18n';
import { card, execute, facts, text, type TextOptions } from './elements';
import { plain, plainParams } from './plain-text';
import type { AdaptiveCard, CardVerb, JsonObject } from './types';

/** Whose view: the shared one stored in every copy, or one person's answer to a refresh. */
export type ApprovalAudience = 'base' | 'approver' | 'requester';

/** Verbs this card sends (as `adaptiveCard/action` invokes). */
const APPROVAL_VERBS = {
  approve: 'approval.approve',
  reject: 'approval.reject',
  refresh: 'approval.refresh',
  cancel: 'approval.cancel',
  undo: 'photo.undo',
  start: 'photo.start',
} as const satisfies Record<string, CardVerb>;

/** The id of the reason input (Teams merges it into the reject action's data). */
const REASON_INPUT_ID = 'reason';

/** Longest reason the input takes. */
const REASON_MAX_LENGTH = 500;

/** What the card shows; times are ISO instants (the host shows them in the viewer's time zone). */
export interface ApprovalCardArgs {
  requestId: string;
  audience: ApprovalAudience;
  state: RequestState;
  requesterName: string;
  /** Everyone who may decide, in the order they were asked. */
  approverNames: string[];
  /** Those added by escalation. */
  escalatedNames: string[];
  requestedAt: string;
  expiresAt: string;
  remindedAt?: string;
  escalatedAt?: string;
  decidedByName?: string;
  decidedAt?: string;
  reason?: string;
  /** For `failed`: the error code, shown as its message. */
  errorCode?: string;
  warnings: readonly PhotoWarning[];
  /** `data:image/jpeg;base64,...` previews, at most 96 px. */
  oldPreviewDataUri?: string;
  newPreviewDataUri: string;
  canUndo: boolean;
  /** Teams user ids whose clients refresh the card automatically (at most 60). */
  refreshUserIds: string[];
  /** A line above the actions: why the last click did not do what it asked (already decided, closed, …). */
  notice?: { key: string; params?: MessageParams };
}

const STATE_COLOUR: Partial<Record<RequestState, TextOptions['color']>> = {
  approved: 'good',
  applying: 'good',
  applied: 'good',
  rejected: 'attention',
  failed: 'attention',
};

/** Most `refresh.userIds` a host honours. */
const MAX_REFRESH_USERS = 60;

/**
 * An instant the card host formats in the viewer's language and time zone (Adaptive Cards DATE/TIME functions,
 * which need RFC 3339 without fractions of a second).
 */
export function cardInstant(iso: string): string {
  const plain = iso.replace(/\.\d+Z$/, 'Z');
  return `{{DATE(${plain}, SHORT)}} {{TIME(${plain})}}`;
}

/** The approval card for one audience. */
export function approvalCard(locale: Locale, raw: ApprovalCardArgs): AdaptiveCard {
  // Names and the reason are literal text where Markdown renders (title, facts, status); labels and alt texts take them raw.
  const a: ApprovalCardArgs = {
    ...raw,
    requesterName: plain(raw.requesterName),
    approverNames: raw.approverNames.map(plain),
    escalatedNames: raw.escalatedNames.map(plain),
    decidedByName: raw.decidedByName === undefined ? undefined : plain(raw.decidedByName),
    reason: raw.reason === undefined ? undefined : plain(raw.reason),
    notice: raw.notice && { ...raw.notice, params: plainParams(raw.notice.params) },
  };
  const pending = a.state === 'pending_approval';
  const name = a.requesterName;
  const title =
    a.audience === 'approver' && pending
      ? t(locale, 'cards.approval.title_approver', { name })
      : a.audience === 'requester'
        ? t(locale, 'cards.approval.title_requester')
        : t(locale, 'cards.approval.title', { name });
  const body: JsonObject[] = [text(title, { size: 'medium', weight: 'bolder' })];
  if (a.audience === 'approver' && pending)
    body.push(text(t(locale, 'cards.approval.intro_approver', { name }), { spacing: 'small' }));
  body.push(photos(locale, raw));
  body.push(
    facts([
      [t(locale, 'cards.approval.requested_by'), name],
      [t(locale, 'cards.approval.requested_at'), cardInstant(a.requestedAt)],
      [t(locale, 'cards.approval.approvers'), a.approverNames.join(', ')],
    ]),
  );
  const warnings = a.warnings.filter((w) => hasMessage(`warnings.${w.code}`));
  if (pending && a.audience !== 'requester' && warnings.length > 0) {
    body.push(text(t(locale, 'cards.approval.warnings_title'), { weight: 'bolder', spacing: 'medium' }));
    if (warnings.some((w) => w.needsApproval))
      body.push(text(t(locale, 'cards.approval.guideline_reason'), { spacing: 'small' }));
    for (const w of warnings)
      body.push(text(t(locale, `warnings.${w.code}`, w.params), { color: 'warning', spacing: 'small' }));
  }
  body.push(...status(locale, a));
  if (a.notice && hasMessage(a.notice.key))
    body.push(text(t(locale, a.notice.key, a.notice.params), { color: 'warning', spacing: 'medium' }));
  const result = card(body, actions(locale, raw), title);
  result.refresh = {
    action: {
      type: 'Action.Execute',
      title: t(locale, 'cards.approval.show'),
      verb: APPROVAL_VERBS.refresh,
      data: { requestId: a.requestId },
    },
    userIds: [...new Set(a.refreshUserIds)].slice(0, MAX_REFRESH_USERS),
  };
  return result;
}

function photos(locale: Locale, a: ApprovalCardArgs): JsonObject {
  const name = a.requesterName;
  const column = (label: string, image: JsonObject): JsonObject => ({
    type: 'Column',
    width: 'auto',
    items: [text(label, { size: 'small', isSubtle: true }), image],
  });
  const oldImage: JsonObject = a.oldPreviewDataUri
    ? {
        type: 'Image',
        url: a.oldPreviewDataUri,
        altText: t(locale, 'cards.approval.alt_current', { name }),
        width: '72px',
        spacing: 'small',
      }
    : text(t(locale, 'cards.approval.no_photo'), { isSubtle: true, spacing: 'small' });
  return {
    type: 'ColumnSet',
    spacing: 'medium',
    columns: [
      column(t(locale, 'cards.approval.current'), oldImage),
      column(t(locale, 'cards.approval.new'), {
        type: 'Image',
        url: a.newPreviewDataUri,
        altText: t(locale, 'cards.approval.alt_new', { name }),
        width: '72px',
        spacing: 'small',
      }),
    ],
  };
}

function status(locale: Locale, a: ApprovalCardArgs): JsonObject[] {
  const at = a.decidedAt ? cardInstant(a.decidedAt) : '';
  const by = a.decidedByName ?? '';
  const colour = STATE_COLOUR[a.state];
  const line = (key: string, params?: MessageParams): JsonObject =>
    text(t(locale, key, params), { spacing: 'medium', weight: 'bolder', ...(colour ? { color: colour } : {}) });
  switch (a.state) {
    case 'pending_approval': {
      const lines = [line('cards.approval.pending', { approvers: a.approverNames.join(', ') })];
      if (a.remindedAt)
        lines.push(text(t(locale, 'cards.approval.reminded', { at: cardInstant(a.remindedAt) }), { spacing: 'small' }));
      if (a.escalatedAt && a.escalatedNames.length > 0) {
        lines.push(
          text(
            t(locale, 'cards.approval.escalated', {
              approvers: a.escalatedNames.join(', '),
              at: cardInstant(a.escalatedAt),
            }),
            { spacing: 'small' },
          ),
        );
      }
      lines.push(
        text(t(locale, 'cards.approval.expires', { at: cardInstant(a.expiresAt) }), {
          spacing: 'small',
          isSubtle: true,
        }),
      );
      return lines;
    }
    case 'approved':
    case 'applying':
      return [line('cards.approval.approved', { name: by, at })];
    case 'applied':
      return [line('cards.approval.applied', { name: by, at })];
    case 'rejected':
      return [
        line('cards.approval.rejected', { name: by, at }),
        text(t(locale, 'cards.approval.reason', { reason: a.reason ?? '' }), { spacing: 'small' }),
      ];
    case 'cancelled':
      return [line('cards.approval.cancelled', { name: by, at })];
    case 'expired':
      return [line('cards.approval.expired', { at })];
    case 'failed': {
      const lines = [line('cards.approval.failed', { name: by })];
      const key = a.errorCode ? `errors.${a.errorCode}` : undefined;
      if (key && hasMessage(key)) lines.push(text(t(locale, key), { spacing: 'small' }));
      return lines;
    }
    default:
      return [line('cards.approval.superseded')];
  }
}

function actions(locale: Locale, a: ApprovalCardArgs): JsonObject[] {
  const data = { requestId: a.requestId };
  const pending = a.state === 'pending_approval';
  if (a.audience === 'approver' && pending) {
    return [
      execute(t(locale, 'cards.approval.approve'), APPROVAL_VERBS.approve, data, 'positive'),
      {
        type: 'Action.ShowCard',
        title: t(locale, 'cards.approval.reject'),
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.Text',
              id: REASON_INPUT_ID,
              label: t(locale, 'cards.approval.reason_label', { name: a.requesterName }),
              placeholder: t(locale, 'cards.approval.reason_placeholder'),
              isMultiline: true,
              maxLength: REASON_MAX_LENGTH,
              isRequired: true,
              errorMessage: t(locale, 'cards.approval.reason_error', { name: a.requesterName }),
            },
          ],
          actions: [execute(t(locale, 'cards.approval.reject_confirm'), APPROVAL_VERBS.reject, data, 'destructive')],
        },
      },
    ];
  }
  if (a.audience === 'requester') {
    if (pending) return [execute(t(locale, 'cards.approval.cancel'), APPROVAL_VERBS.cancel, data)];
    if (a.state === 'applied')
      return a.canUndo ? [execute(t(locale, 'cards.applied.undo'), APPROVAL_VERBS.undo, data)] : [];
    if (a.state === 'rejected' || a.state === 'expired' || a.state === 'cancelled' || a.state === 'failed') {
      return [execute(t(locale, 'cards.approval.start_again'), APPROVAL_VERBS.start, data, 'positive')];
    }
    return [];
  }
  // The shared view: a way to ask for one's own view where the host does not refresh by itself.
  return pending ? [execute(t(locale, 'cards.approval.show'), APPROVAL_VERBS.refresh, data)] : [];
}
