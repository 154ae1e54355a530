import type { Trajectory } from '../model/sampler';
import type { Vocabulary } from '../model/vocabulary';
import { wilsonInterval } from './wilson';

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
export const TARGET_KINDS: ReadonlySet<string> = new Set(['condition', 'admission', 'vaccine', 'death', 'event']);

/** Probabilities below this are not reported (they read as under 0.01%). */
export const MIN_REPORTED_PROBABILITY = 1e-4;

/**
 * Summarise one member's sampled trajectories: for every target token, its
 * probability with an interval, the expected days to it and the expected count.
 *
 * Two unbiased estimates of the probability are at hand: the share of
 * trajectories with the token, and the mean over trajectories of its
 * first-occurrence hazard (the rate integrated until it first occurs, death
 * or the horizon; by the compensator identity its expectation is the
 * probability). The share moves in steps of 1/samples and is 0 for most
 * people when a code is rare, which ties everyone at 0 and ruins ranking; the
 * hazard is smooth but noisy for codes that occur several times a year. Each
 * token uses the one with the smaller estimated variance, the share's
 * variance taken at the hazard estimate so a share of 0 does not look exact.
 * Tokens whose probability is below MIN_REPORTED_PROBABILITY are left out.
 */
export function summarizeMember(
  trajectories: Trajectory[],
  vocabulary: Vocabulary,
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
    const share = (entry?.trajectories ?? 0) / samples;
    const hazard = hazardEstimate(trajectories, token);
    let probability = share;
    let [ciLow, ciHigh] = wilsonInterval(entry?.trajectories ?? 0, samples);
    const shareVariance = (hazard.mean * (1 - Math.min(hazard.mean, 1))) / samples;
    if (hazard.variance < shareVariance || (entry === undefined && hazard.mean > 0)) {
      probability = Math.min(hazard.mean, 1);
      const half = 1.96 * Math.sqrt(hazard.variance);
      ciLow = Math.max(0, probability - half);
      ciHigh = Math.min(1, probability + half);
    }
    if (probability < MIN_REPORTED_PROBABILITY && !entry) continue;
    forecasts.push({
      token,
      probability,
      ciLow,
      ciHigh,
      expectedDays: entry ? entry.daysSum / entry.trajectories : null,
      expectedCount: (entry?.occurrences ?? 0) / samples,
    });
  }
  return forecasts;
}

/** Mean first-occurrence hazard of `token` over the trajectories and the variance of that mean. */
function hazardEstimate(
  trajectories: Trajectory[],
  token: number,
): { mean: number; variance: number } {
  const n = trajectories.length;
  let sum = 0;
  let sumSquares = 0;
  for (const trajectory of trajectories) {
    const value = trajectory.firstHazard[token]!;
    sum += value;
    sumSquares += value * value;
  }
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares / n - mean * mean) / (n - 1)) : mean * mean;
  return { mean, variance };
}
