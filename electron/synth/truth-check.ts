/**
 * Compare `computeTruth` with the simulation continued past the cutoff. For
 * each code, the mean true risk of the people alive at the cutoff is set
 * against the share of them with the code recorded in the horizon. That share
 * is taken in the single future the dataset records and averaged over
 * replicate continuations (see `continuation.ts`), whose lower sampling noise
 * makes rare codes testable.
 *
 * CLI: `horizon truth --check` or
 * `tsx electron/synth/truth-check.ts --dataset DIR --cutoff DATE --horizon-days N [--replicates R]`
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parseDay } from './calendar';
import { continuedShares } from './continuation';
import { Model } from './model';
import {
  computeTruth,
  OUTCOME_CODES,
  readSynthesisParameters,
  type PersonTruth,
  type TruthOptions,
  type TruthSummary,
} from './truth';

const MICROS_PER_DAY = 86_400_000_000;

export interface CodeCheck {
  code: string;
  /** Mean of the true probabilities. */
  expected: number;
  /** Share of people with the code recorded in the horizon. */
  observed: number;
  /** observed / expected - 1. */
  relativeDifference: number;
  /** (observed - expected) / binomial standard error of the share. */
  z: number;
  /** Share with the code averaged over the replicate continuations (NaN without replicates). */
  continued: number;
  /** continued / expected - 1. */
  continuedRelativeDifference: number;
  /**
   * (continued - expected) / its binomial standard error over people x replicates.
   * NOTE: a person's replicates share their vaccine decisions (see continuation.ts),
   * so for the vaccine codes this error is too small and z overstated.
   */
  continuedZ: number;
}

export interface TruthCheck {
  people: number;
  maxStandardError: number;
  replicates: number;
  summary: TruthSummary;
  codes: CodeCheck[];
  /** Per person: outcome probabilities and whether each code was observed, for calibration. */
  persons: { probability: Float64Array; observed: Uint8Array }[];
}

/** Codes recorded in (cutoff, cutoff + horizon] per subject, read from the MEDS shards. */
export async function observedCodes(
  dataset: string,
  cutoff: number,
  horizonDays: number,
): Promise<Map<number, Set<string>>> {
  const from = cutoff * MICROS_PER_DAY;
  const to = (cutoff + horizonDays) * MICROS_PER_DAY;
  const observed = new Map<number, Set<string>>();
  for (const split of readdirSync(join(dataset, 'data'))) {
    for (const name of readdirSync(join(dataset, 'data', split))) {
      const file = await asyncBufferFromFile(join(dataset, 'data', split, name));
      const rows = (await parquetReadObjects({
        file,
        columns: ['subject_id', 'time', 'code'],
      })) as {
        subject_id: bigint;
        time: Date | null;
        code: string;
      }[];
      for (const row of rows) {
        if (row.time === null) continue;
        const micros = row.time.getTime() * 1000;
        if (micros <= from || micros > to) continue;
        const id = Number(row.subject_id);
        let codes = observed.get(id);
        if (!codes) observed.set(id, (codes = new Set()));
        codes.add(row.code);
      }
    }
  }
  return observed;
}

/** Replicate continuations per person when none are asked for. */
export const DEFAULT_REPLICATES = 50;

export async function checkTruth(
  options: Omit<TruthOptions, 'onPerson'> & { replicates?: number },
): Promise<TruthCheck> {
  const dataset = resolve(options.dataset);
  const cutoff = parseDay(options.cutoff, 'cutoff');
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const observed = await observedCodes(dataset, cutoff, options.horizonDays);
  const parameters = readSynthesisParameters(dataset);
  const model = Model.fromDates(parameters.start, parameters.end);

  const sums = new Float64Array(OUTCOME_CODES.length);
  const counts = new Float64Array(OUTCOME_CODES.length);
  const continuedSums = new Float64Array(OUTCOME_CODES.length);
  const persons: TruthCheck['persons'] = [];
  const summary = await computeTruth({
    ...options,
    dataset,
    onPerson: (truth: PersonTruth) => {
      const codes = observed.get(truth.subjectId);
      const seen = Uint8Array.from(truth.codes, (code) => (codes?.has(code) ? 1 : 0));
      for (let k = 0; k < truth.codes.length; k++) {
        sums[k]! += truth.probability[k]!;
        counts[k]! += seen[k]!;
      }
      persons.push({ probability: truth.probability, observed: seen });
      if (replicates === 0) return;

      const index = truth.subjectId - 1;
      const shares = continuedShares(
        model,
        parameters.seed,
        index,
        cutoff,
        options.horizonDays,
        replicates,
      );
      // computeTruth and the continuation agree on who is alive at the cutoff.
      if (!shares) throw new Error(`Subject ${truth.subjectId} has a truth but no continuation.`);
      for (let k = 0; k < shares.length; k++) continuedSums[k]! += shares[k]!;
    },
  });

  const people = summary.people;
  const codes = OUTCOME_CODES.map((code, k): CodeCheck => {
    const expected = sums[k]! / people;
    const variance = Math.max(expected * (1 - expected), 1e-12);
    const share = counts[k]! / people;
    const continued = replicates > 0 ? continuedSums[k]! / people : NaN;
    return {
      code,
      expected,
      observed: share,
      relativeDifference: relative(share, expected),
      z: (share - expected) / Math.sqrt(variance / people),
      continued,
      continuedRelativeDifference: relative(continued, expected),
      continuedZ: (continued - expected) / Math.sqrt(variance / (people * replicates)),
    };
  });
  return {
    people,
    maxStandardError: summary.maxStandardError,
    replicates,
    summary,
    codes,
    persons,
  };
}

function relative(value: number, expected: number): number {
  if (expected > 0) return value / expected - 1;
  return value > 0 ? Infinity : 0;
}

/** Codes whose replicate share is off by more than `tolerance` (relative) from the mean true risk. */
export function codesOutsideTolerance(check: TruthCheck, tolerance = 0.1): CodeCheck[] {
  return check.codes.filter((code) => !(Math.abs(code.continuedRelativeDifference) <= tolerance));
}

export function formatTruthCheck(check: TruthCheck): string {
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`.padStart(8);
  const lines = [
    `${check.people} people alive at the cutoff; largest standard error ${check.maxStandardError.toFixed(4)}; ` +
      `${check.replicates} replicate continuations per person.`,
    `${'code'.padEnd(22)} ${'mean risk'.padStart(10)} ${'recorded'.padStart(10)} ${'rel diff'.padStart(8)} ` +
      `${'continued'.padStart(10)} ${'rel diff'.padStart(8)} ${'z'.padStart(6)}`,
  ];
  for (const code of check.codes) {
    lines.push(
      `${code.code.padEnd(22)} ${code.expected.toFixed(5).padStart(10)} ${code.observed.toFixed(5).padStart(10)} ` +
        `${percent(code.relativeDifference)} ${code.continued.toFixed(5).padStart(10)} ` +
        `${percent(code.continuedRelativeDifference)} ${code.continuedZ.toFixed(2).padStart(6)}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      cutoff: { type: 'string', default: '2023-01-01' },
      'horizon-days': { type: 'string', default: '365' },
      replicates: { type: 'string', default: String(DEFAULT_REPLICATES) },
    },
  });
  if (!values.dataset) {
    console.error('Missing --dataset DIR: a directory written by horizon synth.');
    process.exit(2);
  }
  const check = await checkTruth({
    dataset: values.dataset,
    cutoff: values.cutoff!,
    horizonDays: Number(values['horizon-days']),
    replicates: Number(values.replicates),
  });
  console.log(formatTruthCheck(check));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
