/** SharedPace on SQL: one row holds the window every instance on the database draws from. */
import { z } from 'zod';
import {
  emptyPaceState,
  noteThrottled,
  tryGrant,
  type PaceAnswer,
  type PaceRules,
  type PaceState,
} from '../../core/broadcast/pace-window';
import type { SharedPace } from '../../core/broadcast/shared-pace';
import type { SqlDb, SqlExecutor } from '../sql/sql-db';

const stateSchema = z.object({
  grants: z.array(z.number()),
  refused: z.array(z.number()),
  pausedUntil: z.number(),
  extraGuardMs: z.number().nonnegative(),
  jitterAt: z.number(),
  learned: z.number().positive().nullable(),
  changedAt: z.number(),
  probeAt: z.number(),
  probeGapMs: z.number().nonnegative(),
  raising: z.boolean(),
  nearMisses: z.array(z.number()).default([]),
});

/** The stored state; a row the schema does not know (written by an older version, or empty) starts afresh. */
function parse(text: string | undefined): PaceState {
  if (!text) return emptyPaceState();
  try {
    const r = stateSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : emptyPaceState();
  } catch {
    return emptyPaceState();
  }
}

/** SharedPace in one row; each call reads and writes it in one transaction, so instances never share a grant. */
export class SqlSharedPace implements SharedPace {
  constructor(private readonly db: SqlDb) {}

  tryAcquire(rules: PaceRules, nowMs: number): Promise<PaceAnswer> {
    return this.change((state) => tryGrant(state, rules, nowMs));
  }

  throttled(rules: PaceRules, grantedAt: number, untilMs: number, nowMs: number): Promise<void> {
    return this.change((state) => noteThrottled(state, rules, grantedAt, untilMs, nowMs));
  }

  async learnedLimit(): Promise<number | null> {
    return parse(await this.read(this.db, '')).learned;
  }

  private async read(tx: SqlExecutor, lock: string): Promise<string | undefined> {
    return (await tx.get<{ pace_state: string }>(`SELECT pace_state FROM broadcast_pacer WHERE id = 1 ${lock}`))
      ?.pace_state;
  }

  private change<T>(step: (state: PaceState) => T): Promise<T> {
    // Read committed with the row locked: callers queue on the row instead of failing each other.
    return this.db.transaction(
      async (tx) => {
        const state = parse(await this.read(tx, this.db.dialect.forUpdate));
        const answer = step(state);
        await tx.run(`UPDATE broadcast_pacer SET pace_state = ? WHERE id = 1`, [JSON.stringify(state)]);
        return answer;
      },
      { isolation: 'read_committed' },
    );
  }
}
