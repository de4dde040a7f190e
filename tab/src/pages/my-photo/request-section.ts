/**
 * "Your new photo": the request made from the editor, from the server's preview through
 * "Use this photo" to its end state, followed live (polling every ~2 s while it is open).
 */
import type { PhotoRequestState, PhotoRequestView } from '../../../../bot/src/api/tab-contract';
import type { PageContext } from '../../page-context';
import { button, el, present, sleep } from '../../dom';

/** States after which nothing more happens to a request. */
export const END_STATES: readonly PhotoRequestState[] = [
  'applied',
  'rejected',
  'cancelled',
  'expired',
  'superseded',
  'failed',
];
/** States the server moves on by itself: the page polls while in one. */
const MOVING_STATES: readonly PhotoRequestState[] = ['pending_approval', 'approved', 'applying'];
const POLL_MS = 2000;

/** What the page does when a request moves. */
export interface RequestEvents {
  /** The request reached an end state (the editor is free again; applied: reload photo and status). */
  ended(view: PhotoRequestView): void;
}

/** The request section; hidden until there is a request. */
export class RequestSection {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly body: HTMLElement;
  private view: PhotoRequestView | null = null;
  private polling = false;
  /** The approvers' card preview was opened (kept open when the request is drawn again). */
  private approverCardOpen = false;

  constructor(
    private readonly ctx: PageContext,
    private readonly events: RequestEvents,
  ) {
    this.heading = el('h2', { id: 'request-title', tabindex: -1 }, ctx.t('request.title'));
    this.body = el('div', { class: 'request-body' });
    this.element = el(
      'section',
      { class: 'card request', id: 'request', 'aria-labelledby': 'request-title', hidden: true },
      this.heading,
      this.body,
    );
  }

  /** The request is open (the editor should wait). */
  get open(): boolean {
    return this.view !== null && !END_STATES.includes(this.view.state);
  }

  /** Shows a request; `focus` moves focus to its heading (after an upload). */
  show(view: PhotoRequestView, focus = false): void {
    const changed = this.view?.state !== view.state || this.view?.requestId !== view.requestId;
    this.view = view;
    this.draw(view);
    this.element.hidden = false;
    if (focus) this.heading.focus();
    if (changed) this.ctx.announce(view.message);
    if (END_STATES.includes(view.state)) this.events.ended(view);
    else if (MOVING_STATES.includes(view.state)) void this.poll();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const { api, signal } = this.ctx;
    try {
      while (this.view && MOVING_STATES.includes(this.view.state)) {
        await sleep(POLL_MS, signal);
        const current = this.view;
        try {
          const next = await api.get<PhotoRequestView>(
            `/api/me/photo-requests/${encodeURIComponent(current.requestId)}`,
          );
          if (this.view?.requestId !== current.requestId) return;
          // A fresh answer drops the avatars the upload gave; keep the last preview on screen.
          if (next.state !== current.state || next.updatedAt !== current.updatedAt) {
            this.polling = false;
            this.show({ ...next, preview: next.preview ?? current.preview });
            return;
          }
        } catch (err) {
          if (signal.aborted) return;
          // A failed poll is not the end of the request: say so once and keep trying.
          this.showProblem((err as Error).message);
        }
      }
    } catch {
      // the page was left: stop
    } finally {
      this.polling = false;
    }
  }

  private showProblem(message: string): void {
    const existing = this.body.querySelector('.poll-error');
    if (existing) return;
    this.body.append(el('p', { class: 'error poll-error', role: 'alert' }, message));
  }

  private draw(view: PhotoRequestView): void {
    const { t } = this.ctx;
    const details: (HTMLElement | null)[] = [];
    // The message already names who decides; the approvers' card shows what they got.
    if (view.state === 'pending_approval' && view.approval?.card) details.push(this.approverCard(view.approval.card));
    if (view.state === 'rejected' && view.approval?.reason) {
      details.push(
        el(
          'p',
          { class: 'reason' },
          t('request.rejectedReason', { name: view.approval.decidedByName ?? '', reason: view.approval.reason }),
        ),
      );
    }
    if (view.state === 'failed' && view.error) details.push(el('p', { class: 'error' }, view.error.message));
    // A preview that was discarded, replaced or ended no longer needs its warnings.
    const warnings =
      view.warnings.length && !END_STATES.includes(view.state)
        ? el(
            'div',
            { class: 'server-warnings' },
            el('h3', {}, t('request.warningsTitle')),
            el('ul', {}, ...view.warnings.map((w) => el('li', { class: 'warning', 'data-code': w.code }, w.message))),
          )
        : null;
    const preview = view.preview
      ? el('img', {
          class: 'avatar server-preview',
          src: view.preview,
          width: 96,
          height: 96,
          alt: t('request.previewAlt'),
        })
      : null;
    const actions = el('div', { class: 'actions' });
    if (view.state === 'previewed') {
      actions.append(
        button(t('request.use'), () => void this.act('submit'), { class: 'primary', id: 'use-photo' }),
        button(t('request.discard'), () => void this.act('cancel'), { class: 'secondary' }),
      );
    } else if (view.state === 'pending_approval') {
      actions.append(button(t('request.cancel'), () => void this.act('cancel'), { class: 'secondary' }));
    }
    if (this.ctx.host.inDialog && (view.state === 'applied' || view.state === 'pending_approval')) {
      actions.append(button(t('request.done'), () => this.ctx.closeDialog(view.state), { class: 'primary' }));
    }
    this.body.replaceChildren(
      ...present(
        el(
          'div',
          { class: 'request-row' },
          preview,
          el(
            'div',
            {},
            el(
              'p',
              { class: `request-state state-${view.state}`, 'data-state': view.state },
              el('strong', {}, t(`state.${view.state}`)),
            ),
            el('p', { class: 'request-message' }, view.message),
            ...details,
          ),
        ),
        warnings,
        actions.childElementCount ? actions : null,
      ),
    );
  }

  /**
   * "What your approver sees": the approval card itself, drawn by the Adaptive Cards renderer when first opened
   * (the renderer loads then).
   */
  private approverCard(card: Record<string, unknown>): HTMLElement {
    const { t } = this.ctx;
    const holder = el('div', {});
    const details = el('details', { class: 'hs-approver-card' }, el('summary', {}, t('request.approverSees')), holder);
    const draw = async (): Promise<void> => {
      if (holder.childElementCount) return;
      const { renderCardPreview } = await import('../../shell/card-preview');
      holder.replaceChildren(renderCardPreview(card));
    };
    details.addEventListener('toggle', () => {
      this.approverCardOpen = details.open;
      if (details.open) void draw();
    });
    if (this.approverCardOpen) {
      details.open = true;
      void draw();
    }
    return details;
  }

  private async act(action: 'submit' | 'cancel'): Promise<void> {
    const view = this.view;
    if (!view) return;
    for (const b of this.body.querySelectorAll('fluent-button')) b.disabled = true;
    try {
      const next = await this.ctx.api.post<PhotoRequestView>(
        `/api/me/photo-requests/${encodeURIComponent(view.requestId)}/${action}`,
      );
      this.show({ ...next, preview: next.preview ?? view.preview }, true);
    } catch (err) {
      for (const b of this.body.querySelectorAll('fluent-button')) b.disabled = false;
      this.body.append(el('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  }
}
