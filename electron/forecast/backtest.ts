/**
 * Backtest: forecast everyone alive at a cutoff from their history before it,
 * then score the risks against what was recorded in the horizon after it,
 * beside an age-sex incidence baseline and, for synthetic data, the true risks.
 */
import { readFileSync } from 'node:fs';
import type {
  BacktestReport,
  CodeMetrics,
  RiskSource,
  SourceMetrics,
  SourceSummary,
} from '../../shared/backtest';
import { parseDateTime } from '../ingest/time';
import type { LoadedModel } from '../model/model-folder';
import { Prng } from '../synth/prng';
import type { Cache } from '../store/cache';
import { IncidenceBaseline, personDetails } from './incidence-baseline';
import { runForecast } from './forecast';
import { ForecastRequestError } from './limits';
import { TARGET_KINDS } from './member-summary';
import { auroc, brier, calibrationByDecile, calibrationSlope, rocCurve } from './metrics';
import { recordedTokens } from './outcomes';
import type { Member } from './population';

/** Minimum people with a code for its AUROC to be reported, because below it the estimate is too noisy to compare. */
export const MIN_POSITIVES = 20;

export interface BacktestOptions {
  cache: Cache;
  model: LoadedModel;
  datasetId?: number;
  /** YYYY-MM-DD: forecasts read only events up to this day. */
  cutoff: string;
  horizonDays: number;
  samples: number;
  seed: number;
  /** A CSV from `horizon truth` (subject_id, code, probability) for synthetic data. */
  truthCsv?: string;
  /** Score a random sample of this many people (seeded) instead of everyone. */
  maxPeople?: number;
  createdBy: string;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: 'forecast' | 'scoring'; done: number; total: number }) => void;
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestReport> {
  const started = performance.now();
  const { cache, model } = options;
  const vocabulary = model.vocabulary;
  const vocab = vocabulary.size;
  const cutoff = parseDateTime(options.cutoff);
  if (cutoff === null || !/^\d{4}-\d{2}-\d{2}$/.test(options.cutoff))
    throw new ForecastRequestError(`the cutoff must be a date YYYY-MM-DD (got ${options.cutoff})`);
  const horizonSeconds = options.horizonDays * 86_400;

  // People without a true risk (the cache and the simulator can disagree about
  // someone who died on the cutoff day) are left out of every source alike.
  const truth = options.truthCsv ? readTruth(options.truthCsv, vocabulary) : null;

  // 1. Model risks, forecast from the history up to the cutoff; the run is kept like any other.
  const rowOf = new Map<number, number>();
  const members: Member[] = [];
  const modelRisk: number[][] = [];
  const run = await runForecast({
    cache,
    model,
    datasetId: options.datasetId,
    aliveAt: options.cutoff,
    horizonDays: options.horizonDays,
    samples: options.samples,
    seed: options.seed,
    createdBy: options.createdBy,
    signal: options.signal,
    memberFilter: (alive) =>
      samplePeople(
        truth ? alive.filter((member) => truth.has(Number(member.subjectId))) : alive,
        options.maxPeople,
        options.seed,
      ),
    onProgress: (p) => options.onProgress?.({ phase: 'forecast', done: p.done, total: p.members }),
    onMember: (member, forecasts) => {
      rowOf.set(Number(member.subjectId), members.length);
      members.push(member);
      const risks = new Array<number>(vocab).fill(0);
      for (const forecast of forecasts) risks[forecast.token] = forecast.probability;
      modelRisk.push(risks);
    },
  });
  const datasetId = run.datasetId;
  options.onProgress?.({ phase: 'scoring', done: 0, total: 1 });

  // 2. Outcomes in (cutoff, cutoff + horizon], the baseline and the truth.
  const outcomes = recordedTokens(
    cache,
    datasetId,
    rowOf,
    cutoff,
    cutoff + horizonSeconds,
    vocabulary,
  );
  const baseline = IncidenceBaseline.fit(cache, datasetId, cutoff, horizonSeconds, vocabulary);
  const people = personDetails(cache, datasetId);
  const baselineRisk = members.map((member) => {
    const person = people.get(Number(member.subjectId));
    return baseline.risk(person?.sex ?? null, person?.birthTime ?? null, cutoff);
  });
  const truthRisk = truth ? members.map((member) => truth.get(Number(member.subjectId))!) : null;

  // 3. Metrics for every code the model can forecast.
  const targets = vocabulary.tokens
    .map((token, id) => ({ token, id }))
    .filter(({ token }) => TARGET_KINDS.has(token.kind));
  const n = members.length;
  const column = (source: (row: number) => number) =>
    Float64Array.from({ length: n }, (_, row) => source(row));
  const codes: CodeMetrics[] = [];
  const pooled: Record<RiskSource, { risks: number[]; outcomes: number[] }> = {
    model: { risks: [], outcomes: [] },
    baseline: { risks: [], outcomes: [] },
    truth: { risks: [], outcomes: [] },
  };
  for (const { token, id } of targets) {
    const outcome = Uint8Array.from({ length: n }, (_, row) => outcomes[row * vocab + id]!);
    const positives = outcome.reduce((sum, value) => sum + value, 0);
    const truthColumn = truthRisk ? column((row) => truthRisk[row]![id]!) : null;
    const sources: [RiskSource, Float64Array][] = [
      ['model', column((row) => modelRisk[row]![id]!)],
      ['baseline', column((row) => baselineRisk[row]![id]!)],
    ];
    if (truthColumn) sources.push(['truth', truthColumn]);

    const metrics = {} as Record<RiskSource, SourceMetrics>;
    for (const [source, risks] of sources) {
      metrics[source] = sourceMetrics(risks, outcome, positives);
      for (let row = 0; row < n; row++) {
        pooled[source].risks.push(risks[row]!);
        pooled[source].outcomes.push(outcome[row]!);
      }
    }
    codes.push({
      code: token.code,
      description: token.description,
      positives,
      model: metrics.model,
      baseline: metrics.baseline,
      ...(metrics.truth ? { truth: metrics.truth } : {}),
    });
  }

  // 4. Summaries over the codes every source can be scored on.
  const scored = codes.filter((code) => code.positives >= MIN_POSITIVES && code.positives < n);
  const compared = scored.filter(
    (code) => code.model.auroc !== null && code.baseline.auroc !== null,
  );
  const summary: BacktestReport['summary'] = {
    model: summarize(scored, 'model', pooled.model),
    baseline: summarize(scored, 'baseline', pooled.baseline),
    codesCompared: compared.length,
    codesBeatingBaseline: compared.filter((code) => code.model.auroc! > code.baseline.auroc!)
      .length,
  };
  if (truth) {
    summary.truth = summarize(scored, 'truth', pooled.truth);
    const modelMean = summary.model.meanAuroc;
    const truthMean = summary.truth.meanAuroc;
    summary.aurocRatioToTruth = modelMean !== null && truthMean ? modelMean / truthMean : null;
  }
  options.onProgress?.({ phase: 'scoring', done: 1, total: 1 });

  const dataset = cache
    .prepare('SELECT id, name, metadata FROM datasets WHERE id = ?')
    .get(datasetId) as { id: number; name: string; metadata: string };
  return {
    format: 1,
    createdAt: new Date().toISOString(),
    model: { id: model.card.id, version: model.card.version, sha256: model.hash },
    dataset: {
      id: dataset.id,
      name: dataset.name,
      synthetic: (JSON.parse(dataset.metadata) as { synthetic?: unknown }).synthetic === true,
    },
    cutoff: options.cutoff,
    horizonDays: options.horizonDays,
    samples: options.samples,
    seed: options.seed,
    people: n,
    executionProvider: run.executionProvider,
    seconds: (performance.now() - started) / 1000,
    minPositives: MIN_POSITIVES,
    codes,
    summary,
  };
}

