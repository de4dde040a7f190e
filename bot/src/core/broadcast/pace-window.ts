/**
 * The broadcast pace as pure arithmetic on a small state every instance shares (docs/broadcast.md, "Pacing").
 *
 * Teams counts a bot's requests per app per tenant in a sliding one-second window and answers 429 to the request
 * that would go over. So the pace is a sliding window too: a request may go when the requests granted in the last
 * second plus a guard number fewer than the budget. A request that was granted late (a busy machine, a stall)
 * leaves no lost slot behind: the window only counts requests that were made, so the time is credited back.
 * The guard covers the jitter between taking a grant and the request reaching Teams; a 429 with the window full
 * shows more jitter than that, and widens the guard by 5 ms (up to 100 ms); each 30 s without such a 429 narrows it
 * by 5 ms again, so one stall costs a retry, not a slower campaign.
 *
 * A 429 is retried after its own Retry-After (the dispatcher does that). Everyone pauses only when Teams asks for
 * longer than a window (Retry-After of 2 s or more, or the growing backoff of a request refused again and again):
 * a one-second Retry-After for the app's window is already what the window waits for, and pausing every sender for
 * a whole second on each would cost far more than the 429 itself.
 *
 * The budget is the configured limit (`BROADCAST_RATE`; revisions of Teams' page say 50 and 30), unless Teams
 * showed a lower one: a 429 that came while clearly fewer than the budget were accepted in the window (more than a
 * tenth fewer) teaches the limit Teams enforces (the accepted count), at once and for every instance. One lesson at most halves the budget: a 429
 * that is not about the app's limit (a busy chat, a hiccup) must not slow a campaign to a crawl. Later the pacer
 * tries one more a second: 30 s after a lesson, twice as long after each try that fails, half as long after each
 * one that holds, so a limit that was raised back (or a lesson that was wrong) is found without a 429 storm.
 */

/** How the pace is set. */
export interface PaceRules {
  /** Requests per window Headshot is configured to stay under (all instances together). */
  limit: number;
  /** Teams' window: 1,000 ms. */
  windowMs: number;
  /** Added to the window Headshot counts in, for the jitter between a grant and its arrival. */
  guardMs: number;
  /** How long a learned limit holds before one more a window is tried; doubles after each failed try. */
  probeMs: number;
}

/** The shared state (one row in the store). Times are epoch ms. */
export interface PaceState {
  /** Grant times still in the window (window + guard), oldest first. */
  grants: number[];
  /** Grant times of requests Teams refused with 429, for two windows. */
  refused: number[];
  /** No grant before this (a 429's Retry-After longer than a window). */
  pausedUntil: number;
  /** Guard added after 429s with the window full (more jitter than the configured guard covers). */
  extraGuardMs: number;
  /** When the last such 429 came, or the guard last narrowed. */
  jitterAt: number;
  /** The limit per window Teams showed, when lower than `rules.limit`; null while none is learned. */
  learned: number | null;
  /** When the budget last changed: a 429 on a request granted before it says nothing about the new budget. */
  changedAt: number;
  /** When to try one more than the learned limit. */
  probeAt: number;
  /** The wait before the next try, doubled after each failed one and halved after each that held. */
  probeGapMs: number;
  /** The last change was a try upward (and no 429 has undone it yet). */
  raising: boolean;
  /** When 429s that looked like jitter came, for `JITTER_EVIDENCE_MS`: several close together are a limit. */
  nearMisses: number[];
}

/** The answer to "may I send now?". */
export type PaceAnswer = { grantedAt: number } | { waitUntil: number };

/** The longest a learned limit holds between two tries (10 minutes). */
const MAX_PROBE_GAP_MS = 600_000;
/** What one 429 with the window full adds to the guard, the most it adds in all, and how soon a step goes again. */
const JITTER_STEP_MS = 5;
const MAX_EXTRA_GUARD_MS = 100;
const JITTER_NARROW_MS = 30_000;
/**
 * How far below the budget the count a 429 shows may be and still be jitter: a tenth of the budget, 1 at least.
 * A window of Teams' length holds fewer grants than the budget (the guard), and a sender that stalls between
 * grants and sends moves a few requests into the next window (measured: 47 of 50). Revisions of Teams' page differ
 * far more than that (30 and 50); a real limit within a tenth of the budget is met by the wider guard instead.
 */
const JITTER_SHARE = 0.1;
/**
 * Jitter is sparse (a stall moves a few requests once); a limit a little under the budget refuses again and again.
 * This many episodes of 429s that look like jitter (a window apart) within `JITTER_EVIDENCE_MS` are the limit.
 */
const JITTER_EVIDENCE = 3;
const JITTER_EVIDENCE_MS = 10_000;

/** The span the window counts grants in: Teams' window, the guard, and what jitter added to it lately. */
function spanOf(state: PaceState, rules: PaceRules, nowMs: number): number {
  const steps = Math.floor((nowMs - state.jitterAt) / JITTER_NARROW_MS);
  if (state.extraGuardMs > 0 && steps > 0) {
    state.extraGuardMs = Math.max(0, state.extraGuardMs - steps * JITTER_STEP_MS);
    state.jitterAt += steps * JITTER_NARROW_MS;
  }
  return rules.windowMs + rules.guardMs + state.extraGuardMs;
}

