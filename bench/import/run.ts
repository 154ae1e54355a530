/**
 * Import benchmark: Horizon's MEDS importer against the sqlite3 shell's CSV
 * `.import` of the same events, in the same run, because the machine is noisy.
 *
 *   npm run bench:import -- [--events N] [--seed S] [--regenerate] [--cpu-prof]
 *
 * Steps:
 * 1. Generate a synthetic MEDS directory and the same events as CSV under
 *    bench/work/, or reuse them when events, seed and generator version match.
 * 2. Import the MEDS directory with `importDataset` into a fresh cache in a
 *    child process, which reports its peak RSS.
 * 3. Load the CSV with the sqlite3 shell into a fresh database with the events
 *    table's shape, indexes and pragmas.
 * 4. Print the throughput of both, their ratio and the targets, then one JSON line.
 * Targets are reported as PASS or FAIL; the exit code is 0 either way, and
 * non-zero only when a step fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RESULT_PREFIX, type ChildResult } from './child-protocol';
import { GENERATOR_VERSION, generateMeds } from './generate-meds';
import { formatProfileSummary, summariseProfile, type ProfileSummary } from './profile-summary';
import {
  EventsCsvWriter,
  importWithShell,
  readEventsTableSpec,
  removeDatabase,
  type ReferenceResult,
} from './reference';

/** Horizon's events/s divided by the shell's must reach this. */
const RATIO_TARGET = 0.7;
/** Peak RSS of the import process must stay below this, in MB (10^6 bytes). */
const PEAK_RSS_TARGET_MB = 500;

const importBenchDir = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(importBenchDir, '..', '..');

interface Options {
  events: number;
  seed: number;
  regenerate: boolean;
  cpuProf: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '5000000' },
      seed: { type: 'string', default: '1' },
      regenerate: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const events = Number(values.events);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(events) || events < 1) {
    throw new Error(`Invalid --events ${values.events}: expected a positive integer.`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`Invalid --seed ${values.seed}: expected an integer.`);
  }
  return { events, seed, regenerate: values.regenerate, cpuProf: values['cpu-prof'] };
}

// ---------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------

interface DatasetFiles {
  medsDir: string;
  csvPath: string;
  subjects: number;
  codes: number;
  parquetBytes: number;
}

interface DatasetMarker extends DatasetFiles {
  generatorVersion: number;
  events: number;
  seed: number;
}

/** Generate the MEDS directory and CSV, or reuse them when a previous run made the same ones. */
function prepareDataset(workDir: string, options: Options): DatasetFiles {
  const markerPath = join(workDir, 'dataset.json');
  const medsDir = join(workDir, 'meds');
  const csvPath = join(workDir, 'events.csv');

  if (!options.regenerate && existsSync(markerPath)) {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as DatasetMarker;
    if (
      marker.generatorVersion === GENERATOR_VERSION &&
      marker.events === options.events &&
      marker.seed === options.seed &&
      existsSync(medsDir) &&
      existsSync(csvPath)
    ) {
      console.log(`Reusing the dataset in ${workDir} (pass --regenerate to rebuild it).`);
      return marker;
    }
  }

  rmSync(markerPath, { force: true });
  console.log(`Generating ${options.events} events (seed ${options.seed}) into ${workDir} ...`);
  const started = performance.now();
  const csv = new EventsCsvWriter(csvPath);
  let generated;
  try {
    generated = generateMeds({
      dir: medsDir,
      events: options.events,
      seed: options.seed,
      onBatch: (batch) => csv.write(batch),
    });
  } finally {
    csv.close();
  }
  console.log(
    `Generated ${generated.events} events of ${generated.subjects} subjects, ` +
      `${generated.codes.length} codes, ${generated.shards.length} shards ` +
      `(${(generated.bytes / 1e6).toFixed(1)} MB parquet) in ${seconds(started)} s.`,
  );

  const marker: DatasetMarker = {
    generatorVersion: GENERATOR_VERSION,
    events: generated.events,
    seed: options.seed,
    medsDir,
    csvPath,
    subjects: generated.subjects,
    codes: generated.codes.length,
    parquetBytes: generated.bytes,
  };
  writeFileSync(markerPath, JSON.stringify(marker, null, 2) + '\n');
  return marker;
}

function seconds(startedMs: number): string {
  return ((performance.now() - startedMs) / 1000).toFixed(1);
}

// ---------------------------------------------------------------------------
// Horizon import in a child process
// ---------------------------------------------------------------------------

