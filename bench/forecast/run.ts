/**
 * Forecast benchmark: trajectories per second at a 1-year horizon, Horizon's
 * sampler (onnxruntime-node, KV cache) against a PyTorch sampler of the same
 * model on the same inputs, in the same run, because the machine is noisy.
 *
 *   npm run bench:forecast -- [--people N] [--samples K] [--model DIR] [--ep cpu|webgpu|cuda]
 *     [--runs R] [--threads T] [--kv-people P] [--seed S] [--skip-reference] [--regenerate]
 *
 * Steps:
 * 1. Simulate N people into a cache under bench/work/ (synthesizeIntoCache), or
 *    reuse the one made earlier with the same N and seed.
 * 2. Write the inputs runForecast samples (everyone alive on 2023-01-01, batch
 *    by batch) to a temporary file (histories.ts).
 * 3. R times, alternating: (a) `runForecast` on a fresh copy of the cache, in a
 *    child process, so its peak RSS (`maxRSS`) is its own. This is the real
 *    code path, which also reads histories, summarises and writes results. (b) the PyTorch
 *    reference (reference_sampler.py), which first checks the model it rebuilds
 *    from model.onnx against parity.json; (c) `sampleTrajectories` alone over
 *    the same batches, which is what the reference does. (d) The same with the
 *    contract's cached graph instead of the step graph, and the reference
 *    decoding with the step graph's fixed-capacity cache (`--static-cache`).
 *    These show how much of the gain is the graph and how much the runtime.
 * 4. The KV-cache speed-up: `sampleTrajectories` against the same sampling
 *    rerunning model.onnx over each whole sequence every step (uncached.ts), on
 *    the first batches covering P people.
 * 5. Print medians, the ratios and the targets (PASS or FAIL; exit code 0
 *    either way), then one JSON line.
 *
 * Both sides use T threads (default 1): onnxruntime's intra-op threads and
 * torch.set_num_threads. One thread is the default because on shared cores
 * the thread pools of both runtimes spin at their barriers while a sibling
 * thread waits for a core: on 2 cores at load 14, two threads made the
 * PyTorch reference 12 times slower and Horizon 1.7 times slower than one
 * thread. With T set to the CPU count on an idle machine, both use them all.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseProviders } from '../../electron/model/execution-providers';
import { openCache } from '../../electron/store/cache';
import { synthesizeIntoCache } from '../../electron/synth';
import { CHILD_PREFIX, type ChildResult, type TrajectoryStats } from './protocol';

const RATIO_TARGET = 2;
const PEAK_RSS_TARGET_MB = 2000;
const ALIVE_AT = '2023-01-01';
const HORIZON_DAYS = 365;
const REFERENCE_PREFIX = 'BENCH_FORECAST_REFERENCE ';
const PYTHON = '/usr/bin/python3';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ReferenceResult extends TrajectoryStats {
  seconds: number;
  trajectoriesPerSecond: number;
  parityMaxDiff: { full: number; cached: number };
  torch: string;
  threads: number;
  peakRssMb: number;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '2000' },
      samples: { type: 'string', default: '64' },
      model: { type: 'string', default: 'models/horizon-synth-v1' },
      ep: { type: 'string', default: 'cpu' },
      runs: { type: 'string', default: '2' },
      threads: { type: 'string', default: '1' },
      'kv-people': { type: 'string', default: '16' },
      seed: { type: 'string', default: '1' },
      'skip-reference': { type: 'boolean', default: false },
      'forecast-only': { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
    },
  });
  const numbers = {
    people: Number(values.people),
    samples: Number(values.samples),
    runs: Number(values.runs),
    threads: Number(values.threads),
    kvPeople: Number(values['kv-people']),
    seed: Number(values.seed),
  };
  for (const [name, value] of Object.entries(numbers))
    if (!Number.isInteger(value) || value < 0 || (value === 0 && name !== 'kvPeople'))
      throw new Error(`--${name} must be a positive integer (got ${value})`);
  if (numbers.samples > 256)
    throw new Error(`--samples must be at most 256, one sampling batch (got ${numbers.samples})`);
  // A GPU provider falls back to the CPU rather than failing, so the run shows which one took it.
  const providers = parseProviders(values.ep);
  if (!providers.includes('cpu')) providers.push('cpu');
  return {
    ...numbers,
    model: resolve(root, values.model),
    providers: providers.join(','),
    skipReference: values['skip-reference'] || values['forecast-only'],
    forecastOnly: values['forecast-only'],
    regenerate: values.regenerate,
  };
}

async function prepareCache(people: number, seed: number, regenerate: boolean): Promise<string> {
  const dir = join(root, 'bench', 'work', `forecast-${people}-seed${seed}`);
  const path = join(dir, 'cache.sqlite');
  if (existsSync(path) && !regenerate && hasCompleteDataset(path)) return path;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`Simulating ${people.toLocaleString('en')} people (seed ${seed})...`);
  const started = performance.now();
  const db = openCache(path);
  try {
    await synthesizeIntoCache(db, { people, seed, importedBy: 'bench' });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  console.log(`Simulated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

/** Check that the cache has a complete dataset, which an interrupted simulation does not leave. */
function hasCompleteDataset(path: string): boolean {
  const db = openCache(path);
  try {
    return (
      db.prepare("SELECT 1 FROM datasets WHERE status = 'complete' LIMIT 1").get() !== undefined
    );
  } finally {
    db.close();
  }
}