/** A state with nothing sent. */
export function emptyPaceState(): PaceState {
  return {
    grants: [],
    refused: [],
    pausedUntil: 0,
    extraGuardMs: 0,
    jitterAt: 0,
    learned: null,
    changedAt: 0,
    probeAt: 0,
    probeGapMs: 0,
    raising: false,
    nearMisses: [],
  };
}

/** Requests per window the pace allows now. */
export function paceBudget(state: PaceState, rules: PaceRules): number {
  return Math.max(1, Math.floor(Math.min(rules.limit, state.learned ?? rules.limit)));
}

function prune(state: PaceState, rules: PaceRules, nowMs: number): void {
  const span = spanOf(state, rules, nowMs);
  let i = 0;
  while (i < state.grants.length && (state.grants[i] as number) <= nowMs - span) i++;
  if (i > 0) state.grants.splice(0, i);
  state.refused = state.refused.filter((t) => t > nowMs - 2 * rules.windowMs);
}

/**
 * Grants one request now when the window has room and no pause is in force; else says when to ask again.
 * Changes `state` in place.
 */
export function tryGrant(state: PaceState, rules: PaceRules, nowMs: number): PaceAnswer {
  if (nowMs < state.pausedUntil) return { waitUntil: state.pausedUntil };
  if (state.learned !== null && nowMs >= state.probeAt) {
    // Time to see whether Teams allows one more a window again; the previous try held when it was one.
    if (state.raising) state.probeGapMs = Math.max(rules.probeMs / 8, state.probeGapMs / 2);
    state.learned += 1;
    state.raising = true;
    state.changedAt = nowMs;
    state.probeAt = nowMs + state.probeGapMs;
    if (state.learned >= rules.limit) state.learned = null;
  }
  prune(state, rules, nowMs);
  const budget = paceBudget(state, rules);
  const span = spanOf(state, rules, nowMs);
  if (state.grants.length >= budget)
    return { waitUntil: (state.grants[state.grants.length - budget] as number) + span };
  // Half the even spacing at least, so that a window is not spent in one burst (bursts widen the jitter).
  const last = state.grants[state.grants.length - 1];
  const minGap = rules.windowMs / budget / 2;
  if (last !== undefined && nowMs < last + minGap) return { waitUntil: Math.ceil(last + minGap) };
  state.grants.push(nowMs);
  return { grantedAt: nowMs };
}

/**
 * After Teams answered 429 to a request granted at `grantedAt`: nobody sends before `untilMs`, and what the
 * refusal shows about the limit is learned. Changes `state` in place.
 */
export function noteThrottled(
  state: PaceState,
  rules: PaceRules,
  grantedAt: number,
  untilMs: number,
  nowMs: number,
): void {
  if (untilMs - nowMs > rules.windowMs + rules.guardMs) state.pausedUntil = Math.max(state.pausedUntil, untilMs);
  prune(state, rules, nowMs);
  // An answer this late, or to a request granted before the budget last changed (paced by the old budget),
  // teaches nothing new.
  const known = state.grants.length > 0 && grantedAt >= (state.grants[0] as number);
  if (!known || grantedAt < state.changedAt) {
    state.refused.push(grantedAt);
    return;
  }
  const from = grantedAt - rules.windowMs;
  const inWindow = (t: number) => t > from && t <= grantedAt;
  // What Teams had accepted in its window when it refused: the grants up to this one (less itself), less those it
  // refused.
  const accepted = state.grants.filter(inWindow).length - 1 - state.refused.filter(inWindow).length;
  state.refused.push(grantedAt);
  const budget = paceBudget(state, rules);
  const half = Math.max(1, Math.ceil(budget / 2));
  const doubled = Math.min(MAX_PROBE_GAP_MS, Math.max(rules.probeMs, state.probeGapMs * 2));
  if (accepted >= budget - Math.max(1, Math.ceil(budget * JITTER_SHARE))) {
    if (state.raising) {
      // The try of one more a window failed: back to the limit that held, and wait twice as long to try again.
      state.learned = Math.max(1, budget - 1);
      state.probeGapMs = doubled;
    } else {
      // One stall refuses a few requests at once: 429s within a window of the last one are the same episode.
      const recent = state.nearMisses.filter((t) => t > nowMs - JITTER_EVIDENCE_MS);
      const last = recent[recent.length - 1];
      state.nearMisses = last !== undefined && nowMs - last < rules.windowMs ? recent : [...recent, nowMs];
      if (state.nearMisses.length < JITTER_EVIDENCE) {
        // A refusal with the window (nearly) full at a limit that holds is jitter: a wider guard, no lesson.
        state.extraGuardMs = Math.min(MAX_EXTRA_GUARD_MS, state.extraGuardMs + JITTER_STEP_MS);
        state.jitterAt = nowMs;
        return;
      }
      // Refused again and again with the window nearly full: Teams' limit is a little lower than the budget.
      state.nearMisses = [];
      state.probeGapMs = state.learned === null ? rules.probeMs : doubled;
      state.learned = Math.max(half, Math.min(accepted, budget - 1));
    }
  } else {
    // Teams refused with clearly fewer accepted than the budget: that count is its limit (halving it at most).
    state.probeGapMs = state.learned === null ? rules.probeMs : doubled;
    state.learned = Math.max(half, accepted);
  }
  state.raising = false;
  state.changedAt = nowMs;
  state.probeAt = Math.max(nowMs, state.pausedUntil) + state.probeGapMs;
}
