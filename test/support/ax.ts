/**
 * Finding elements by what Chromium's accessibility tree says they are, for the tab's Fluent controls.
 *
 * Fluent web components take their role and state through ElementInternals (`<fluent-button>` is a
 * button to a screen reader without a `role` attribute). Playwright's getByRole computes roles itself
 * and does not read ElementInternals, so it finds no Fluent button, radio or checkbox. This asks the
 * browser instead (CDP `Accessibility.queryAXTree`): what a screen reader gets is what the test finds,
 * and a control that lost its role or name is not found at all.
 *
 *   await (await byRole(page, 'button', { name: 'Send reminder' })).click();
 */
import type { CDPSession, Frame, FrameLocator, Locator, Page } from 'playwright-core';

/** Where to look: a page, an element, or a frame's document. */
type Scope = Page | Locator | FrameLocator;

/** How to match the accessible name: a substring (any case), the exact name, or a pattern. */
export interface ByRoleOptions {
  name?: string | RegExp;
  exact?: boolean;
  /** How long to wait for a match (default 10 s). */
  timeoutMs?: number;
}

interface AxNode {
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
  properties?: Array<{ name: string; value: { value?: unknown } }>;
}

const sessions = new WeakMap<Page | Frame, Promise<CDPSession>>();
let nextTag = 0;

function session(target: Page | Frame): Promise<CDPSession> {
  let s = sessions.get(target);
  if (!s) {
    const page = 'page' in target && typeof target.page === 'function' ? (target as Frame).page() : (target as Page);
    s = page
      .context()
      .newCDPSession(target)
      .then(async (cdp) => {
        await cdp.send('DOM.enable');
        await cdp.send('Accessibility.enable');
        return cdp;
      });
    sessions.set(target, s);
  }
  return s;
}

function nameMatches(actual: string, wanted: ByRoleOptions): boolean {
  const { name, exact } = wanted;
  if (name === undefined) return true;
  if (name instanceof RegExp) return name.test(actual);
  return exact ? actual.trim() === name : actual.toLowerCase().includes(name.toLowerCase());
}

interface DomNode {
  nodeName: string;
  backendNodeId: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

/** The page's document and the documents of its (same-site) frames, the tab's fake host included. */
function documents(root: DomNode, out: number[] = []): number[] {
  if (root.nodeName === '#document') out.push(root.backendNodeId);
  for (const child of [...(root.children ?? []), ...(root.shadowRoots ?? [])]) documents(child, out);
  if (root.contentDocument) documents(root.contentDocument, out);
  return out;
}

/** The accessible nodes with `role` (and a matching name) now, unignored, in the page and its frames. */
async function query(target: Page | Frame, role: string, options: ByRoleOptions): Promise<AxNode[]> {
  const cdp = await session(target);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const found: AxNode[] = [];
  for (const backendNodeId of documents(root)) {
    const { nodes } = (await cdp.send('Accessibility.queryAXTree', { backendNodeId, role })) as { nodes: AxNode[] };
    found.push(...nodes);
  }
  return found.filter(
    (n) => !n.ignored && n.backendDOMNodeId !== undefined && nameMatches(n.name?.value ?? '', options),
  );
}

/**
 * A locator for the elements Chromium exposes with `role` and a matching name, waiting (default 10 s) until at
 * least one exists. Like getByRole, a locator that matches several elements refuses actions.
 */
export async function byRole(scope: Scope, role: string, options: ByRoleOptions = {}): Promise<Locator> {
  const page = await targetOf(scope);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const found = await query(page, role, options);
    if (found.length > 0) {
      const cdp = await session(page);
      const tag = `ax${++nextTag}`;
      for (const node of found) {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
        if (!object.objectId) continue;
        await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId,
          functionDeclaration:
            'function (tag) { this.setAttribute("data-ax", ((this.getAttribute("data-ax") || "") + " " + tag).trim()); }',
          arguments: [{ value: tag }],
        });
      }
      const inScope = scope.locator(`[data-ax~="${tag}"]`);
      if ((await inScope.count()) > 0) return inScope;
    }
    if (Date.now() > deadline) {
      const all = await query(page, role, {});
      throw new Error(
        `no ${role} named ${String(options.name)} after ${options.timeoutMs ?? 10_000} ms; ${role}s: ${JSON.stringify(
          all.map((n) => n.name?.value ?? ''),
        )}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

/** How many elements inside `scope` Chromium exposes with `role` and a matching name right now (no waiting). */
export async function countByRole(scope: Scope, role: string, options: ByRoleOptions = {}): Promise<number> {
  try {
    return await (await byRole(scope, role, { ...options, timeoutMs: 0 })).count();
  } catch {
    return 0;
  }
}

/**
 * Where to ask: a frame in another process (a cross-site iframe, as the tab is in its fake host) has its own
 * CDP session; everything else is in the page's (its same-site frames included).
 */
async function targetOf(scope: Scope): Promise<Page | Frame> {
  if ('owner' in scope && typeof scope.owner === 'function') {
    const frame = await (await scope.owner().elementHandle())?.contentFrame();
    if (frame) {
      try {
        await session(frame);
        return frame;
      } catch {
        sessions.delete(frame);
      }
    }
    return scope.owner().page();
  }
  return 'page' in scope && typeof scope.page === 'function' ? (scope as Locator).page() : (scope as Page);
}

/**
 * Every focusable node without a name (what a screen reader would announce as just "button"): the tab's pages
 * must have none. axe-core cannot see ElementInternals roles, so this covers the Fluent controls it misses.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await session(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  const controls = new Set([
    'button',
    'radio',
    'checkbox',
    'textbox',
    'combobox',
    'tab',
    'link',
    'spinbutton',
    'switch',
  ]);
  return nodes
    .filter((n) => !n.ignored && controls.has(n.role?.value ?? '') && (n.name?.value ?? '').trim() === '')
    .map((n) => `${n.role?.value ?? '?'} #${n.backendDOMNodeId ?? '?'}`);
}
