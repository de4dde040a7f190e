/**
 * The Approvals page (approvers): requests waiting for a decision, with the old and new photo side by
 * side, approve or reject with a reason; and what was decided. Refreshes every 15 s while shown,
 * keeping entries that did not change (and what the approver typed in them).
 */
import type { ApprovalItemView } from '../../../bot/src/api/tab-contract';
import type { PageContext, TabPage } from '../page-context';
import { button, el, errorText, uid } from '../dom';
import { itemSignature, renderApprovalItem, type ItemHost } from './approvals-item';
import { approvalsStrings } from './approvals-strings';

/** How often the lists refresh while the page is shown. */
const REFRESH_MS = 15_000;

type Scope = 'pending' | 'decided';

/** One list of the page, keyed by request id so a refresh keeps unchanged entries in place. */
class ApprovalList {
  readonly list: HTMLUListElement;
  readonly empty: HTMLParagraphElement;
  private readonly shown = new Map<string, { signature: string; node: HTMLLIElement }>();

  constructor(
    readonly scope: Scope,
    emptyText: string,
  ) {
    this.list = el('ul', { class: 'hs-approval-list', 'data-scope': scope });
    this.empty = el('p', { class: 'hs-empty', hidden: true }, emptyText);
  }

  /** Shows `node` (drawn for `item` elsewhere) first in this list, kept by later refreshes while it is unchanged. */
  adopt(item: ApprovalItemView, node: HTMLLIElement): void {
    this.shown.set(item.requestId, { signature: itemSignature(item), node });
    this.list.prepend(node);
    this.empty.hidden = true;
  }

  /** Forgets an entry that left this list on the page. */
  drop(requestId: string): void {
    this.shown.delete(requestId);
    this.empty.hidden = this.list.children.length > 0;
  }

  update(items: ApprovalItemView[], host: ItemHost): void {
    const nodes = items.map((item) => {
      const signature = itemSignature(item);
      const kept = this.shown.get(item.requestId);
      // An entry decided on this page was replaced by its answer (kept.node is then detached): draw it anew.
      const node =
        kept && kept.signature === signature && kept.node.isConnected ? kept.node : renderApprovalItem(item, host);
      this.shown.set(item.requestId, { signature, node });
      return node;
    });
    const keep = new Set<Element>(nodes);
    for (const child of Array.from(this.list.children)) if (!keep.has(child)) child.remove();
    nodes.forEach((node, i) => {
      if (this.list.children[i] !== node) this.list.insertBefore(node, this.list.children[i] ?? null);
    });
    const ids = new Set(items.map((item) => item.requestId));
    for (const requestId of Array.from(this.shown.keys())) if (!ids.has(requestId)) this.shown.delete(requestId);
    this.empty.hidden = items.length > 0;
  }
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const { t } = ctx;
  const alert = el('p', { class: 'error hs-alert', role: 'alert' });
  const loading = el('p', { class: 'loading hs-status', role: 'status' }, t('loading'));
  const refreshButton = button(t('refresh'), null, { type: 'button' });
  const pending = new ApprovalList('pending', t('pendingEmpty'));
  const decided = new ApprovalList('decided', t('decidedEmpty'));

  const section = (scope: Scope, title: string, list: ApprovalList) => {
    const id = uid(`approvals-${scope}`);
    return el(
      'section',
      { class: 'hs-section', 'aria-labelledby': id, 'data-section': scope },
      el('h2', { id }, title),
      list.empty,
      list.list,
    );
  };
  root.append(
    el('h1', {}, t('title')),
    el('p', { class: 'hint hs-intro' }, t('intro')),
    el('div', { class: 'hs-toolbar' }, refreshButton),
    alert,
    loading,
    section('pending', t('pendingTitle'), pending),
    section('decided', t('decidedTitle'), decided),
  );

  let inFlight: Promise<void> | null = null;
  const host: ItemHost = {
    ctx,
    refused(message) {
      alert.textContent = message;
      void load();
    },
    decided(item, node) {
      pending.drop(item.requestId);
      decided.adopt(item, node);
    },
  };
  const fetchScope = (scope: Scope) => ctx.api.get<ApprovalItemView[]>(`/api/approvals?scope=${scope}`);
  const load = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        const [p, d] = await Promise.all([fetchScope('pending'), fetchScope('decided')]);
        if (ctx.signal.aborted) return;
        pending.update(p, host);
        decided.update(d, host);
      } catch (err) {
        if (!ctx.signal.aborted) alert.textContent = errorText(err, t('unexpected'));
      } finally {
        loading.textContent = '';
        inFlight = null;
      }
    })();
    return inFlight;
  };

  refreshButton.addEventListener('click', () => {
    alert.textContent = '';
    void load();
  });
  const timer = setInterval(() => void load(), REFRESH_MS);
  ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  await load();
}

export const approvalsPage: TabPage = {
  id: 'approvals',
  strings: approvalsStrings,
  visible: (me) => me.isApprover,
  render,
};
