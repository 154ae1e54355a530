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
const TARGET_KINDS = new Set(['condition', 'admission', 'vaccine', 'death', 'event']);

/**
 * Summarise one member's sampled trajectories: for every target token that
 * occurs in at least one trajectory, its probability with a Wilson interval,
 * the expected days to it and the expected count. Tokens that never occur
 * have probability 0 and are left out.
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

  return [...hits.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([token, entry]) => {
      const [ciLow, ciHigh] = wilsonInterval(entry.trajectories, samples);
      return {
        token,
        probability: entry.trajectories / samples,
        ciLow,
        ciHigh,
        expectedDays: entry.trajectories > 0 ? entry.daysSum / entry.trajectories : null,
        expectedCount: entry.occurrences / samples,
      };
    });
}
