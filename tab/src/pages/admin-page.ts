/**
 * The Admin page (Headshot admins): photo coverage, reminder campaigns, the audit log and the tenant's
 * settings. The API decides who is an admin: when any call answers 403 the page shows the server's
 * message and nothing else, and stops its polling.
 */
import type { ApiError, PageContext, TabPage } from '../page-context';
import { auditSection } from './admin-audit';
import { campaignsSection } from './admin-campaigns';
import { coverageSection } from './admin-coverage';
import { el, type SectionHost } from './admin-dom';
import { settingsSection } from './admin-settings';
import { adminStrings } from './admin-strings';

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  // Sections poll on this page-owned signal, so a refusal stops them as leaving the page does.
  const stop = new AbortController();
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true });
  // Object.create, not a spread: the shell's context may keep its methods on a prototype.
  const inner = Object.create(ctx, { signal: { value: stop.signal } }) as PageContext;

  const loading = el('p', { class: 'loading hs-status', role: 'status' }, ctx.t('loading'));
  const title = () => el('h1', {}, ctx.t('title'));
  root.append(title(), loading);
  let refused = false;
  const host: SectionHost = {
    ctx: inner,
    forbid(err: ApiError) {
      if (refused) return;
      refused = true;
      stop.abort();
      root.replaceChildren(title(), el('p', { class: 'error hs-alert hs-refused', role: 'alert' }, err.message));
    },
  };

  const sections = [coverageSection(host), campaignsSection(host), auditSection(host), settingsSection(host)];
  await Promise.all(sections.map((s) => s.ready));
  if (refused || ctx.signal.aborted) return;
  loading.remove();
  root.append(...sections.map((s) => s.element));
}

export const adminPage: TabPage = {
  id: 'admin',
  strings: adminStrings,
  visible: (me) => me.isAdmin,
  render,
};
