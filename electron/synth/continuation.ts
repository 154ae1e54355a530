/**
 * Replicate futures of one person: their life as the dataset recorded it up to
 * the cutoff, then independent continuations of the simulation from the state
 * there. Averaged over replicates, the share of people with each code is what
 * the true probabilities should equal, with far less sampling noise than the
 * single future the dataset holds.
 */
import { OUTCOME_COUNT } from './codes';
import { liveUntil, simulate, STREAM } from './life';
import type { Model } from './model';
import { RecordsBuilder } from './person';
import { Prng } from './prng';

/**
 * Share of `replicates` continuations in which each outcome code is recorded
 * in (cutoff, cutoff + horizonDays], or null when the person is not alive in
 * the data at the cutoff.
 */
export function continuedShares(
  model: Model,
  seed: number,
  index: number,
  cutoff: number,
  horizonDays: number,
  replicates: number,
): Float64Array | null {
  const records = new RecordsBuilder(model, seed, index);
  const life = liveUntil(model, seed, index, cutoff, records);
  const atCutoff = life.state;
  if (atCutoff.birth > cutoff || atCutoff.death <= cutoff) return null;

  const horizonEnd = cutoff + horizonDays;
  const shares = new Float64Array(OUTCOME_COUNT);
  const seen = new Uint8Array(OUTCOME_COUNT);
  for (let replicate = 0; replicate < replicates; replicate++) {
    const state = atCutoff.copy();
    const future = records.fork(Prng.derive(seed, index, STREAM.continuation, replicate, 0));

    // The full run passes a grid boundary at the cutoff and starts any campaign
    // there on the state of that moment. Stopping at the cutoff skipped that step.
    future.boundary(cutoff, state);
    simulate(
      model,
      state,
      cutoff,
      horizonEnd,
      Prng.derive(seed, index, STREAM.continuation, replicate, 1),
      future,
    );

    seen.fill(0);
    const rows = future.finish(state);
    for (let i = 0; i < rows.days.length; i++) {
      const day = rows.days[i]!;
      const code = rows.codes[i]!;
      if (day > cutoff && day <= horizonEnd && code < OUTCOME_COUNT) seen[code] = 1;
    }
    for (let k = 0; k < OUTCOME_COUNT; k++) shares[k]! += seen[k]!;
  }
  for (let k = 0; k < OUTCOME_COUNT; k++) shares[k]! /= replicates;
  return shares;
}