async function importWithHorizon(
  medsDir: string,
  cachePath: string,
  profileDir: string | null,
): Promise<ChildResult> {
  removeDatabase(cachePath);
  const args = ['--import', 'tsx'];
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    args.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  }
  args.push(join(importBenchDir, 'horizon-child.ts'), medsDir, cachePath);

  const child = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', resolveExit);
  });

  let result: ChildResult | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(RESULT_PREFIX)) {
      result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
    } else if (line.trim() !== '') {
      console.log(`  [horizon] ${line}`);
    }
  }
  if (exitCode !== 0 || result === null) {
    throw new Error(
      `The Horizon import child failed with exit code ${exitCode}; its errors are printed above.`,
    );
  }
  return result;
}

/**
 * Print the summary of the busiest profile. `--cpu-prof` also profiles the tsx
 * loader thread, which is idle almost all the time.
 */
function printProfile(profileDir: string): void {
  const summaries = readdirSync(profileDir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({
      path: join(profileDir, name),
      summary: summariseProfile(join(profileDir, name)),
    }));
  const busy = (summary: ProfileSummary): number =>
    summary.totalMilliseconds -
    (summary.functions.find((entry) => entry.name.startsWith('(idle)'))?.milliseconds ?? 0);
  summaries.sort((a, b) => busy(b.summary) - busy(a.summary));
  const busiest = summaries[0];
  if (!busiest) {
    console.log(`No .cpuprofile was written to ${profileDir}.`);
    return;
  }
  console.log(`\n${formatProfileSummary(busiest.summary)}\n(profile: ${busiest.path})`);
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

function machineDescription(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} CPUs (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`;
}

function report(
  events: number,
  horizon: ChildResult,
  reference: ReferenceResult,
): Record<string, unknown> {
  const horizonRate = events / horizon.seconds;
  const referenceRate = events / reference.seconds;
  const ratio = horizonRate / referenceRate;
  const peakRssMb = horizon.peakRssBytes / 1e6;
  const ratioPass = ratio >= RATIO_TARGET;
  const rssPass = peakRssMb < PEAK_RSS_TARGET_MB;
  const rate = (value: number): string => Math.round(value).toLocaleString('en-US');

  console.log('');
  console.log(`Machine:              ${machineDescription()}`);
  console.log(`Events:               ${events.toLocaleString('en-US')}`);
  console.log(
    `Horizon importDataset: ${horizon.seconds.toFixed(2)} s, ${rate(horizonRate)} events/s`,
  );
  console.log(
    `sqlite3 shell .import: ${reference.seconds.toFixed(2)} s, ${rate(referenceRate)} events/s (SQLite ${reference.sqliteVersion})`,
  );
  console.log(
    `Ratio Horizon/shell:  ${ratio.toFixed(3)} (target >= ${RATIO_TARGET}) ${ratioPass ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `Peak RSS of import:   ${peakRssMb.toFixed(0)} MB (${horizon.peakRssSource}; target < ${PEAK_RSS_TARGET_MB} MB) ${rssPass ? 'PASS' : 'FAIL'}`,
  );

  return {
    benchmark: 'import',
    events,
    horizon_seconds: round(horizon.seconds, 3),
    horizon_events_per_second: Math.round(horizonRate),
    shell_seconds: round(reference.seconds, 3),
    shell_events_per_second: Math.round(referenceRate),
    ratio: round(ratio, 4),
    ratio_target: RATIO_TARGET,
    ratio_pass: ratioPass,
    peak_rss_mb: round(peakRssMb, 1),
    peak_rss_target_mb: PEAK_RSS_TARGET_MB,
    peak_rss_pass: rssPass,
    sqlite_version: reference.sqliteVersion,
    node_version: process.version,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions();
  const workDir = join(
    repositoryRoot,
    'bench',
    'work',
    `import-${options.events}-seed${options.seed}`,
  );
  mkdirSync(workDir, { recursive: true });

  const dataset = prepareDataset(workDir, options);
  const spec = readEventsTableSpec(join(workDir, 'schema-probe.sqlite'));

  console.log('Importing with Horizon (child process) ...');
  const profileDir = options.cpuProf ? join(workDir, 'profiles') : null;
  const horizon = await importWithHorizon(
    dataset.medsDir,
    join(workDir, 'horizon.sqlite'),
    profileDir,
  );
  if (horizon.events !== options.events) {
    throw new Error(`Horizon imported ${horizon.events} events; expected ${options.events}.`);
  }

  console.log(`Importing with the sqlite3 shell (${spec.pragmas.join(', ')}) ...`);
  const reference = importWithShell(dataset.csvPath, join(workDir, 'reference.sqlite'), spec);
  if (reference.events !== options.events) {
    throw new Error(
      `The sqlite3 shell imported ${reference.events} rows; expected ${options.events}.`,
    );
  }

  const summary = report(options.events, horizon, reference);
  if (profileDir) printProfile(profileDir);
  console.log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
