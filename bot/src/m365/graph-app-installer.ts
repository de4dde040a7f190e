/** Installs Headshot for a user through Graph so the bot may open a chat with them (409: already installed). */
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { fromGraphError } from './graph-errors';

/** `POST /users/{id}/teamwork/installedApps` (TeamsAppInstallation.ReadWriteSelfForUser.All). */
export class GraphAppInstaller {
  constructor(
    private readonly graph: Client,
    /** The app's id in the tenant's app catalog. */
    private readonly teamsAppId: string,
  ) {}

  /** Installs the app for the user; succeeds when it was installed already. Throws AppError (m365.*). */
  async install(userId: string): Promise<void> {
    try {
      await this.graph.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).post({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.teamsAppId}`,
      });
    } catch (err) {
      if (err instanceof GraphError && err.statusCode === 409) return;
      throw fromGraphError(err);
    }
  }
}
