/**
 * Installs Headshot for a user so the bot can write to them first (Graph
 * `/users/{id}/teamwork/installedApps`, TeamsAppInstallation.ReadWriteSelfForUser.All),
 * and finds the 1:1 chat of that installation.
 */
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { fromGraphError } from './graph-errors';

interface Installation {
  id: string;
  teamsApp?: { id?: string };
}

/** Installs the Teams app for users and finds its chat with them. */
export class GraphTeamsApps {
  constructor(
    private readonly graph: Client,
    /** The app's id in the tenant's app catalog (the manifest id for an org-published app). */
    private readonly teamsAppId: string,
  ) {}

  /** The id of the user's chat with the bot, installing the app for them first when needed. */
  async chatWith(userId: string): Promise<string> {
    const base = `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;
    try {
      let installation = await this.find(base);
      if (!installation) {
        try {
          await this.graph.api(base).post({
            'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.teamsAppId}`,
          });
        } catch (err) {
          // 409: installed meanwhile (by the user, or by a second Headshot instance): fine, look it up.
          if (!(err instanceof GraphError && err.statusCode === 409)) throw err;
        }
        installation = await this.find(base);
      }
      if (!installation) throw new Error(`app ${this.teamsAppId} not installed for ${userId} after install`);
      const chat = (await this.graph.api(`${base}/${encodeURIComponent(installation.id)}/chat`).get()) as {
        id?: string;
      };
      if (!chat.id) throw new Error('installation has no chat');
      return chat.id;
    } catch (err) {
      throw fromGraphError(err);
    }
  }

  private async find(base: string): Promise<Installation | undefined> {
    const page = (await this.graph
      .api(base)
      .filter(`teamsApp/id eq '${this.teamsAppId.replace(/'/g, "''")}'`)
      .expand('teamsApp')
      .get()) as { value?: Installation[] };
    return (page.value ?? []).find((i) => i.teamsApp?.id === this.teamsAppId);
  }
}
