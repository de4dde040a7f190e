/** Shows a running coverage scan on the admin's card: the card is replaced in place through the outbox. */
import type { CoverageProgressSink } from '../../core/coverage/coverage-service';
import type { CoverageCardTarget, CoverageView } from '../../core/coverage/coverage-types';
import type { TeamsOutbox } from '../../outbox/teams-outbox';
import { coverageCard } from '../cards/coverage-card';

/** CoverageProgressSink on the outbox. */
export class TeamsCoverageSink implements CoverageProgressSink {
  constructor(private readonly outbox: TeamsOutbox) {}

  async progress(view: CoverageView, target: CoverageCardTarget): Promise<void> {
    const outcome = await this.outbox.update(target.reference, target.activityId, coverageCard(target.locale, view));
    if (outcome.kind !== 'sent') throw new Error(`coverage card update: ${outcome.detail}`);
  }
}
