/** Shows a running coverage scan on the admin's card: the card is replaced in place through the Bot Connector. */
import type { CoverageProgressSink } from '../core/coverage/coverage-service';
import type { CoverageCardTarget, CoverageView } from '../core/coverage/coverage-types';
import type { BotConnectorClient } from '../m365/bot-connector-client';
import { cardActivity } from './broadcast-transport';
import { coverageCard } from './cards/coverage-card';

/** CoverageProgressSink on the Bot Connector. */
export class TeamsCoverageSink implements CoverageProgressSink {
  constructor(private readonly connector: BotConnectorClient) {}

  async progress(view: CoverageView, target: CoverageCardTarget): Promise<void> {
    const ref = JSON.parse(target.reference) as { serviceUrl?: string; conversation?: { id?: string } };
    if (!ref.serviceUrl || !ref.conversation?.id) return;
    const answer = await this.connector.update(
      ref.serviceUrl,
      ref.conversation.id,
      target.activityId,
      cardActivity(coverageCard(target.locale, view)),
    );
    if (!answer.ok) throw new Error(`coverage card update answered ${answer.status}`);
  }
}
