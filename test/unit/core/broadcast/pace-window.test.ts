/**
 * The broadcast pace (core/broadcast/pace-window.ts): a sliding window that credits back time a late sender did not
 * use, and a limit learned from Teams' 429s. The simulations run the pace against the local tenant's own connector
 * limiter (Teams' per-app sliding window) on a virtual clock, one millisecond at a time, with arrival jitter.
 */
import {
  emptyPaceState,
  noteThrottled,
  paceBudget,
  tryGrant,
  type PaceRules,
} from '../../../../bot/src/core/broadcast/pace-window';
import { TeamsConnectorRateLimiter } from '../../../../emulator/connector/rate-limit';

const RULES: PaceRules = { limit: 50, windowMs: 1000, guardMs: 15, probeMs: 30_000 };

/** A small seeded generator, so a simulation is the same every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Simulation {
  /** Requests Teams accepted, and when. */
  acceptedAt: number[];
  /** 429s. */
  refused: number;
  /** The pace's budget at the end. */
  budget: number;
}

/**
 * A sender pacing with `rules` against Teams enforcing `enforced` a second. Each request reaches Teams 1 ms plus up
 * to `jitterMs` after its grant; a 429's answer comes back 2 ms later and pauses the pace for its Retry-After (at
 * least 1 s). `stalls` are spans when the sender asks nothing (a busy machine); `holds` are spans when requests
 * granted in them leave only at the span's end, all at once (the sender's event loop blocked between grant and send).
 */
function simulate(o: {
  enforced: number;
  rules: PaceRules;
  seconds: number;
  jitterMs: number;
  seed: number;
  stalls?: Array<[number, number]>;
  holds?: Array<[number, number]>;
}): Simulation {
  const teams = new TeamsConnectorRateLimiter(true);
  teams.configure({ appPerSecond: o.enforced, retryAfter: 'always' });
  const state = emptyPaceState();
  const rnd = random(o.seed);
  const arrivals = new Map<number, number[]>(); // arrival time -> grant times
  const answers = new Map<number, Array<{ grant: number; retryAfterMs: number }>>();
  const acceptedAt: number[] = [];
  let refused = 0;
  let askAt = 0;
  let n = 0;
  for (let now = 0; now < o.seconds * 1000; now++) {
    for (const grant of arrivals.get(now) ?? []) {
      const d = teams.check('bot', 'send', `conversation-${n++}`, now);
      if (d.allowed) acceptedAt.push(now);
      else {
        refused++;
        const list = answers.get(now + 2) ?? [];
        list.push({ grant, retryAfterMs: (d.retryAfterSeconds ?? 1) * 1000 });
        answers.set(now + 2, list);
      }
    }
    arrivals.delete(now);
    for (const a of answers.get(now) ?? [])
      noteThrottled(state, o.rules, a.grant, now + Math.max(1000, a.retryAfterMs), now);
    answers.delete(now);
    if ((o.stalls ?? []).some(([from, to]) => now >= from && now < to)) continue;
    if (now < askAt) continue;
    const answer = tryGrant(state, o.rules, now);
    if ('grantedAt' in answer) {
      const held = (o.holds ?? []).find(([from, to]) => now >= from && now < to);
      const at = (held ? held[1] : now) + 1 + Math.floor(rnd() * (o.jitterMs + 1));
      arrivals.set(at, [...(arrivals.get(at) ?? []), now]);
    } else askAt = answer.waitUntil;
  }
  return { acceptedAt, refused, budget: paceBudget(state, o.rules) };
}

/** The most requests Teams accepted in any one-second window. */
function busiestSecond(times: number[]): number {
  let most = 0;
  let from = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[from] as number) <= (times[i] as number) - 1000) from++;
    most = Math.max(most, i - from + 1);
  }
  return most;
}

