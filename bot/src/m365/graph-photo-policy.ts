/** The tenant photo policy on Microsoft Graph (beta `admin/people/photoUpdateSettings`, PeopleSettings.Read.All). */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { PhotoPolicy, PhotoPolicySource } from '../core/photo/profile-photo-ports';
import { fromGraphError } from './graph-errors';

/** Reads `GET /beta/admin/people/photoUpdateSettings` (the setting exists in beta only). */
export class GraphPhotoPolicy implements PhotoPolicySource {
  constructor(private readonly graph: Client) {}

  async get(): Promise<PhotoPolicy> {
    try {
      const body = (await this.graph.api('/admin/people/photoUpdateSettings').version('beta').get()) as {
        source?: string;
        allowedRoles?: string[];
      };
      return {
        source: body.source === 'onPremises' ? 'onPremises' : 'cloud',
        allowedRoles: Array.isArray(body.allowedRoles) ? body.allowedRoles : [],
      };
    } catch (err) {
      throw fromGraphError(err);
    }
  }
}
