import { withAudit } from '../audit';
import { parseDateTime } from '../ingest/time';
import { logger } from '../log';
import type { Decoder } from '../model/decode-cache';
import type { LoadedModel } from '../model/model-folder';
import { Random, subjectKey } from '../model/random';
import { sampleTrajectories, type Trajectory } from '../model/sampler';
import { tokenizeTimeline, truncateSequence, type TokenSequence } from '../model/tokenizer';
import type { Cache } from '../store/cache';
import { CohortTotals, type CohortSummary } from './cohort-totals';
import {
  DEFAULT_BATCH_ROWS,
  ForecastRequestError,
  checkForecastRequest,
  newTokenBudget,
} from './limits';
import { summarizeMember, type CodeForecast } from './member-summary';
import { aliveAt, memberTimeline, savedCohortMembers, type Member } from './population';
import { completeRun, createRun, discardRun, insertResults, tokenCodeIds } from './run-store';

export interface ForecastRequest {
  cache: Cache;
  model: LoadedModel;
  /** Dataset to forecast (default: the most recent complete one). */
  datasetId?: number;
  /** Forecast everyone alive and observed on this date (YYYY-MM-DD, UTC); or else give `cohort`. */
  aliveAt?: string;
  /** Forecast the members of a saved cohort, each from their index date. */
  cohort?: { name: string; version?: number };
  horizonDays: number;
  samples: number;
  seed: number;
  createdBy: string;
  signal?: AbortSignal;
  onProgress?: (progress: { members: number; done: number }) => void;
  /** Called with each member's results as they are stored (for CSV output), with the share of their events the model reads and the sampled trajectories. */
  onMember?: (
    member: Member,
    forecasts: CodeForecast[],
    coverage: number,
    trajectories: Trajectory[],
  ) => void;
  /** Called once the run row exists, so a caller that must stop the work abruptly can remove it. */
  onRunCreated?: (runId: number) => void;
  batchRows?: number;
  /** Narrows the population, for example to a sample for a backtest. */
  memberFilter?: (members: Member[]) => Member[];
}

export interface ForecastRun {
  runId: number;
  cohortId: number;
  datasetId: number;
  members: number;
  /** Members without a known birth time get no forecast. */
  skippedMembers: number;
  coverage: { events: number; readableEvents: number; share: number };
  executionProvider: string;
  seconds: number;
  summary: CohortSummary;
}

export class ForecastCancelledError extends Error {
  override name = 'ForecastCancelledError';
  constructor() {
    super('The forecast was cancelled; its partial results were removed.');
  }
}

/**
 * Forecast every member of the population (alive on a date, or a saved cohort): sample trajectories
 * from the model, summarise them per member and store the results batch by
 * batch in forecast_results, then the cohort aggregates in forecast_runs.
 * Members with equal history lengths are batched together, so no padding is
 * needed.
 */
export async function runForecast(request: ForecastRequest): Promise<ForecastRun> {
  checkForecastRequest(request);
  const started = performance.now();
  const { cache, model } = request;
  const { datasetId, members, savedCohortId } = forecastPopulation(request);

  const horizonYears = request.horizonDays / 365.25;
  const context = model.card.context_length;
  const maxNewTokens = newTokenBudget(context, request.horizonDays);
  const coverage = { events: 0, readableEvents: 0, share: 0 };
  const byLength = new Map<
    number,
    { member: Member; history: TokenSequence; coverage: number }[]
  >();
  let skippedMembers = 0;
  for (const member of members) {
    const timeline = memberTimeline(cache, datasetId, member);
    const sequence = tokenizeTimeline(timeline, model.vocabulary, {
      until: member.indexTime,
      noEventYears: model.card.tokenizer.no_event_years,
    });
    if (sequence === null) {
      skippedMembers++;
      continue;
    }
    coverage.events += sequence.events;
    coverage.readableEvents += sequence.readable;
    const history = truncateSequence(sequence, context - maxNewTokens, model.vocabulary);
    const group = byLength.get(history.tokens.length) ?? [];
    const memberCoverage = sequence.events > 0 ? sequence.readable / sequence.events : 1;
    group.push({ member, history, coverage: memberCoverage });
    byLength.set(history.tokens.length, group);
  }
  coverage.share = coverage.events > 0 ? coverage.readableEvents / coverage.events : 1;

  const { runId, cohortId } = createRun(cache, {
    datasetId,
    aliveAt: request.aliveAt ?? null,
    savedCohortId,
    members,
    model,
    horizonDays: request.horizonDays,
    samples: request.samples,
    seed: request.seed,
    createdBy: request.createdBy,
    params: {
      aliveAt: request.aliveAt ?? null,
      cohort: request.cohort ?? null,
      datasetId,
      maxNewTokens,
      modelFolder: model.folder,
      decoder: runDecoder(model),
    },
  });
  logger.info('forecast started', { runId, members: members.length, provider: model.provider });
  request.onRunCreated?.(runId);

  try {
    const codeIds = tokenCodeIds(cache, model);
    const totals = new CohortTotals(model.vocabulary, request.horizonDays);
    const batchRows = request.batchRows ?? DEFAULT_BATCH_ROWS;
    let done = skippedMembers;
    for (const group of byLength.values()) {
      const patientsPerBatch = Math.max(1, Math.floor(batchRows / request.samples));
      for (let start = 0; start < group.length; start += patientsPerBatch) {
        if (request.signal?.aborted) throw new ForecastCancelledError();
        const batch = group.slice(start, start + patientsPerBatch);
        const trajectories = await sampleBatch(
          model,
          batch,
          request,
          horizonYears,
          maxNewTokens,
          batchRows,
        );

        const results = batch.map((entry, i) => {
          totals.add(trajectories[i]!);
          return {
            member: entry.member,
            forecasts: summarizeMember(trajectories[i]!, model.vocabulary, horizonYears),
            coverage: entry.coverage,
            trajectories: trajectories[i]!,
          };
        });
        insertResults(cache, runId, codeIds, results);
        for (const result of results)
          request.onMember?.(result.member, result.forecasts, result.coverage, result.trajectories);
        done += batch.length;
        request.onProgress?.({ members: members.length, done });
      }
    }

    const summary = totals.summary(coverage, skippedMembers);
    const seconds = (performance.now() - started) / 1000;
    // The run and its audit entry commit together.
    withAudit(
      cache,
      () => completeRun(cache, runId, summary),
      () => ({
        action: 'forecast.run',
        objectType: 'forecast_run',
        objectId: String(runId),
        counts: { members: members.length, skippedMembers, samples: request.samples },
        details: {
          cohortId,
          datasetId,
          model: `${model.card.id}@${model.card.version}`,
          horizonDays: request.horizonDays,
        },
      }),
    );
    logger.info('forecast complete', { runId, members: members.length, seconds });
    return {
      runId,
      cohortId,
      datasetId,
      members: members.length,
      skippedMembers,
      coverage,
      executionProvider: model.provider,
      seconds,
      summary,
    };
  } catch (error) {
    // A saved cohort belongs to its author; only a population made for this run goes with it.
    discardRun(cache, runId, savedCohortId === null ? cohortId : null);
    logger.warn('forecast stopped', { runId, reason: (error as Error).message });
    throw error;
  }
}