test('a window has room for the budget, half-evenly spaced, and then for one more when its oldest grant leaves it', () => {
  const rules = { ...RULES, limit: 4 };
  const s = emptyPaceState();
  expect(tryGrant(s, rules, 0)).toEqual({ grantedAt: 0 });
  expect(tryGrant(s, rules, 10)).toEqual({ waitUntil: 125 });
  for (const t of [125, 250, 375]) expect(tryGrant(s, rules, t)).toEqual({ grantedAt: t });
  expect(tryGrant(s, rules, 400)).toEqual({ waitUntil: 1015 });
  expect(tryGrant(s, rules, 1014)).toEqual({ waitUntil: 1015 });
  expect(tryGrant(s, rules, 1015)).toEqual({ grantedAt: 1015 });
});

test('time a stalled sender did not use is credited back: after a stall the window is full again at once', () => {
  const rules = { ...RULES, limit: 10 };
  const s = emptyPaceState();
  expect(tryGrant(s, rules, 0)).toEqual({ grantedAt: 0 });
  // The sender stalls for 900 ms. A fixed slot every 100 ms would have lost 8 of them; the window lost none.
  let granted = 1;
  for (let t = 900; t < 1000; t++) if ('grantedAt' in tryGrant(s, rules, t)) granted++;
  expect(granted).toBe(3); // 900, 950 (half the even spacing), and nothing more before the first grant leaves
  const later: number[] = [];
  for (let t = 1000; t < 2015; t++) {
    const a = tryGrant(s, rules, t);
    if ('grantedAt' in a) later.push(a.grantedAt);
  }
  expect(later).toHaveLength(10);
});

test('a 429 with the window full is jitter: the guard widens for a while, nobody pauses, nothing is learned', () => {
  const s = emptyPaceState();
  for (let t = 0; t < 1000; t += 10) tryGrant(s, RULES, t);
  expect(s.grants).toHaveLength(50);
  expect(s.grants[49]).toBe(490);
  // Retry-After: 1 s, for that request only.
  noteThrottled(s, RULES, 490, 1_495, 495);
  expect(s.learned).toBeNull();
  expect(s.pausedUntil).toBe(0);
  // The first grant leaves the window 1,000 + 15 + 5 ms after it was made.
  expect(tryGrant(s, RULES, 1_015)).toEqual({ waitUntil: 1_020 });
  expect(tryGrant(s, RULES, 1_020)).toEqual({ grantedAt: 1_020 });
  // 30 s without such a 429 narrows it back.
  expect(tryGrant(s, RULES, 30_494)).toEqual({ grantedAt: 30_494 });
  expect(s.extraGuardMs).toBe(5);
  expect(tryGrant(s, RULES, 30_495)).toEqual({ waitUntil: 30_504 });
  expect(s.extraGuardMs).toBe(0);
});

test('a Retry-After longer than a window pauses every sender until it ends', () => {
  const s = emptyPaceState();
  expect(tryGrant(s, RULES, 0)).toEqual({ grantedAt: 0 });
  noteThrottled(s, RULES, 0, 5_010, 10);
  expect(tryGrant(s, RULES, 20)).toEqual({ waitUntil: 5_010 });
  expect(tryGrant(s, RULES, 5_010)).toEqual({ grantedAt: 5_010 });
});

