/** A tiny element builder for the tab's pages (text goes in as text, never as HTML), and formatting they share. */
import { ApiError } from './page-context';
import './shell/fluent';

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | null | undefined | false;

/** Creates `<tag>` with attributes (false/null/undefined are left out, true is an empty attribute) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** A Fluent button (form-associated: `disabled` and `type="submit"` work as on `<button>`). */
export type FluentButton = HTMLElementTagNameMap['fluent-button'];

/**
 * A Fluent button; `onClick` (when given) runs on click, Enter and Space. `class: 'primary'` gives the
 * primary appearance.
 */
export function button(label: string, onClick: ((event: MouseEvent) => void) | null, attrs: Attrs = {}): FluentButton {
  const primary = String(attrs.class ?? '')
    .split(' ')
    .includes('primary');
  const b = el('fluent-button', { type: 'button', appearance: primary ? 'primary' : undefined, ...attrs }, label);
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const timer = window.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      window.clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The given nodes without the absent ones (for `replaceChildren`). */
export function present(...children: Child[]): (Node | string)[] {
  return children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false);
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

/** A number in the user's locale. */
export function formatNumber(value: number, locale: string, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** The text to show for a failed call: the server's localised message, or the page's own. */
export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError && err.message ? err.message : fallback;
}
