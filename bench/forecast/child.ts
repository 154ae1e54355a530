/**
 * Child process of the forecast benchmark (bench/forecast/run.ts). Each timed
 * part runs in its own process, so the peak RSS a forecast reports is its own.
 *
 *   --mode forecast   runForecast on a copy of the cache (the real code path)
 *   --mode histories  write the inputs runForecast samples (histories.ts)
 *   --mode sample     sampleTrajectories alone over every batch of that file
 *                     (--decoder cached: with the contract's growing-cache graph)
 *   --mode kv         sampleTrajectories against the uncached sampler on the first batches
 *
 * Prints one line: BENCH_FORECAST_CHILD {json}.
 */
import { parseArgs } from 'node:util';
import { runForecast } from '../../electron/forecast/forecast';
import { loadModel, type LoadedModel } from '../../electron/model/model-folder';
import { parseProviders } from '../../electron/model/execution-providers';
import { Random } from '../../electron/model/random';
import type { Decoder } from '../../electron/model/decode-cache';
import { sampleTrajectories, type Trajectory } from '../../electron/model/sampler';
import { openCache } from '../../electron/store/cache';
import {
  buildHistories,
  firstBatches,
  readHistories,
  writeHistories,
  type HistoriesFile,
  type HistoryBatch,
} from './histories';
import { CHILD_PREFIX, type ChildResult, type TrajectoryStats } from './protocol';
import { sampleUncached } from './uncached';

function emptyStats(): TrajectoryStats {
  return { trajectories: 0, newTokens: 0, deaths: 0, truncated: 0, hazardSum: 0 };
}

function addStats(stats: TrajectoryStats, trajectories: Trajectory[]): void {
  for (const trajectory of trajectories) {
    stats.trajectories++;
    stats.newTokens += trajectory.tokens.length;
    if (trajectory.died) stats.deaths++;
    if (trajectory.truncated) stats.truncated++;
    for (const value of trajectory.firstHazard) stats.hazardSum += value;
  }
}

type Sampler = typeof sampleTrajectories;

/** Sample batches as runForecast does: one random stream per seed, subject and sample. */
async function sampleBatches(
  model: LoadedModel,
  histories: HistoriesFile,
  batches: HistoryBatch[],
  seed: number,
  sampler: Sampler,
  decoder: Decoder = 'step',
): Promise<{ seconds: number; stats: TrajectoryStats }> {
  const stats = emptyStats();
  const started = performance.now();
  for (const batch of batches) {
    const result = await sampler(model, {
      histories: batch.tokens.map((tokens, i) => ({
        tokens,
        ages: batch.ages[i]!,
        events: 0,
        readable: 0,
        startAge: batch.startAges[i]!,
        dropped: batch.droppedChronic[i]!,
      })),
      randoms: batch.keys.map((key) =>
        Array.from({ length: histories.samples }, (_, sample) => new Random(seed, key, sample)),
      ),
      horizonYears: histories.horizonYears,
      maxNewTokens: histories.maxNewTokens,
      decoder,
    });
    for (const trajectories of result) addStats(stats, trajectories);
  }
  return { seconds: (performance.now() - started) / 1000, stats };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      cache: { type: 'string' },
      model: { type: 'string' },
      histories: { type: 'string' },
      samples: { type: 'string', default: '64' },
      'alive-at': { type: 'string', default: '2023-01-01' },
      'horizon-days': { type: 'string', default: '365' },
      seed: { type: 'string', default: '1' },
      threads: { type: 'string' },
      ep: { type: 'string', default: 'cpu' },
      'kv-people': { type: 'string', default: '16' },
      decoder: { type: 'string', default: 'step' },
      runs: { type: 'string', default: '2' },
    },
  });
  const seed = Number(values.seed);
  const samples = Number(values.samples);
  const horizonDays = Number(values['horizon-days']);
  const model = await loadModel(values.model!, {
    providers: parseProviders(values.ep!),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
  });
  const report = (result: Omit<ChildResult, 'provider' | 'providerFailures' | 'peakRssMb'>) => {
    const full: ChildResult = {
      ...result,
      provider: model.provider,
      providerFailures: model.providerFailures,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    };
    process.stdout.write(CHILD_PREFIX + JSON.stringify(full) + '\n');
  };

  if (values.mode === 'forecast' || values.mode === 'histories') {
    const cache = openCache(values.cache!);
    if (values.mode === 'histories') {
      const histories = buildHistories(cache, model, {
        aliveAt: values['alive-at']!,
        horizonDays,
        samples,
      });
      writeHistories(values.histories!, histories);
      cache.close();
      const members = histories.batches.reduce((sum, batch) => sum + batch.keys.length, 0);
      report({ seconds: 0, stats: emptyStats(), members });
      return;
    }
    const stats = emptyStats();
    const run = await runForecast({
      cache,
      model,
      aliveAt: values['alive-at']!,
      horizonDays,
      samples,
      seed,
      createdBy: 'bench',
      onMember: (_member, _forecasts, _coverage, trajectories) => addStats(stats, trajectories),
    });
    cache.close();
    report({ seconds: run.seconds, stats, members: run.members - run.skippedMembers });
    return;
  }

  const histories = readHistories(values.histories!);
  if (values.mode === 'sample') {
    const result = await sampleBatches(
      model,
      histories,
      histories.batches,
      seed,
      sampleTrajectories,
      values.decoder === 'cached' ? 'cached' : 'step',
    );
    report(result);
    return;
  }
  if (values.mode === 'kv') {
    const batches = firstBatches(histories, Number(values['kv-people']));
    const patients = batches.reduce((sum, batch) => sum + batch.keys.length, 0);
    const cachedSeconds: number[] = [];
    const uncachedSeconds: number[] = [];
    let cached = emptyStats();
    let uncached = emptyStats();
    for (let run = 0; run < Number(values.runs); run++) {
      const withCache = await sampleBatches(model, histories, batches, seed, sampleTrajectories);
      cachedSeconds.push(withCache.seconds);
      cached = withCache.stats;
      const without = await sampleBatches(model, histories, batches, seed, sampleUncached);
      uncachedSeconds.push(without.seconds);
      uncached = without.stats;
    }
    report({
      seconds: Math.min(...cachedSeconds),
      stats: cached,
      uncached: { seconds: uncachedSeconds, cachedSeconds, stats: uncached, patients },
    });
    return;
  }
  throw new Error(`unknown --mode ${values.mode} (expected forecast, histories, sample or kv)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