test('a 429 with fewer accepted teaches the lower limit; older refusals teach nothing more; tries go up slowly', () => {
  const s = emptyPaceState();
  // 40 grants in 400 ms; Teams refuses the 31st: it allows 30.
  for (let t = 0; t < 400; t += 10) expect('grantedAt' in tryGrant(s, RULES, t)).toBe(true);
  // The answer to the 31st comes back after the 40th was granted.
  noteThrottled(s, RULES, 300, 1_400, 395);
  expect(s.learned).toBe(30);
  // The 32nd to 40th were granted before Teams' limit was learned: their 429s pause, and leave the limit alone.
  for (let g = 310; g < 400; g += 10) noteThrottled(s, RULES, g, 1_000 + g, 396 + g / 10);
  expect(s.learned).toBe(30);
  expect(paceBudget(s, RULES)).toBe(30);
  // Nobody pauses for the one-second Retry-Afters: the window waits until only 29 of the 40 grants are in it.
  expect(s.pausedUntil).toBe(0);
  expect(tryGrant(s, RULES, 1_000)).toEqual({ waitUntil: 1_115 });
  // 30 s after the lesson: one more a second is tried.
  expect(s.probeAt).toBe(395 + 30_000);
  tryGrant(s, RULES, 31_400);
  expect(s.learned).toBe(31);
  // Teams refuses the try: back to 30, and twice as long before the next.
  for (let t = 31_400; t < 32_100; t += 20) tryGrant(s, RULES, t);
  expect(s.grants).toHaveLength(31);
  const grant = s.grants[30] as number;
  noteThrottled(s, RULES, grant, grant + 1_000, grant + 3);
  expect(s.learned).toBe(30);
  expect(s.probeGapMs).toBe(60_000);
  // Tries that succeed climb back to the configured limit, which ends the learned one.
  s.learned = 49;
  s.probeAt = 100_000;
  tryGrant(s, RULES, 100_000);
  expect(s.learned).toBeNull();
  expect(paceBudget(s, RULES)).toBe(50);
});

test('at the limit Teams enforces, the pace uses at least 0.97 of it with no 429 and never fills a second', () => {
  const sim = simulate({ enforced: 50, rules: RULES, seconds: 120, jitterMs: 12, seed: 1 });
  expect(sim.refused).toBe(0);
  expect(busiestSecond(sim.acceptedAt)).toBeLessThanOrEqual(50);
  expect(sim.acceptedAt.length / (120 * 50)).toBeGreaterThanOrEqual(0.97);
});

test('stalls cost no more than their own length: the window is used again at once after each', () => {
  const stalls: Array<[number, number]> = Array.from({ length: 20 }, (_, i) => [i * 6_000 + 2_000, i * 6_000 + 2_400]);
  const sim = simulate({ enforced: 50, rules: RULES, seconds: 120, jitterMs: 8, seed: 2, stalls });
  expect(sim.refused).toBe(0);
  // 8 s of stalls out of 120: 0.97 of the 112 s the sender could send.
  expect(sim.acceptedAt.length / (112 * 50)).toBeGreaterThanOrEqual(0.97);
});

test('requests bunched by a sender that stalls after granting are jitter: no limit learned, 0.97 of the limit', () => {
  // Measured in bench/broadcast.ts: such a 429 showed 47 of 50 accepted in its window, and the pace "learned" 47,
  // then took a minute and a half of tries to climb back. Every 7 s the sender holds what it granted for 40 ms.
  const holds = Array.from({ length: 17 }, (_, i): [number, number] => [i * 7_000 + 3_000, i * 7_000 + 3_040]);
  const sim = simulate({ enforced: 50, rules: RULES, seconds: 120, jitterMs: 8, seed: 7, holds });
  expect(sim.refused).toBeGreaterThan(0);
  expect(sim.budget).toBe(50);
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
  expect(sim.acceptedAt.length / (120 * 50)).toBeGreaterThanOrEqual(0.97);
});

test('a real limit within a tenth of the budget (48 of 50) is met by the wider guard: 429s stay rare', () => {
  const sim = simulate({ enforced: 48, rules: RULES, seconds: 600, jitterMs: 8, seed: 8 });
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
  expect(busiestSecond(sim.acceptedAt)).toBeLessThanOrEqual(48);
  expect(sim.acceptedAt.length / (600 * 48)).toBeGreaterThanOrEqual(0.93);
});