/** Select the members to forecast: everyone alive on a date, or a saved cohort. */
function forecastPopulation(request: ForecastRequest): {
  datasetId: number;
  members: Member[];
  savedCohortId: number | null;
} {
  const { cache } = request;
  if ((request.aliveAt === undefined) === (request.cohort === undefined))
    throw new ForecastRequestError('give exactly one of an alive-on date or a saved cohort');

  if (request.cohort) {
    const saved = savedCohortMembers(cache, request.cohort.name, request.cohort.version);
    if (saved.members.length === 0)
      throw new ForecastRequestError(
        `${saved.label} has no members; generate it again or choose another`,
      );
    return { datasetId: saved.datasetId, members: saved.members, savedCohortId: saved.cohortId };
  }

  const date = request.aliveAt!;
  const indexTime = parseDateTime(date);
  if (indexTime === null || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new ForecastRequestError(`--alive-at must be a date YYYY-MM-DD (got ${date})`);
  const datasetId = request.datasetId ?? latestDataset(cache);
  const alive = aliveAt(cache, datasetId, indexTime);
  const members = request.memberFilter ? request.memberFilter(alive) : alive;
  if (members.length === 0)
    throw new ForecastRequestError(
      `nobody in dataset ${datasetId} is alive and observed on ${date}; choose a date inside the records`,
    );
  return { datasetId, members, savedCohortId: null };
}

/** Sample one batch of members; a member whose samples exceed `batchRows` is sampled in slices. */
async function sampleBatch(
  model: LoadedModel,
  batch: { member: Member; history: TokenSequence }[],
  request: ForecastRequest,
  horizonYears: number,
  maxNewTokens: number,
  batchRows: number,
): Promise<Trajectory[][]> {
  const randoms = batch.map(({ member }) =>
    Array.from(
      { length: request.samples },
      (_, sample) => new Random(request.seed, subjectKey(member.subjectId), sample),
    ),
  );
  const histories = batch.map((entry) => entry.history);
  const decoder = runDecoder(model);
  if (request.samples <= batchRows)
    return sampleTrajectories(model, { histories, randoms, horizonYears, maxNewTokens, decoder });

  const trajectories: Trajectory[][] = [];
  for (let patient = 0; patient < batch.length; patient++) {
    const all: Trajectory[] = [];
    for (let first = 0; first < request.samples; first += batchRows) {
      if (request.signal?.aborted) throw new ForecastCancelledError();
      const [slice] = await sampleTrajectories(model, {
        histories: [histories[patient]!],
        randoms: [randoms[patient]!.slice(first, first + batchRows)],
        horizonYears,
        maxNewTokens,
        decoder,
      });
      all.push(...slice!);
    }
    trajectories.push(all);
  }
  return trajectories;
}

/**
 * The graph that decodes this model's trajectories, recorded with the run: the
 * step graph and the cached graph agree only to float rounding, so resampling
 * a member later must use the same one.
 */
function runDecoder(model: LoadedModel): Decoder {
  return model.step ? 'step' : 'cached';
}

function latestDataset(cache: Cache): number {
  const row = cache
    .prepare(`SELECT id FROM datasets WHERE status = 'complete' ORDER BY id DESC LIMIT 1`)
    .get() as { id: number } | undefined;
  if (!row) throw new ForecastRequestError('the cache has no complete dataset; import one first');
  return row.id;
}
