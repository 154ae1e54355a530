/**
 * Compare `computeTruth` with what happened in the data: for each code, the
 * mean true risk of the people alive at the cutoff against the share of them
 * with the code recorded in the horizon (the simulation continued).
 *
 * CLI: `tsx electron/synth/truth-check.ts --dataset DIR --cutoff DATE --horizon-days N`
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parseDay } from './calendar';
import { computeTruth, OUTCOME_CODES, type PersonTruth } from './truth';

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
}

export interface TruthCheck {
  people: number;
  maxStandardError: number;
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

export async function checkTruth(options: {
  dataset: string;
  cutoff: string;
  horizonDays: number;
  maxStandardError?: number;
}): Promise<TruthCheck> {
  const dataset = resolve(options.dataset);
  const cutoff = parseDay(options.cutoff, 'cutoff');
  const observed = await observedCodes(dataset, cutoff, options.horizonDays);

  const sums = new Float64Array(OUTCOME_CODES.length);
  const counts = new Float64Array(OUTCOME_CODES.length);
  const persons: TruthCheck['persons'] = [];
  const summary = await computeTruth({
    dataset,
    cutoff: options.cutoff,
    horizonDays: options.horizonDays,
    maxStandardError: options.maxStandardError,
    onPerson: (truth: PersonTruth) => {
      const codes = observed.get(truth.subjectId);
      const seen = Uint8Array.from(truth.codes, (code) => (codes?.has(code) ? 1 : 0));
      for (let k = 0; k < truth.codes.length; k++) {
        sums[k]! += truth.probability[k]!;
        counts[k]! += seen[k]!;
      }
      persons.push({ probability: truth.probability, observed: seen });
    },
  });

  const people = summary.people;
  const codes = OUTCOME_CODES.map((code, k) => {
    const expected = sums[k]! / people;
    const share = counts[k]! / people;
    const se = Math.sqrt(Math.max(expected * (1 - expected), 1e-12) / people);
    let relativeDifference = share > 0 ? Infinity : 0;
    if (expected > 0) relativeDifference = share / expected - 1;
    return { code, expected, observed: share, relativeDifference, z: (share - expected) / se };
  });
  return { people, maxStandardError: summary.maxStandardError, codes, persons };
}

export function formatTruthCheck(check: TruthCheck): string {
  const lines = [
    `${check.people} people alive at the cutoff; largest standard error ${check.maxStandardError.toFixed(4)}.`,
    `${'code'.padEnd(22)} ${'mean risk'.padStart(10)} ${'observed'.padStart(10)} ${'rel diff'.padStart(9)} ${'z'.padStart(6)}`,
  ];
  for (const code of check.codes) {
    lines.push(
      `${code.code.padEnd(22)} ${code.expected.toFixed(5).padStart(10)} ${code.observed.toFixed(5).padStart(10)} ` +
        `${(100 * code.relativeDifference).toFixed(1).padStart(8)}% ${code.z.toFixed(2).padStart(6)}`,
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
  });
  console.log(formatTruthCheck(check));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