function runChild(mode: string, args: string[]): ChildResult {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'child.ts');
  const output = spawnSync(process.execPath, ['--import', 'tsx', script, '--mode', mode, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = output.stdout.split('\n').find((l) => l.startsWith(CHILD_PREFIX));
  if (output.status !== 0 || !line)
    throw new Error(`The ${mode} child failed (exit ${output.status}): ${output.stderr}`);
  return JSON.parse(line.slice(CHILD_PREFIX.length)) as ChildResult;
}

function runReference(
  model: string,
  histories: string,
  threads: number,
  seed: number,
  staticCache = false,
) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference_sampler.py');
  const args = [script, '--model', model, '--histories', histories];
  args.push('--threads', String(threads), '--seed', String(seed));
  if (staticCache) args.push('--static-cache');
  const output = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (output.error) throw new Error(`Failed to run ${PYTHON}: ${output.error.message}`);
  const line = output.stdout.split('\n').find((l) => l.startsWith(REFERENCE_PREFIX));
  if (output.status !== 0 || !line)
    throw new Error(`The PyTorch reference failed (exit ${output.status}): ${output.stderr}`);
  return JSON.parse(line.slice(REFERENCE_PREFIX.length)) as ReferenceResult;
}

/** Copy the cache (and its WAL, if any) into a temporary directory, so every forecast starts from the same file. */
function copyCache(path: string, dir: string): string {
  const target = join(dir, 'cache.sqlite');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, target);
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(path + suffix)) copyFileSync(path + suffix, target + suffix);
  return target;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function describeStats(stats: TrajectoryStats): string {
  const per = (value: number) => (value / stats.trajectories).toFixed(3);
  return (
    `${per(stats.newTokens)} events per trajectory, ${per(stats.deaths)} died, ` +
    `${per(stats.truncated)} truncated, summed first-occurrence hazard ${per(stats.hazardSum)}`
  );
}

function rate(trajectories: number, seconds: number): string {
  return Math.round(trajectories / seconds).toLocaleString('en');
}

