/** The Admin page's own DOM helpers (sections, failures, polling pauses), beside the tab's shared ones in dom.ts. */
import { ApiError, type PageContext } from '../page-context';
import { el, errorText, sleep, uid } from '../dom';

export { button, el, formatInstant, formatNumber, uid, type FluentButton } from '../dom';

/** True when `err` is the API refusing the caller (not an admin): the page then shows only that message. */
function isForbidden(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 403;
}

/** What a section of the Admin page gets from the page. */
export interface SectionHost {
  ctx: PageContext;
  /** The API refused the caller: the page shows only the server's message from now on. */
  forbid(err: ApiError): void;
  /** Something was changed from the page (audited): the audit log reloads. */
  changed(): void;
}

/** A section of the Admin page: its element, and its first load (the page waits for all before showing them). */
export interface AdminSection {
  element: HTMLElement;
  ready: Promise<void>;
}

/** A section that can load its newest content again (the audit log after an action on the page). */
export interface RefreshableSection extends AdminSection {
  refresh(): Promise<void>;
}

/** A `<section>` labelled by its h2. */
export function adminSection(key: string, title: string): HTMLElement {
  const id = uid(`admin-${key}`);
  return el('section', { class: 'hs-section', 'aria-labelledby': id, 'data-section': key }, el('h2', { id }, title));
}

/** Shows a failed call in `target` (the server's message), or hands a 403 to the page. */
export function showFailure(host: SectionHost, err: unknown, target: HTMLElement): void {
  if (host.ctx.signal.aborted) return;
  if (isForbidden(err)) host.forbid(err);
  else target.textContent = errorText(err, host.ctx.t('unexpected'));
}

/** Waits `ms`, or less when `signal` aborts (the caller checks the signal afterwards). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, signal).catch(() => undefined);
}
