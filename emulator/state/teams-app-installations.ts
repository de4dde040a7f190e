/**
 * Teams apps installed in users' personal scope (Graph `/users/{id}/teamwork/installedApps`).
 * Installing a bot app gives the user a 1:1 chat with the bot; its id is what
 * `installedApps/{id}/chat` answers, and the Bot Connector stand-in accepts it.
 */

/** One installation of an app for one user. */
export interface AppInstallation {
  /** Graph's installation id (opaque, stable per user and app). */
  id: string;
  userId: string;
  teamsAppId: string;
  /** The 1:1 chat between the user and the app's bot. */
  chatId: string;
  installedAt: string;
}

/** Installations by user. */
export class TeamsAppInstallations {
  private readonly byUser = new Map<string, AppInstallation[]>();
  /** People who blocked the bot in their chat with it (Teams keeps the app installed). */
  private readonly blockedBy = new Set<string>();

  /** Installs `teamsAppId` for the user; `conflict` when it already is. */
  install(userId: string, teamsAppId: string, botId: string, nowIso: string): AppInstallation | 'conflict' {
    const key = userId.toLowerCase();
    const list = this.byUser.get(key) ?? [];
    if (list.some((i) => i.teamsAppId.toLowerCase() === teamsAppId.toLowerCase())) return 'conflict';
    const id = Buffer.from(`${userId}##${teamsAppId}`).toString('base64url');
    // The shape of a real bot 1:1 chat id: 19:{user's object id}_{bot's app id}@unq.gbl.spaces.
    const installation: AppInstallation = {
      id,
      userId,
      teamsAppId,
      chatId: `19:${userId}_${botId}@unq.gbl.spaces`,
      installedAt: nowIso,
    };
    this.byUser.set(key, [...list, installation]);
    return installation;
  }

  /** The user's installations, oldest first. */
  list(userId: string): AppInstallation[] {
    return [...(this.byUser.get(userId.toLowerCase()) ?? [])];
  }

  /** One installation of the user's, if any. */
  find(userId: string, installationId: string): AppInstallation | undefined {
    return this.list(userId).find((i) => i.id === installationId);
  }

  /** Uninstalls; false when there was no such installation. */
  remove(userId: string, installationId: string): boolean {
    const key = userId.toLowerCase();
    const list = this.byUser.get(key) ?? [];
    const rest = list.filter((i) => i.id !== installationId);
    this.byUser.set(key, rest);
    return rest.length !== list.length;
  }

  /** Whether the user has any app of the catalog installed (the local tenant's catalog holds one bot). */
  installedFor(userId: string): boolean {
    return this.list(userId).length > 0;
  }

  /** The user blocks (or unblocks) the bot: writes to their chat are refused while blocked. */
  setBlocked(userId: string, blocked: boolean): void {
    if (blocked) this.blockedBy.add(userId.toLowerCase());
    else this.blockedBy.delete(userId.toLowerCase());
  }

  /** Whether the user blocked the bot. */
  isBlocked(userId: string): boolean {
    return this.blockedBy.has(userId.toLowerCase());
  }

  /** Forgets every installation and block. */
  clear(): void {
    this.byUser.clear();
    this.blockedBy.clear();
  }
}