test('configured for 50 while Teams enforces 30: converges within 3 s, then 0.97 of 30 with rare 429s', () => {
  const sim = simulate({ enforced: 30, rules: RULES, seconds: 600, jitterMs: 8, seed: 3 });
  expect(sim.budget).toBe(30);
  const after = (t: number) => sim.acceptedAt.filter((a) => a >= t).length;
  // From the third second on, at least 0.97 of 30 a second.
  expect(after(3_000) / (597 * 30)).toBeGreaterThanOrEqual(0.97);
  // The first lesson and the slow tries upward (30, 60, 120, 240 s apart): at most 0.1% of requests refused.
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
  expect(busiestSecond(sim.acceptedAt)).toBeLessThanOrEqual(30);
});

test('a 429 that is not about the app limit halves the budget at most, and tries that hold win the rest back soon', () => {
  const s = emptyPaceState();
  for (let t = 0; t < 40; t += 10) tryGrant(s, RULES, t);
  // A busy chat's 429 with 2 accepted in the window: the budget halves, it does not fall to 2.
  noteThrottled(s, RULES, 20, 1_030, 25);
  expect(paceBudget(s, RULES)).toBe(25);
  // With nothing refused, each try comes sooner than the one before: back to the full 50 within three minutes.
  let t = 1_030;
  while (s.learned !== null && t < 180_000) {
    tryGrant(s, RULES, t);
    t += 100;
  }
  expect(s.learned).toBeNull();
  expect(t).toBeLessThan(180_000);
});

test('configured three times too high (150 while Teams enforces 50): two lessons, then the whole limit', () => {
  const sim = simulate({ enforced: 50, rules: { ...RULES, limit: 150 }, seconds: 300, jitterMs: 8, seed: 4 });
  expect(sim.budget).toBe(50);
  expect(sim.acceptedAt.filter((a) => a >= 5_000).length / (295 * 50)).toBeGreaterThanOrEqual(0.97);
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
});

test('more jitter than the guard covers (up to 40 ms): the guard widens after a few 429s and they stop', () => {
  const sim = simulate({ enforced: 50, rules: RULES, seconds: 600, jitterMs: 40, seed: 5 });
  expect(sim.refused).toBeGreaterThan(0);
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
  expect(sim.acceptedAt.length / (600 * 50)).toBeGreaterThanOrEqual(0.93);
});

test('at a learned limit, a 429 with the window full is jitter too: the limit stays, only a failed try lowers it', () => {
  const s = emptyPaceState();
  s.learned = 30;
  s.probeAt = 1e12;
  s.probeGapMs = 30_000;
  for (let t = 0; t < 1000; t += 10) tryGrant(s, RULES, t);
  expect(s.grants).toHaveLength(30);
  noteThrottled(s, RULES, s.grants[29] as number, 2_000, 1_000);
  expect([s.learned, s.extraGuardMs, s.probeGapMs]).toEqual([30, 5, 30_000]);
  // The same refusal while trying 31 is the try failing: back to 30, twice as long before the next try.
  const t = emptyPaceState();
  t.learned = 30;
  t.probeAt = 0;
  t.probeGapMs = 30_000;
  for (let at = 0; at < 1000; at += 10) tryGrant(t, RULES, at);
  expect([t.learned, t.grants.length]).toEqual([31, 31]);
  noteThrottled(t, RULES, t.grants[30] as number, 2_000, 1_000);
  expect([t.learned, t.probeGapMs, t.extraGuardMs]).toEqual([30, 60_000, 0]);
});

test('configured for 50 while Teams enforces 30, with 30 ms of jitter: the limit learned stays within one of 30', () => {
  // Jitter as wide as a request's share of the window blurs the count a 429 shows by one either way.
  const sim = simulate({ enforced: 30, rules: RULES, seconds: 600, jitterMs: 30, seed: 6 });
  expect(sim.budget).toBeGreaterThanOrEqual(29);
  expect(sim.budget).toBeLessThanOrEqual(30);
  expect(sim.acceptedAt.filter((a) => a >= 3_000).length / (597 * 30)).toBeGreaterThanOrEqual(0.93);
  expect(sim.refused).toBeLessThanOrEqual(Math.ceil(sim.acceptedAt.length / 1000));
});
