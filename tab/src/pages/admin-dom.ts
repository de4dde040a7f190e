/** Small DOM helpers for the Admin page (pages share nothing with each other, see page-context.ts). */
import { ApiError, type PageContext } from '../page-context';

type Attr = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false;

/** Creates an element: attributes (`true` sets an empty attribute, false/null/undefined leave it out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) node.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

let nextId = 0;
/** A document-unique id for label/description wiring. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** An ISO instant as a date and time in the user's locale. */
export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The text to show for a failed call: the server's localised message, or the page's own. */
export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError && err.message ? err.message : fallback;
}

/** A number in the user's locale. */
export function formatNumber(value: number, locale: string, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** True when `err` is the API refusing the caller (not an admin): the page then shows only that message. */
export function isForbidden(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 403;
}

/** What a section of the Admin page gets from the page. */
export interface SectionHost {
  ctx: PageContext;
  /** The API refused the caller: the page shows only the server's message from now on. */
  forbid(err: ApiError): void;
}

/** A section of the Admin page: its element, and its first load (the page waits for all before showing them). */
export interface AdminSection {
  element: HTMLElement;
  ready: Promise<void>;
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

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
