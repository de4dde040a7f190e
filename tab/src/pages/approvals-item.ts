/** One request on the Approvals page: whose, when, old and new photo, warnings, and the decision controls. */
import type { ApprovalItemView, DecisionBody } from '../../../bot/src/api/tab-contract';
import { ApiError, type PageContext } from '../page-context';
import { el, errorText, formatInstant, uid } from '../dom';

/** Longest rejection reason the server accepts (DecisionBody). */
const MAX_REASON = 500;

/** What an item needs from its page. */
export interface ItemHost {
  ctx: PageContext;
  /** A refusal that is not about the reason (someone else decided first, gone, forbidden): show it and reload. */
  refused(message: string): void;
  /** This approver decided `item` here: its answer (`node`) moves to the decided list at once. */
  decided(item: ApprovalItemView, node: HTMLLIElement): void;
}

/** A key that changes when what the item shows changes (the list keeps unchanged items, and what is typed in them). */
export function itemSignature(item: ApprovalItemView): string {
  return [item.state, item.canDecide, item.decidedAt ?? '', item.newPhoto ? 1 : 0, item.warnings.length].join('|');
}

function photo(src: string | undefined, alt: string, caption: string, missing: string): HTMLElement {
  return el(
    'figure',
    { class: 'hs-photo' },
    src ? el('img', { src, alt, width: 96, height: 96 }) : el('p', { class: 'hs-photo-missing' }, missing),
    el('figcaption', {}, caption),
  );
}

/** Renders `item` as a list entry; decisions made in it replace it with the server's answer. */
export function renderApprovalItem(item: ApprovalItemView, host: ItemHost): HTMLLIElement {
  const { ctx } = host;
  const { t, locale } = ctx;
  const name = item.requester.displayName;
  const headingId = uid('approval');
  const heading = el('h3', { id: headingId, tabindex: -1 }, name);

  const meta = el('p', { class: 'hint hs-meta' }, t('requestedAt', { at: formatInstant(item.requestedAt, locale) }));
  if (item.state === 'pending_approval') {
    meta.append(' · ', t('decideBy', { at: formatInstant(item.expiresAt, locale) }));
  }

  const photos = el(
    'div',
    { class: 'hs-photo-pair' },
    photo(item.oldPhoto, t('oldPhotoAlt', { name }), t('oldPhoto'), t('noOldPhoto')),
    photo(item.newPhoto, t('newPhotoAlt', { name }), t('newPhoto'), t('newPhotoGone')),
  );

  let warnings: HTMLElement | null = null;
  // Warnings help a decision; once decided they are noise.
  if (item.warnings.length > 0 && item.state === 'pending_approval') {
    const warningsId = uid('warnings');
    warnings = el(
      'section',
      { class: 'hs-warnings', 'aria-labelledby': warningsId },
      el('h4', { id: warningsId }, t('warningsTitle')),
      el('ul', {}, ...item.warnings.map((w) => el('li', { class: 'warning', 'data-code': w.code }, w.message))),
    );
  }

  const message = el('p', { class: 'hs-state-message', 'data-state': item.state }, item.message);
  const decided = item.decidedByName
    ? el(
        'p',
        { class: 'hint hs-meta' },
        t('decidedBy', { name: item.decidedByName, at: item.decidedAt ? formatInstant(item.decidedAt, locale) : '' }),
      )
    : null;
  const reason = item.reason ? el('p', { class: 'hs-reason' }, t('reasonShown', { reason: item.reason })) : null;

  const article = el(
    'article',
    { class: 'card hs-approval', 'aria-labelledby': headingId },
    heading,
    meta,
    photos,
    warnings,
    message,
    decided,
    reason,
  );
  if (item.canDecide && item.state === 'pending_approval') article.append(decisionControls(item, host, heading));

  return el('li', { 'data-request-id': item.requestId, 'data-state': item.state }, article);
}

function decisionControls(item: ApprovalItemView, host: ItemHost, heading: HTMLElement): HTMLElement {
  const { ctx } = host;
  const { t } = ctx;
  const name = item.requester.displayName;
  const reasonId = uid('reason');
  const counterId = uid('reason-count');
  const errorId = uid('reason-error');
  const textarea = el('textarea', {
    id: reasonId,
    name: 'reason',
    rows: 3,
    maxlength: MAX_REASON,
    'aria-describedby': `${counterId} ${errorId}`,
  });
  const counter = el('p', { id: counterId, class: 'hs-counter' }, t('counter', { used: 0, max: MAX_REASON }));
  const error = el('p', { id: errorId, class: 'error hs-field-error' });
  const status = el('p', { class: 'loading hs-status', role: 'status' });
  textarea.addEventListener('input', () => {
    counter.textContent = t('counter', { used: textarea.value.length, max: MAX_REASON });
  });

  const button = (label: string, kind: 'approve' | 'reject') =>
    el(
      'fluent-button',
      {
        type: 'button',
        appearance: kind === 'approve' ? 'primary' : undefined,
        class: kind === 'approve' ? 'primary' : 'secondary',
        'data-decision': kind,
      },
      label,
      el('span', { class: 'visually-hidden' }, t('forPerson', { name })),
    );
  const approve = button(t('approve'), 'approve');
  const reject = button(t('reject'), 'reject');

  const decide = async (decision: DecisionBody['decision']) => {
    error.textContent = '';
    textarea.removeAttribute('aria-invalid');
    approve.disabled = reject.disabled = true;
    status.textContent = t('sending');
    const body: DecisionBody = decision === 'reject' ? { decision, reason: textarea.value.trim() } : { decision };
    try {
      const answer = await ctx.api.post<ApprovalItemView>(
        `/api/approvals/${encodeURIComponent(item.requestId)}/decision`,
        body,
      );
      if (ctx.signal.aborted) return;
      const next = renderApprovalItem(answer, host);
      heading.closest('li')?.remove();
      host.decided(answer, next);
      next.querySelector<HTMLElement>('h3')?.focus();
      ctx.announce(answer.message);
    } catch (err) {
      if (ctx.signal.aborted) return;
      status.textContent = '';
      approve.disabled = reject.disabled = false;
      if (err instanceof ApiError && err.status === 400) {
        error.textContent = err.message;
        textarea.setAttribute('aria-invalid', 'true');
        textarea.focus();
      } else {
        host.refused(errorText(err, t('unexpected')));
      }
    }
  };
  approve.addEventListener('click', () => void decide('approve'));
  reject.addEventListener('click', () => void decide('reject'));

  return el(
    'div',
    { class: 'hs-decision' },
    el('label', { for: reasonId }, t('reasonLabel', { name })),
    textarea,
    counter,
    error,
    el('div', { class: 'actions' }, approve, reject),
    status,
  );
}
