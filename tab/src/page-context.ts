/**
 * What the tab's shell (main.ts) gives each page, and what a page gives the shell.
 * Pages (my-photo, approvals, admin) depend on this file and on bot/src/api/tab-contract.ts
 * (type-only), never on each other or on the shell's internals.
 */
import type { MeView, TabConfig, TabLocale } from '../../bot/src/api/tab-contract';

/** Strings of one page: the same keys in every locale. `{{name}}` placeholders are interpolated by i18next. */
export type PageStrings = Record<TabLocale, Record<string, string>>;

/** Where the tab runs. */
export interface HostInfo {
  /** teams-js `app.getContext().app.host.name`, or 'standalone' (no host answered in time). */
  kind: 'teams' | 'outlook' | 'office' | 'standalone';
  /** The host's theme, followed live ('default' is light). */
  theme: 'default' | 'dark' | 'contrast';
  /** Dialogs (task modules) are available (`dialog.isSupported()`). */
  dialogs: boolean;
  /** The host lets the page use the camera (`media` capability or a standalone browser with getUserMedia). */
  camera: boolean;
  /** The page is open inside a Teams dialog (task module); on finish call `ctx.closeDialog()`. */
  inDialog: boolean;
}

/** A refused call: the server's localised message, or a network message in the page's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Calls the service with the caller's bearer token and Accept-Language; throws ApiError on any non-2xx answer. */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  /** POST raw bytes (the photo upload) with a content type; same errors. */
  upload<T>(path: string, body: Blob, contentType: string): Promise<T>;
  /** GET an image as an object URL (caller revokes), or null on 404. */
  image(path: string): Promise<string | null>;
  /** GET a file and hand it to the browser as a download named `filename`. */
  download(path: string, filename: string): Promise<void>;
}

/** What the shell gives a page while it is shown. */
export interface PageContext {
  api: ApiClient;
  /** The page's own strings (its `strings`), plus the shell's `common.*` keys. */
  t(key: string, params?: Record<string, string | number>): string;
  locale: TabLocale;
  config: TabConfig;
  me: MeView;
  host: HostInfo;
  /** Says `message` to screen readers (aria-live polite region of the shell). */
  announce(message: string): void;
  /** Aborted when the page is left: stop polling and timers with it. */
  signal: AbortSignal;
  /** Goes to another page. */
  navigate(page: PageId): void;
  /** Inside a dialog: closes it with an optional result for the bot; elsewhere does nothing. */
  closeDialog(result?: string): void;
}

/** The pages. */
export type PageId = 'photo' | 'approvals' | 'admin';

/** A page: its strings and how it draws itself into `root` (an empty `<main>` the shell owns). */
export interface TabPage {
  id: PageId;
  strings: PageStrings;
  /** Shown in the navigation only when this says so (the API refuses anyway). */
  visible(me: MeView): boolean;
  render(root: HTMLElement, ctx: PageContext): void | Promise<void>;
}
