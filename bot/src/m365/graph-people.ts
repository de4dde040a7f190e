/**
 * People facts the tab needs from Microsoft Graph beyond the Directory port: whether someone
 * has direct reports (`/users/{id}/directReports`), and the list of people with their job
 * titles (`/users`, for local mode's demo sign-in). User.Read.All.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { fromGraphError } from './graph-errors';

/** A person as the demo sign-in lists them. */
export interface PersonSummary {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle?: string;
  accountEnabled: boolean;
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

interface GraphPerson {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  jobTitle?: string | null;
  accountEnabled?: boolean | null;
}

/** Pages read at most (999 people each): the demo list is for small tenants. */
const MAX_PAGES = 5;

/** Reads people and reporting lines through the Graph client. */
export class GraphPeople {
  constructor(private readonly graph: Client) {}

  /** Whether the user manages anyone (one direct report is enough). */
  async hasDirectReports(userId: string): Promise<boolean> {
    try {
      const page = (await this.graph
        .api(`/users/${encodeURIComponent(userId)}/directReports`)
        .select('id')
        .top(1)
        .get()) as Page<{ id: string }>;
      return (page.value ?? []).length > 0;
    } catch (err) {
      throw fromGraphError(err);
    }
  }

  /** Everyone in the directory, in Graph's order (at most MAX_PAGES pages). */
  async list(): Promise<PersonSummary[]> {
    const people: PersonSummary[] = [];
    try {
      let page = (await this.graph
        .api('/users')
        .select('id,displayName,userPrincipalName,jobTitle,accountEnabled')
        .top(999)
        .get()) as Page<GraphPerson>;
      for (let n = 1; ; n++) {
        for (const p of page.value ?? [])
          people.push({
            id: p.id,
            displayName: p.displayName ?? p.userPrincipalName ?? p.id,
            userPrincipalName: p.userPrincipalName ?? '',
            ...(p.jobTitle ? { jobTitle: p.jobTitle } : {}),
            accountEnabled: p.accountEnabled !== false,
          });
        const next = page['@odata.nextLink'];
        if (!next || n >= MAX_PAGES) return people;
        page = (await this.graph.api(next).get()) as Page<GraphPerson>;
      }
    } catch (err) {
      throw fromGraphError(err);
    }
  }
}
