/**
 * Where the editor (the tab's My photo page) lives: the URL a dialog opens, and a link for
 * clients without dialogs (the personal tab's deep link in Teams; the page itself in local mode).
 */
import type { Locale } from '../core/locale';
import { t } from '../i18n/i18n';

/** The tab's pages (manifest staticTabs entityIds). */
export type TabPageId = 'photo' | 'approvals' | 'admin';

/** The editor's two addresses for one user, and how the chat's client opens it. */
export interface EditorLinks {
  /** The My photo page in dialog mode (`&dialog=1`): the task module's url and fallbackUrl. */
  dialogUrl: string;
  /** What an Action.OpenUrl opens where dialogs are not available. */
  tabLink: string;
  /**
   * Whether the chat's client opens dialogs (task/fetch). Teams does; the Agents Playground does not (it only
   * warns "Task module (task/fetch) is not supported yet"), so there "Open the editor" opens `tabLink` instead.
   */
  dialogs: boolean;
}

/** A page of the tab under the service's public address; `dialog` marks it as opened in a dialog. */
export function tabPageUrl(publicBaseUrl: string, page: TabPageId, dialog = false): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/tab/index.html?page=${page}${dialog ? '&dialog=1' : ''}`;
}

/**
 * A deep link to a personal tab, in the documented form
 * `https://teams.microsoft.com/l/entity/<appId>/<entityId>?webUrl=<url>&label=<label>`.
 * `appId` is the manifest id for an uploaded custom app, the catalog id for an org catalog app.
 */
export function personalTabDeepLink(appId: string, entityId: string, webUrl: string, label: string): string {
  const query = new URLSearchParams({ webUrl, label }).toString().replace(/\+/g, '%20');
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${encodeURIComponent(entityId)}?${query}`;
}

/**
 * The editor's links. With a Teams app id: the personal tab's deep link. Without one (local mode, no Teams): the
 * page itself in the person's language, signed in as them when `signInTicket` is given (`#signin=`, a fragment,
 * so it never reaches a server log). `dialogs` defaults to true.
 */
export function editorLinksFor(args: {
  publicBaseUrl: string;
  teamsAppId?: string;
  locale: Locale;
  signInTicket?: string;
  dialogs?: boolean;
}): EditorLinks {
  const page = tabPageUrl(args.publicBaseUrl, 'photo');
  const local = `${page}&locale=${args.locale}${args.signInTicket ? `#signin=${args.signInTicket}` : ''}`;
  return {
    dialogUrl: tabPageUrl(args.publicBaseUrl, 'photo', true),
    tabLink: args.teamsAppId
      ? personalTabDeepLink(args.teamsAppId, 'photo', page, t(args.locale, 'editor.title'))
      : local,
    dialogs: args.dialogs ?? true,
  };
}
