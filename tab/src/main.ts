/**
 * The personal tab's shell: finds the host (or runs standalone), signs the person in,
 * picks language and theme, and shows one page at a time with a navigation between
 * the pages the person may open. Pages get a PageContext and nothing else.
 */
import type { DemoPerson, LocalSignInResult, MeView, TabConfig, TabLocale } from '../../bot/src/api/tab-contract';
import { ApiError, type HostInfo, type PageContext, type PageId, type TabPage } from './page-context';
import { adminPage } from './pages/admin-page';
import { approvalsPage } from './pages/approvals-page';
import { myPhotoPage } from './pages/my-photo-page';
import { FetchApiClient, type TokenSource } from './shell/api-client';
import { browserTheme, detectHost, hostToken, notifyLoaded, submitDialog } from './shell/host';
import { applyFluentTheme } from './shell/fluent';
import { Translator, toLocale } from './shell/i18n';
import { clearSession, loadSession, saveSession } from './shell/session';
import { renderSignIn } from './shell/sign-in-view';
import { button, el } from './dom';

const PAGES: Record<PageId, TabPage> = { photo: myPhotoPage, approvals: approvalsPage, admin: adminPage };
const PAGE_IDS = Object.keys(PAGES) as PageId[];

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

function applyTheme(theme: HostInfo['theme']): void {
  applyFluentTheme(theme);
}

function pageFromUrl(): PageId {
  const id = new URLSearchParams(window.location.search).get('page');
  return PAGE_IDS.includes(id as PageId) ? (id as PageId) : 'photo';
}

function urlFor(page: PageId): string {
  const params = new URLSearchParams(window.location.search);
  params.set('page', page);
  return `${window.location.pathname}?${params.toString()}`;
}

/**
 * The ticket of a signed sign-in link (`#signin=…`), taken out of the address so that a reload or a shared
 * address does not carry it; null without one.
 */
function takeSignInTicket(): string | null {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const ticket = hash.get('signin');
  if (!ticket) return null;
  hash.delete('signin');
  const rest = hash.toString();
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
  return ticket;
}

/** The running tab. */
class Shell {
  private me: MeView | null = null;
  private hostTokenValue: string | null = null;
  private pageController: AbortController | null = null;
  private readonly main = byId<HTMLElement>('main');
  private readonly live = byId<HTMLElement>('live');
  readonly api: FetchApiClient;

  constructor(
    private readonly config: TabConfig,
    private readonly host: HostInfo,
    private readonly t: Translator,
    /** A locale chosen by the host or the link: the person's preferred language does not override it. */
    private readonly fixedLocale: boolean,
  ) {
    const tokens: TokenSource = host.kind === 'standalone' ? this.localTokens() : this.hostTokens();
    this.api = new FetchApiClient(tokens, () => this.t.locale, {
      network: () => this.t.common('networkError'),
      server: (status) => this.t.common('serverError', { status }),
    });
    byId('switch-person').addEventListener('click', () => {
      clearSession();
      this.me = null;
      void this.showSignIn();
    });
    window.addEventListener('popstate', () => {
      if (this.me) void this.showPage(pageFromUrl(), false);
    });
  }

  private hostTokens(): TokenSource {
    return {
      token: async () => (this.hostTokenValue ??= await hostToken()),
      refresh: async () => {
        try {
          this.hostTokenValue = await hostToken();
          return this.hostTokenValue;
        } catch {
          return null;
        }
      },
      ended: () => this.showHostAuthFailed(),
    };
  }

  private localTokens(): TokenSource {
    return {
      token: async () => loadSession()?.token ?? null,
      refresh: async () => null,
      ended: () => {
        clearSession();
        this.me = null;
        void this.showSignIn(this.t.common('signInAgain'));
      },
    };
  }

  /** Everything after host and config are known. */
  async start(): Promise<void> {
    this.translateChrome();
    if (this.host.kind !== 'standalone') {
      try {
        await this.signedIn();
      } catch (err) {
        // A refused token already showed its message (ended()); anything else says what went wrong.
        if (!isUnauthenticated(err)) this.showHostAuthFailed(err instanceof ApiError ? err.message : undefined);
      }
      notifyLoaded();
      return;
    }
    if (!this.config.localSignIn) {
      this.showMessage(this.t.common('hostOnlyTitle'), this.t.common('hostOnly'));
      return;
    }
    // A signed link from the bot (the editor in clients without dialogs) names the person: it wins over a stored one.
    const ticket = takeSignInTicket();
    if (ticket) {
      try {
        saveSession(await this.api.post<LocalSignInResult>('/api/local/sign-in', { ticket }));
      } catch (err) {
        await this.showSignIn(err instanceof ApiError ? err.message : undefined);
        return;
      }
      await this.signedIn();
      return;
    }
    if (loadSession()) {
      try {
        await this.signedIn();
      } catch (err) {
        // ended() already shows "sign in again" for a refused token; anything else: sign in anew.
        if (!isUnauthenticated(err)) await this.showSignIn(err instanceof ApiError ? err.message : undefined);
      }
      return;
    }
    await this.showSignIn();
  }

  /** Loads the signed-in person and shows the page the URL names. */
  private async signedIn(): Promise<void> {
    this.showLoading();
    const me = await this.api.get<MeView>('/api/me');
    this.me = me;
    if (!this.fixedLocale && me.preferredLocale && me.preferredLocale !== this.t.locale) {
      await this.t.setLocale(me.preferredLocale);
      this.translateChrome();
    }
    await this.showPage(pageFromUrl(), false);
  }

