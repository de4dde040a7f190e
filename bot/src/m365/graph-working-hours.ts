/**
 * WorkingHoursReader on Microsoft Graph: `GET /users/{id}/mailboxSettings` for many people through `$batch`
 * (MailboxSettings.Read). A person without an Exchange Online mailbox (guests, unlicensed, on-premises mailboxes:
 * `MailboxNotEnabledForRESTAPI`) has no working hours to respect; one whose settings Graph would not give after the
 * runner's retries is left out, and their reminder is not held (quiet hours never lose a reminder).
 */
import type { WorkingHoursReader } from '../core/broadcast/broadcast-types';
import { workingHoursOf, type GraphMailboxHours, type WorkingHours } from '../core/broadcast/quiet-hours';
import type { GraphBatchRunner } from './graph-batch';

/** Graph's answers for a mailbox that is not in Exchange Online (or not there at all). */
const NO_MAILBOX = new Set(['MailboxNotEnabledForRESTAPI', 'MailboxNotHostedInExchangeOnline', 'ResourceNotFound']);

/** Reads working hours from mailbox settings. */
export class GraphWorkingHoursReader implements WorkingHoursReader {
  constructor(
    private readonly runner: GraphBatchRunner,
    private readonly onUnreadable?: (count: number) => void,
  ) {}

  async read(userIds: readonly string[]): Promise<Map<string, WorkingHours | null>> {
    const out = await this.runner.run(
      userIds.map((id, i) => ({
        id: String(i),
        method: 'GET' as const,
        url: `/users/${encodeURIComponent(id)}/mailboxSettings`,
      })),
    );
    const hours = new Map<string, WorkingHours | null>();
    let unreadable = 0;
    userIds.forEach((id, i) => {
      const answer = out.get(String(i));
      if (!answer || 'error' in answer) unreadable++;
      else if (answer.status >= 200 && answer.status < 300)
        hours.set(id, workingHoursOf(answer.body as GraphMailboxHours));
      else if (answer.status === 404 && NO_MAILBOX.has(codeOf(answer.body))) hours.set(id, null);
      else unreadable++;
    });
    if (unreadable > 0) this.onUnreadable?.(unreadable);
    return hours;
  }
}

const codeOf = (body: unknown): string => (body as { error?: { code?: string } } | undefined)?.error?.code ?? '';
