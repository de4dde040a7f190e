/**
 * The Admin page (Headshot admins): photo coverage, reminder campaigns, bulk import, time to visible, the audit log and the tenant's
 * settings, one section at a time behind Fluent tabs (the chosen one is kept in the URL as `section=`).
 * The API decides who is an admin: when any call answers 403 the page shows the server's message and
 * nothing else, and stops its polling.
 */
import type { ApiError, PageContext, TabPage } from '../page-context';
import { auditSection } from './admin-audit';
import { campaignsSection } from './admin-campaigns';
import { coverageSection } from './admin-coverage';
import { importSection } from './admin-import';
import { el, uid, type AdminSection, type SectionHost } from './admin-dom';
import { settingsSection } from './admin-settings';
import { adminStrings } from './admin-strings';
import { visibilitySection } from './admin-visibility';

/** The sections, in tab order, with their titles' keys. */
const SECTIONS = [
  ['coverage', 'coverageTitle'],
  ['reminders', 'campaignsTitle'],
  ['import', 'importTitle'],
  ['visibility', 'visibilityTitle'],
  ['audit', 'auditTitle'],
  ['settings', 'settingsTitle'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];

function sectionFromUrl(): SectionId {
  const id = new URLSearchParams(window.location.search).get('section');
  return SECTIONS.some(([s]) => s === id) ? (id as SectionId) : 'coverage';
}

function keepInUrl(id: SectionId): void {
  const params = new URLSearchParams(window.location.search);
  params.set('section', id);
  window.history.replaceState(null, '', `${window.location.pathname}?${params.toString()}`);
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  // Sections poll on this page-owned signal, so a refusal stops them as leaving the page does.
  const stop = new AbortController();
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true });
  // Object.create, not a spread: the shell's context may keep its methods on a prototype.
  const inner = Object.create(ctx, { signal: { value: stop.signal } }) as PageContext;

  const loading = el('fluent-spinner', { class: 'hs-loading', 'aria-label': ctx.t('loading'), size: 'small' });
  const title = () => el('h1', {}, ctx.t('title'));
  root.append(title(), loading);
  let refused = false;
  let audit: ReturnType<typeof auditSection> | null = null;
  const host: SectionHost = {
    ctx: inner,
    forbid(err: ApiError) {
      if (refused) return;
      refused = true;
      stop.abort();
      root.replaceChildren(title(), el('p', { class: 'error hs-alert hs-refused', role: 'alert' }, err.message));
    },
    changed() {
      void audit?.refresh();
    },
  };

  audit = auditSection(host);
  const built: Record<SectionId, AdminSection> = {
    coverage: coverageSection(host),
    reminders: campaignsSection(host),
    import: importSection(host),
    visibility: visibilitySection(host),
    audit,
    settings: settingsSection(host),
  };
  await Promise.all(Object.values(built).map((s) => s.ready));
  if (refused || ctx.signal.aborted) return;
  loading.remove();

  const current = sectionFromUrl();
  const tabs = el('fluent-tablist', { class: 'hs-sections', 'aria-label': ctx.t('sectionsLabel') });
  const panels: HTMLElement[] = [];
  for (const [id, key] of SECTIONS) {
    const tabId = uid(`tab-${id}`);
    const panel = built[id].element;
    panel.id = uid(`panel-${id}`);
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tabId);
    panel.hidden = id !== current;
    panel.dataset.section = id;
    tabs.append(el('fluent-tab', { id: tabId, 'aria-controls': panel.id, 'data-section': id }, ctx.t(key)));
    panels.push(panel);
  }
  tabs.setAttribute('activeid', tabs.querySelector(`[data-section="${current}"]`)?.id ?? '');
  tabs.addEventListener('change', () => {
    const active = tabs.querySelector<HTMLElement>('fluent-tab[aria-selected="true"]');
    const id = active?.dataset.section as SectionId | undefined;
    if (!id) return;
    for (const panel of panels) panel.hidden = panel.dataset.section !== id;
    keepInUrl(id);
  });
  root.append(tabs, ...panels);
}

export const adminPage: TabPage = {
  id: 'admin',
  strings: adminStrings,
  visible: (me) => me.isAdmin,
  render,
};