  private async showSignIn(notice?: string): Promise<void> {
    this.pageController?.abort();
    byId('app-nav').hidden = true;
    byId('account').hidden = true;
    this.showLoading();
    let people: DemoPerson[];
    try {
      people = await this.api.get<DemoPerson[]>('/api/local/people');
    } catch (err) {
      this.showMessage(this.t.common('signInTitle'), (err as Error).message);
      return;
    }
    document.title = `${this.t.common('signInTitle')} – ${this.t.common('appName')}`;
    renderSignIn(this.main, {
      t: (key, params) => this.t.common(key, params),
      people,
      notice,
      choose: async (person) => {
        saveSession(await this.api.post<LocalSignInResult>('/api/local/sign-in', { userId: person.id }));
        await this.signedIn();
      },
    });
  }

  private showHostAuthFailed(message?: string): void {
    this.pageController?.abort();
    this.main.replaceChildren(
      el('h1', {}, this.t.common('appName')),
      el('p', { class: 'error', role: 'alert' }, message ?? this.t.common('hostAuthFailed')),
      button(this.t.common('tryAgain'), () => {
        this.hostTokenValue = null;
        void this.signedIn().catch((err: unknown) => {
          if (!isUnauthenticated(err)) this.showHostAuthFailed(err instanceof ApiError ? err.message : undefined);
        });
      }),
    );
  }

  private showMessage(title: string, text: string): void {
    document.title = `${title} – ${this.t.common('appName')}`;
    this.main.replaceChildren(el('h1', {}, title), el('p', { class: 'notice' }, text));
  }

  private showLoading(): void {
    this.main.replaceChildren(el('p', { class: 'loading' }, this.t.common('loading')));
  }

  /** The words of the page around the pages: skip link, navigation label, account. */
  private translateChrome(): void {
    document.documentElement.lang = this.t.locale;
    byId('skip-link').textContent = this.t.common('skipToContent');
    byId('app-nav').setAttribute('aria-label', this.t.common('navLabel'));
    byId('switch-person').textContent = this.t.common('switchPerson');
  }

  private renderNav(current: PageId): void {
    const me = this.me as MeView;
    const visible = PAGE_IDS.filter((id) => PAGES[id].visible(me));
    const list = byId('nav-list');
    list.replaceChildren(
      ...visible.map((id) => {
        const a = el(
          'a',
          { href: urlFor(id), 'aria-current': id === current ? 'page' : undefined },
          this.t.common(`nav.${id}`),
        );
        a.addEventListener('click', (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey) return;
          e.preventDefault();
          void this.showPage(id, true);
        });
        return el('li', {}, a);
      }),
    );
    byId('app-nav').hidden = visible.length < 2;
    byId('account').hidden = false;
    byId('account-name').textContent = this.t.common('signedInAs', { name: me.displayName });
    byId('switch-person').hidden = this.host.kind !== 'standalone';
  }

  /**
   * Shows a page. The navigation offers only the pages `visible(me)` allows, but a page asked for by URL
   * is shown anyway: its API calls decide (an admin page opened by someone else meets the API's 403).
   */
  private async showPage(id: PageId, push: boolean): Promise<void> {
    if (push) window.history.pushState(null, '', urlFor(id));
    this.pageController?.abort();
    const controller = new AbortController();
    this.pageController = controller;
    this.renderNav(id);
    const page = PAGES[id];
    document.title = `${this.t.common(`nav.${id}`)} – ${this.t.common('appName')}`;
    this.main.replaceChildren();
    const ctx: PageContext = {
      api: this.api,
      t: this.t.forPage(id),
      locale: this.t.locale,
      config: this.config,
      me: this.me as MeView,
      host: this.host,
      announce: (message) => this.announce(message),
      signal: controller.signal,
      navigate: (next) => void this.showPage(next, true),
      closeDialog: (result) => {
        if (this.host.inDialog && this.host.kind !== 'standalone') submitDialog(result);
      },
    };
    if (push) this.main.focus();
    try {
      await page.render(this.main, ctx);
    } catch (err) {
      if (controller.signal.aborted) return;
      this.main.append(el('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  }

  private announce(message: string): void {
    // Clear first so the same sentence twice is read twice.
    this.live.textContent = '';
    window.setTimeout(() => {
      this.live.textContent = message;
    }, 50);
  }
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const inDialog = params.get('dialog') === '1';
  applyTheme(browserTheme());
  const configPromise = fetch('/api/tab/config', { headers: { Accept: 'application/json' } }).then((res) => {
    if (!res.ok) throw new Error(`config ${res.status}`);
    return res.json() as Promise<TabConfig>;
  });
  const detected = await detectHost(inDialog, applyTheme);
  applyTheme(detected.info.theme);
  document.documentElement.dataset.host = detected.info.kind;
  const chosen: TabLocale | undefined = toLocale(detected.locale) ?? toLocale(params.get('locale'));
  const t = await Translator.create(chosen ?? toLocale(navigator.language) ?? 'en', {
    photo: myPhotoPage.strings,
    approvals: approvalsPage.strings,
    admin: adminPage.strings,
  });
  document.documentElement.lang = t.locale;
  let config: TabConfig;
  try {
    config = await configPromise;
  } catch {
    byId('main').replaceChildren(
      el('h1', {}, t.common('appName')),
      el('p', { class: 'error', role: 'alert' }, t.common('configFailed')),
    );
    return;
  }
  await new Shell(config, detected.info, t, chosen !== undefined).start();
}

void boot();
