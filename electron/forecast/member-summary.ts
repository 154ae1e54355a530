import type { Trajectory } from '../model/sampler';
import type { Vocabulary } from '../model/vocabulary';

const DAYS_PER_YEAR = 365.25;

/** Forecast of one target code for one member. */
export interface CodeForecast {
  token: number;
  /** Share of trajectories with at least one occurrence within the horizon. */
  probability: number;
  ciLow: number;
  ciHigh: number;
  /** Mean days to the first occurrence, among trajectories that have one; null when none has. */
  expectedDays: number | null;
  /** Mean number of occurrences per trajectory. */
  expectedCount: number;
}

/** Kinds reported as forecast targets (the no-event token and input-only tokens are not events). */
export const TARGET_KINDS: ReadonlySet<string> = new Set([
  'condition',
  'admission',
  'vaccine',
  'death',
  'event',
]);

/** Probabilities below this are not reported (they read as under 0.01%). */
export const MIN_REPORTED_PROBABILITY = 1e-4;

/**
 * Summarise one member's sampled trajectories: for every target token, its
 * probability with an interval, the expected days to it and the expected count.
 *
 * The share of trajectories with the token moves in steps of 1/samples and is
 * 0 for most people when a code is rare, which ties everyone and ruins any
 * ranking. So the probability is Rao-Blackwellised instead: along a path on
 * which the token is never drawn, the chance that it occurs is
 * 1 - exp(-(its rate integrated to the end of the path)). A sampled path
 * equals such a path until the token first occurs. After that, the rate it had
 * just before is carried on to the end of the path (the horizon, or death).
 * This approximation matters only on paths where the token occurred. The
 * mean over paths is the probability, smooth for rare and common codes alike;
 * its interval is the mean plus or minus 1.96 standard errors.
 * Tokens whose probability is below MIN_REPORTED_PROBABILITY are left out.
 */
export function summarizeMember(
  trajectories: Trajectory[],
  vocabulary: Vocabulary,
  horizonYears: number,
): CodeForecast[] {
  const samples = trajectories.length;
  const hits = new Map<number, { trajectories: number; occurrences: number; daysSum: number }>();
  for (const trajectory of trajectories) {
    const firstDelay = new Map<number, number>();
    for (let i = 0; i < trajectory.tokens.length; i++) {
      const token = trajectory.tokens[i]!;
      if (!TARGET_KINDS.has(vocabulary.kind(token))) continue;
      let entry = hits.get(token);
      if (!entry) {
        entry = { trajectories: 0, occurrences: 0, daysSum: 0 };
        hits.set(token, entry);
      }
      entry.occurrences++;
      if (!firstDelay.has(token)) firstDelay.set(token, trajectory.delays[i]!);
    }
    for (const [token, delay] of firstDelay) {
      const entry = hits.get(token)!;
      entry.trajectories++;
      entry.daysSum += delay * DAYS_PER_YEAR;
    }
  }

  const forecasts: CodeForecast[] = [];
  for (let token = 0; token < vocabulary.size; token++) {
    if (!TARGET_KINDS.has(vocabulary.kind(token))) continue;
    const entry = hits.get(token);
    const { mean, variance } = smoothedProbability(trajectories, token, horizonYears);
    if (mean < MIN_REPORTED_PROBABILITY && !entry) continue;
    const half = 1.96 * Math.sqrt(variance);
    forecasts.push({
      token,
      probability: mean,
      ciLow: Math.max(0, mean - half),
      ciHigh: Math.min(1, mean + half),
      expectedDays: entry ? entry.daysSum / entry.trajectories : null,
      expectedCount: (entry?.occurrences ?? 0) / samples,
    });
  }
  return forecasts;
}

/** Mean over trajectories of the token's Rao-Blackwellised probability, and the variance of that mean. */
function smoothedProbability(
  trajectories: Trajectory[],
  token: number,
  horizonYears: number,
): { mean: number; variance: number } {
  const n = trajectories.length;
  let sum = 0;
  let sumSquares = 0;
  for (const trajectory of trajectories) {
    let hazard = trajectory.firstHazard[token]!;
    const rate = trajectory.firstRate[token]!;
    if (rate > 0) {
      const at = trajectory.delays[trajectory.tokens.indexOf(token)]!;
      // Death ends the path it is drawn on, but not the path on which it is never drawn.
      const diedOfOther = trajectory.died && trajectory.tokens.at(-1) !== token;
      const end = diedOfOther ? trajectory.delays.at(-1)! : horizonYears;
      hazard += rate * Math.max(0, end - at);
    }
    const value = 1 - Math.exp(-hazard);
    sum += value;
    sumSquares += value * value;
  }
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares / n - mean * mean) / (n - 1)) : mean * mean;
  return { mean, variance };
}
