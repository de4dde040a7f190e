/**
 * FollowUpMessenger through the outbox: the one message that says a new photo shows everywhere Headshot can check,
 * or the status card of what still does not, with its fixes. In the person's chat with Headshot (opened when they
 * have none, like a reminder); in their chat's language.
 */
import type { Locale } from '../../core/locale';
import {
  FOLLOWED_SYSTEMS,
  type FollowedSystem,
  type FollowUp,
  type FollowUpSchedule,
} from '../../core/status/follow-through-types';
import type { FollowUpMessenger } from '../../core/status/follow-through';
import type { StatusReport } from '../../core/status/status-types';
import { t } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { SendOutcome, TeamsOutbox } from '../../outbox/teams-outbox';
import { messageCard } from '../cards/message-card';
import { statusCardFor } from '../status-replies';

/** Tries of one message when Teams is throttling or busy, and the longest wait between them. */
const MAX_TRIES = 3;
const MAX_WAIT_SECONDS = 30;

/** "Outlook, SharePoint and Delve and your Microsoft 365 profile", as the language joins a list. */
export function systemList(locale: Locale, systems: readonly FollowedSystem[]): string {
  const names = systems.map((s) => t(locale, `follow_up.system.${s}`));
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
}

/** The systems in a state, in report order (Outlook first: it is what people look at). */
function systemsIn(f: FollowUp, state: 'visible' | 'waiting'): FollowedSystem[] {
  const order: FollowedSystem[] = ['exchange', 'sharepoint', 'entra'];
  return order.filter((s) => FOLLOWED_SYSTEMS.includes(s) && f.systems[s].state === state);
}

/** The sentence before the status card of a follow-up that found a system still waiting. */
export function notYetIntro(
  locale: Locale,
  f: FollowUp,
  final: boolean,
  schedule: Pick<FollowUpSchedule, 'limitHours'>,
): string {
  const waiting = systemList(locale, systemsIn(f, 'waiting'));
  if (!final) return t(locale, 'follow_up.partial', { shown: systemList(locale, systemsIn(f, 'visible')), waiting });
  const hours = schedule.limitHours;
  return hours % 24 === 0
    ? t(locale, 'follow_up.not_visible', { days: hours / 24, waiting })
    : t(locale, 'follow_up.not_visible_hours', { hours, waiting });
}

/** Sends follow-up messages through the outbox. */
export class TeamsFollowUpNotifier implements FollowUpMessenger {
  constructor(
    private readonly outbox: TeamsOutbox,
    private readonly logger: Logger,
    private readonly schedule: Pick<FollowUpSchedule, 'limitHours'>,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async visible(f: FollowUp): Promise<boolean> {
    return this.sent(() =>
      this.outbox.deliver(
        f.userId,
        (c) =>
          messageCard(c.locale, {
            kind: 'info',
            titleKey: 'follow_up.visible_title',
            messageKey: 'follow_up.visible',
            params: { systems: systemList(c.locale, systemsIn(f, 'visible')) },
          }),
        { locale: f.locale },
      ),
    );
  }

  async notYet(f: FollowUp, report: StatusReport, final: boolean): Promise<boolean> {
    return this.sent(() =>
      this.outbox.deliver(
        f.userId,
        (c) => statusCardFor(c.locale, report, notYetIntro(c.locale, f, final, this.schedule)),
        { locale: f.locale },
      ),
    );
  }

  /**
   * Sends, and sends again when Teams was certainly not given the message because it was throttled or busy (at most
   * three tries, after its Retry-After, at most 30 s): other senders share the app's rate limit with broadcasts.
   */
  private async sent(send: () => Promise<{ outcome: SendOutcome }>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const { outcome } = await send();
      if (outcome.kind === 'sent') return true;
      const again = outcome.kind === 'not_sent' && (outcome.reason === 'throttled' || outcome.reason === 'busy');
      if (again && attempt < MAX_TRIES) {
        await this.wait(Math.min(MAX_WAIT_SECONDS, outcome.retryAfterSeconds ?? attempt) * 1000);
        continue;
      }
      this.logger.warn({ outcome: outcome.kind, detail: outcome.detail, attempt }, 'follow-up message not sent');
      return false;
    }
  }
}