async function main(): Promise<void> {
  const options = parseOptions();
  const card = JSON.parse(readFileSync(join(options.model, 'model-card.json'), 'utf8')) as {
    id: string;
    architecture: { d_model: number; layers: number; heads: number };
  };
  const cachePath = await prepareCache(options.people, options.seed, options.regenerate);
  const work = mkdtempSync(join(tmpdir(), 'horizon-bench-forecast-'));
  const historiesPath = join(work, 'histories.json');
  const common = ['--model', options.model, '--samples', String(options.samples)];
  common.push('--seed', String(options.seed), '--threads', String(options.threads));
  common.push('--alive-at', ALIVE_AT, '--horizon-days', String(HORIZON_DAYS));
  const cpuOnly = [...common, '--ep', 'cpu'];

  try {
    const written = runChild('histories', [
      ...cpuOnly,
      '--cache',
      cachePath,
      '--histories',
      historiesPath,
    ]);
    console.log(
      `Model ${card.id} (d_model ${card.architecture.d_model}, ${card.architecture.layers} layers, ` +
        `${card.architecture.heads} heads); ${written.members!.toLocaleString('en')} people alive on ${ALIVE_AT}, ` +
        `${options.samples} samples each, horizon ${HORIZON_DAYS} days, ${options.threads} threads`,
    );

    const forecasts: ChildResult[] = [];
    const samplers: ChildResult[] = [];
    const references: ReferenceResult[] = [];
    const staticReferences: ReferenceResult[] = [];
    const cachedGraphSamplers: ChildResult[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const copy = copyCache(cachePath, join(work, 'cache'));
      const forecast = runChild('forecast', [
        ...common,
        '--ep',
        options.providers,
        '--cache',
        copy,
      ]);
      forecasts.push(forecast);
      const failed = forecast.providerFailures.map((f) => `${f.provider} failed: ${f.reason}`);
      console.log(
        `run ${run} Horizon runForecast:      ${forecast.seconds.toFixed(2)} s, ` +
          `${rate(forecast.stats.trajectories, forecast.seconds)} trajectories/s, ` +
          `peak RSS ${forecast.peakRssMb.toFixed(0)} MB, provider ${forecast.provider}` +
          (failed.length > 0 ? ` (${failed.join('; ')})` : ''),
      );
      if (!options.skipReference) {
        const reference = runReference(options.model, historiesPath, options.threads, options.seed);
        references.push(reference);
        console.log(
          `run ${run} PyTorch reference:        ${reference.seconds.toFixed(2)} s, ` +
            `${rate(reference.trajectories, reference.seconds)} trajectories/s ` +
            `(parity max abs diff ${reference.parityMaxDiff.cached.toExponential(1)})`,
        );
      }
      if (options.forecastOnly) continue;
      const sampler = runChild('sample', [
        ...common,
        '--ep',
        options.providers,
        '--histories',
        historiesPath,
      ]);
      samplers.push(sampler);
      console.log(
        `run ${run} Horizon sampler only:     ${sampler.seconds.toFixed(2)} s, ` +
          `${rate(sampler.stats.trajectories, sampler.seconds)} trajectories/s, provider ${sampler.provider}`,
      );

      // What the step graph buys: the same sampler decoding with the contract's cached graph,
      // and the reference decoding with the same fixed-capacity cache as the step graph.
      const cachedGraph = runChild('sample', [
        ...common,
        '--ep',
        options.providers,
        '--histories',
        historiesPath,
        '--decoder',
        'cached',
      ]);
      cachedGraphSamplers.push(cachedGraph);
      console.log(
        `run ${run} sampler, cached graph:    ${cachedGraph.seconds.toFixed(2)} s, ` +
          `${rate(cachedGraph.stats.trajectories, cachedGraph.seconds)} trajectories/s`,
      );
      if (!options.skipReference) {
        const staticReference = runReference(
          options.model,
          historiesPath,
          options.threads,
          options.seed,
          true,
        );
        staticReferences.push(staticReference);
        console.log(
          `run ${run} PyTorch, static cache:    ${staticReference.seconds.toFixed(2)} s, ` +
            `${rate(staticReference.trajectories, staticReference.seconds)} trajectories/s`,
        );
      }
    }

    let kv: ChildResult | null = null;
    if (options.kvPeople > 0 && !options.forecastOnly) {
      kv = runChild('kv', [
        ...common,
        '--ep',
        options.providers,
        '--histories',
        historiesPath,
        '--kv-people',
        String(options.kvPeople),
        '--runs',
        String(options.runs),
      ]);
    }

    const trajectories = forecasts[0]!.stats.trajectories;
    const forecastRate = trajectories / median(forecasts.map((f) => f.seconds));
    const samplerRate =
      samplers.length > 0 ? trajectories / median(samplers.map((s) => s.seconds)) : NaN;
    const peakRss = Math.max(...forecasts.map((f) => f.peakRssMb));
    const lines = [
      `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      `Horizon runForecast (median of ${options.runs}): ${Math.round(forecastRate).toLocaleString('en')} trajectories/s (${trajectories.toLocaleString('en')} trajectories)`,
      `  Horizon trajectories: ${describeStats(forecasts[0]!.stats)}`,
    ];
    if (samplers.length > 0)
      lines.splice(
        2,
        0,
        `Horizon sampleTrajectories only:   ${Math.round(samplerRate).toLocaleString('en')} trajectories/s`,
      );
    let ratio: number | null = null;
    let samplerRatio: number | null = null;
    if (references.length > 0) {
      const referenceRate = trajectories / median(references.map((r) => r.seconds));
      ratio = forecastRate / referenceRate;
      samplerRatio = samplerRate / referenceRate;
      lines.push(
        `PyTorch reference (torch ${references[0]!.torch}, ${references[0]!.threads} threads): ${Math.round(referenceRate).toLocaleString('en')} trajectories/s`,
        `  reference trajectories: ${describeStats(references[0]!)}`,
        `ratio runForecast / reference:      ${ratio.toFixed(2)}  target >= ${RATIO_TARGET}: ${ratio >= RATIO_TARGET ? 'PASS' : 'FAIL'}`,
        `ratio sampler only / reference:     ${samplerRatio.toFixed(2)}`,
      );
    }
    let stepGraphRatio: number | null = null;
    let staticReferenceRatio: number | null = null;
    if (cachedGraphSamplers.length > 0) {
      const cachedGraphRate = trajectories / median(cachedGraphSamplers.map((s) => s.seconds));
      stepGraphRatio = samplerRate / cachedGraphRate;
      lines.push(
        `sampler with the cached graph:      ${Math.round(cachedGraphRate).toLocaleString('en')} trajectories/s; step graph speed-up ${stepGraphRatio.toFixed(2)}x`,
        `  cached-graph trajectories: ${describeStats(cachedGraphSamplers[0]!.stats)}`,
      );
    }
    if (staticReferences.length > 0) {
      const staticRate = trajectories / median(staticReferences.map((r) => r.seconds));
      staticReferenceRatio = samplerRate / staticRate;
      lines.push(
        `PyTorch with the static cache:      ${Math.round(staticRate).toLocaleString('en')} trajectories/s; sampler only / it ${staticReferenceRatio.toFixed(2)}`,
        `  static-cache reference trajectories: ${describeStats(staticReferences[0]!)}`,
      );
    }
    let kvRatio: number | null = null;
    if (kv?.uncached) {
      const cachedS = median(kv.uncached.cachedSeconds);
      const uncachedS = median(kv.uncached.seconds);
      kvRatio = uncachedS / cachedS;
      lines.push(
        `KV cache (${kv.uncached.patients} people, ${kv.uncached.stats.trajectories} trajectories): ` +
          `cached ${cachedS.toFixed(2)} s, uncached ${uncachedS.toFixed(2)} s, speed-up ${kvRatio.toFixed(2)}x`,
        `  uncached trajectories: ${describeStats(kv.uncached.stats)}`,
        `  cached trajectories:   ${describeStats(kv.stats)}`,
      );
    }
    lines.push(
      `peak RSS of the runForecast process: ${peakRss.toFixed(0)} MB  target < ${PEAK_RSS_TARGET_MB} MB at 100,000 people x 64 samples: ` +
        (options.people >= 100_000 && options.samples >= 64
          ? peakRss < PEAK_RSS_TARGET_MB
            ? 'PASS'
            : 'FAIL'
          : 'n/a (smaller run)'),
    );
    console.log(lines.join('\n'));
    console.log(
      JSON.stringify({
        people: options.people,
        members: written.members,
        samples: options.samples,
        model: card.id,
        threads: options.threads,
        providers: options.providers,
        forecastRate,
        samplerRate,
        ratio,
        samplerRatio,
        kvRatio,
        stepGraphRatio,
        staticReferenceRatio,
        peakRssMb: peakRss,
        forecasts,
        samplers,
        references,
        kv,
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
