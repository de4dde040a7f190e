/**
 * The host the tab runs in: Teams, Outlook or the Microsoft 365 app through teams-js,
 * or a plain browser tab ("standalone") when no host answers in time.
 */
import { app, authentication, dialog } from '@microsoft/teams-js';
import type { HostInfo } from '../page-context';

/** How long the host gets to answer `app.initialize()` (it never settles in a foreign frame). */
const HOST_TIMEOUT_MS = 3000;

/** The host as found at start-up, with its locale when it gave one. */
export interface DetectedHost {
  info: HostInfo;
  /** The host's locale (e.g. `fi-FI`), absent standalone. */
  locale?: string;
}

type Theme = HostInfo['theme'];

function hostTheme(theme: string | undefined): Theme {
  if (theme === 'dark') return 'dark';
  if (theme === 'contrast') return 'contrast';
  return 'default';
}

function hostKind(name: string | undefined): HostInfo['kind'] {
  const n = (name ?? '').toLowerCase();
  if (n.startsWith('outlook')) return 'outlook';
  if (n === 'office' || n === 'orange') return 'office';
  return 'teams';
}

/** The browser's own theme: forced colours first (Windows high contrast), then the colour scheme. */
export function browserTheme(): Theme {
  if (window.matchMedia('(forced-colors: active)').matches) return 'contrast';
  if (window.matchMedia('(prefers-color-scheme: dark)').matches) return 'dark';
  return 'default';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('host timeout')), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        window.clearTimeout(timer);
        reject(err);
      },
    );
  });
}

function standaloneCamera(): boolean {
  return typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/**
 * Finds the host: teams-js when a host answers within `timeoutMs`, else standalone.
 * `onTheme` is called whenever the theme changes later (host push or browser media change).
 */
export async function detectHost(
  inDialog: boolean,
  onTheme: (theme: Theme) => void,
  timeoutMs = HOST_TIMEOUT_MS,
): Promise<DetectedHost> {
  // A top-level page has no host to talk to: skip teams-js (it rejects at once anyway).
  if (window.parent !== window) {
    try {
      await withTimeout(app.initialize(), timeoutMs);
      const context = await withTimeout(app.getContext(), timeoutMs);
      app.registerOnThemeChangeHandler((theme) => onTheme(hostTheme(theme)));
      const clientType = String(context.app.host.clientType ?? '');
      const mobile = clientType === 'android' || clientType === 'ios' || clientType === 'ipados';
      return {
        info: {
          kind: hostKind(context.app.host.name),
          theme: hostTheme(context.app.theme),
          dialogs: safeSupported(() => dialog.isSupported()),
          // Mobile hosts open the camera from a file input with `capture`; desktop hosts need device permissions we do not ask for.
          camera: mobile,
          inDialog,
        },
        locale: context.app.locale,
      };
    } catch {
      // No host answered in time: run as a plain page.
    }
  }
  for (const query of ['(forced-colors: active)', '(prefers-color-scheme: dark)']) {
    window.matchMedia(query).addEventListener('change', () => onTheme(browserTheme()));
  }
  // Without a host there is no dialog to close, whatever the link says.
  return {
    info: { kind: 'standalone', theme: browserTheme(), dialogs: false, camera: standaloneCamera(), inDialog: false },
  };
}

function safeSupported(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** The host's SSO token for the signed-in person (host mode only). */
export function hostToken(): Promise<string> {
  return withTimeout(authentication.getAuthToken(), 30_000);
}

/** Tells the host the tab has loaded (hides its loading indicator). */
export function notifyLoaded(): void {
  void app.notifySuccess().catch(() => undefined);
}

/** Closes the dialog the tab runs in, handing `result` to the bot. */
export function submitDialog(result?: string): void {
  try {
    dialog.url.submit(result);
  } catch {
    // not in a dialog after all: nothing to close
  }
}