function sourceMetrics(risks: Float64Array, outcome: Uint8Array, positives: number): SourceMetrics {
  const enough = positives >= MIN_POSITIVES && positives < outcome.length;
  let meanRisk = 0;
  for (const risk of risks) meanRisk += risk;
  return {
    auroc: enough ? auroc(risks, outcome) : null,
    brier: brier(risks, outcome),
    meanRisk: risks.length > 0 ? meanRisk / risks.length : 0,
    roc: enough ? rocCurve(risks, outcome) : null,
  };
}

function summarize(
  codes: CodeMetrics[],
  source: RiskSource,
  pooled: { risks: number[]; outcomes: number[] },
): SourceSummary {
  const aurocs = codes
    .map((code) => code[source]?.auroc)
    .filter((value): value is number => typeof value === 'number');
  const briers = codes
    .map((code) => code[source]?.brier)
    .filter((value): value is number => typeof value === 'number');
  const fit = calibrationSlope(pooled.risks, pooled.outcomes);
  return {
    meanAuroc: aurocs.length > 0 ? mean(aurocs) : null,
    calibrationSlope: fit?.slope ?? null,
    calibrationIntercept: fit?.intercept ?? null,
    brier: briers.length > 0 ? mean(briers) : 0,
    calibration: calibrationByDecile(pooled.risks, pooled.outcomes),
  };
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Draw a seeded random sample of at most `max` members, kept in their original order. */
function samplePeople(members: Member[], max: number | undefined, seed: number): Member[] {
  if (max === undefined || members.length <= max) return members;
  const rng = new Prng(seed);
  const keyed = members.map((member, index) => ({ index, key: rng.next() }));
  keyed.sort((a, b) => a.key - b.key);
  const chosen = keyed
    .slice(0, max)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return chosen.map((index) => members[index]!);
}

/**
 * Read a `horizon truth` CSV into one risk row over the model's tokens per
 * subject. Codes the model has no token for are skipped.
 */
function readTruth(path: string, vocabulary: LoadedModel['vocabulary']): Map<number, Float64Array> {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[0]?.trim() !== 'subject_id,code,probability,standard_error')
    throw new ForecastRequestError(
      `${path} is not a truth file: its header should be subject_id,code,probability,standard_error (write it with horizon truth)`,
    );
  const rows = new Map<number, Float64Array>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const [subject, code, probability] = line.split(',');
    const subjectId = Number(subject);
    const value = Number(probability);
    if (!Number.isSafeInteger(subjectId) || !Number.isFinite(value))
      throw new ForecastRequestError(
        `${path} line ${i + 1}: expected a subject id and a probability (got "${line}")`,
      );
    let row = rows.get(subjectId);
    if (!row) rows.set(subjectId, (row = new Float64Array(vocabulary.size)));
    const token = vocabulary.id(code!);
    if (token !== undefined) row[token] = value;
  }
  return rows;
}
