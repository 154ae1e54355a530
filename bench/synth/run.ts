/**
 * Synthetic population benchmark: `synthesizeMeds` against the import
 * benchmark's generator (`bench/import/generate-meds.ts`) writing the same
 * number of MEDS rows, in the same run, because the machine is noisy. The
 * generator draws a few PRNG numbers per row and writes parquet the same way,
 * so the ratio shows what the population model costs on top of the writing.
 *
 *   npm run bench:synth -- [--people N] [--seed S]
 *
 * Each side runs in its own child process, which reports its peak RSS
 * (`maxRSS` of process.resourceUsage). Both are single-threaded, so this
 * measures one core. Targets (PASS or FAIL; the exit code is 0 either way):
 * at least 100,000 people per minute, and a peak RSS below 1 GB (10^9 bytes).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateMeds } from '../import/generate-meds';
import { synthesizeMeds } from '../../electron/synth';

const PEOPLE_PER_MINUTE_TARGET = 100_000;
const PEAK_RSS_TARGET_MB = 1000;
const RESULT_PREFIX = 'BENCH_SYNTH_RESULT ';

const workDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'work');

interface ChildResult {
  seconds: number;
  rows: number;
  people: number;
  peakRssMb: number;
}

async function child(kind: string, people: number, seed: number, events: number): Promise<void> {
  const dir = join(workDir, `synth-${kind}`);
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  let rows: number;
  let subjects: number;
  if (kind === 'synth') {
    const summary = await synthesizeMeds({ people, seed, dir });
    // The static gender row is not counted in `events`.
    rows = summary.events;
    subjects = summary.people;
  } else {
    const result = generateMeds({ dir, events, seed });
    rows = result.events;
    subjects = result.subjects;
  }
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const result: ChildResult = {
    seconds,
    rows,
    people: subjects,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
  };
  process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
}

function runChild(kind: string, people: number, seed: number, events: number): ChildResult {
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--child', kind, '--people', String(people)];
  args.push('--seed', String(seed), '--events', String(events));
  const output = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = output.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (output.status !== 0 || !line)
    throw new Error(`The ${kind} child failed (exit ${output.status}): ${output.stderr}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      child: { type: 'string' },
      events: { type: 'string', default: '0' },
    },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  if (values.child) return child(values.child, people, seed, Number(values.events));

  console.log(`Synthesizing ${people.toLocaleString('en')} people (seed ${seed})...`);
  const synth = runChild('synth', people, seed, 0);
  const rows = synth.rows + synth.people;
  console.log(`Reference: bench/import generator writing ${rows.toLocaleString('en')} rows...`);
  const reference = runChild('reference', people, seed, rows);

  const peoplePerSecond = synth.people / synth.seconds;
  const synthRowsPerSecond = rows / synth.seconds;
  const referenceRowsPerSecond = reference.rows / reference.seconds;
  const ratio = synthRowsPerSecond / referenceRowsPerSecond;
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(
    [
      `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      `synth:     ${synth.seconds.toFixed(1)} s, ${Math.round(peoplePerSecond).toLocaleString('en')} people/s ` +
        `(${Math.round(peoplePerSecond * 60).toLocaleString('en')} per minute), ` +
        `${Math.round(synthRowsPerSecond).toLocaleString('en')} rows/s, peak RSS ${synth.peakRssMb.toFixed(0)} MB`,
      `reference: ${reference.seconds.toFixed(1)} s, ${Math.round(referenceRowsPerSecond).toLocaleString('en')} rows/s, ` +
        `peak RSS ${reference.peakRssMb.toFixed(0)} MB`,
      `ratio (synth rows/s over reference rows/s): ${ratio.toFixed(3)}`,
      `${pass(peoplePerSecond * 60 >= PEOPLE_PER_MINUTE_TARGET)} people per minute >= ${PEOPLE_PER_MINUTE_TARGET.toLocaleString('en')}`,
      `${pass(synth.peakRssMb < PEAK_RSS_TARGET_MB)} peak RSS < ${PEAK_RSS_TARGET_MB} MB`,
    ].join('\n'),
  );
  console.log(JSON.stringify({ people, seed, synth, reference, ratio }));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
