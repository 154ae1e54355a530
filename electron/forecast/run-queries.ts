/**
 * Read a forecast run for the app: the list of runs, a run's cohort view,
 * risk histograms and service demand. Every count of people or events that
 * leaves here is masked below the disclosure threshold.
 */
import type {
  DemandMonth,
  DemandView,
  ExpectedCases,
  MaskedExpectation,
  RiskHistogram,
  RunListItem,
  RunSummaryView,
} from '../../shared/forecast-api';
import { HorizonError } from '../../shared/errors';
import { maskCount } from '../cohorts/masking';
import type { Decoder } from '../model/decode-cache';
import type { Cache } from '../store/cache';
import type { CohortSummary } from './cohort-totals';
import type { DemandSummary, Expectation } from './demand';
import type { BaselineSummary } from './run-baseline';
import { ensureRunMembers } from './run-members';

interface RunRow {
  id: number;
  cohortId: number;
  cohortName: string;
  cohortVersion: number;
  datasetId: number;
  cohortMembers: number;
  modelId: string;
  modelHash: string;
  horizonDays: number;
  samples: number;
  seed: number;
  executionProvider: string | null;
  params: string;
  startedAt: number;
  completedAt: number | null;
  createdBy: string;
  summary: string;
}

const RUN_COLUMNS = `r.id, r.cohort_id AS cohortId, c.name AS cohortName, c.version AS cohortVersion,
  c.dataset_id AS datasetId, c.members AS cohortMembers, r.model_id AS modelId, r.model_hash AS modelHash,
  r.horizon_days AS horizonDays, r.samples, r.seed, r.execution_provider AS executionProvider, r.params,
  r.started_at AS startedAt, r.completed_at AS completedAt, r.created_by AS createdBy, r.summary`;

export interface RunParams {
  aliveAt?: string | null;
  cohort?: { name: string; version?: number } | null;
  maxNewTokens?: number;
  modelFolder?: string;
  /** Graph that decoded the trajectories; runs from before the step graph used the cached graph. */
  decoder?: Decoder;
}

function listItem(row: RunRow, threshold: number): RunListItem {
  const params = JSON.parse(row.params) as RunParams;
  const summary = JSON.parse(row.summary) as Partial<CohortSummary>;
  return {
    id: row.id,
    population: params.aliveAt
      ? { kind: 'alive', date: params.aliveAt }
      : { kind: 'cohort', name: row.cohortName, version: row.cohortVersion },
    datasetId: row.datasetId,
    model: row.modelId,
    modelHash: row.modelHash,
    horizonDays: row.horizonDays,
    samples: row.samples,
    seed: row.seed,
    executionProvider: row.executionProvider,
    members: maskCount(summary.members ?? row.cohortMembers, threshold),
    startedAt: row.startedAt * 1000,
    completedAt: row.completedAt === null ? null : row.completedAt * 1000,
    createdBy: row.createdBy,
  };
}

/** Complete runs, newest first. Runs still in progress are not listed: a partial run is never shown. */
export function listRuns(cache: Cache, threshold: number): RunListItem[] {
  const rows = cache
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM forecast_runs r JOIN cohorts c ON c.id = r.cohort_id
        WHERE r.status = 'complete' ORDER BY r.id DESC`,
    )
    .all() as RunRow[];
  return rows.map((row) => listItem(row, threshold));
}

export function requireCompleteRun(cache: Cache, runId: number): RunRow & { parsed: RunParams } {
  const row = cache
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM forecast_runs r JOIN cohorts c ON c.id = r.cohort_id
        WHERE r.id = ? AND r.status = 'complete'`,
    )
    .get(runId) as RunRow | undefined;
  if (!row)
    throw new HorizonError('forecast_run_not_found', `Forecast run ${runId} was not found.`, {
      runId,
    });
  return { ...row, parsed: JSON.parse(row.params) as RunParams };
}

/** An expectation as shown: masked, with its interval, when it is below the threshold. */
export function maskExpectation(value: Expectation, threshold: number): MaskedExpectation {
  if (value.expected < threshold) return { expected: null, low: null, high: null, masked: true };
  return { expected: value.expected, low: value.low, high: value.high, masked: false };
}

function extras(
  cache: Cache,
  runId: number,
): { demand: DemandSummary | null; baseline: BaselineSummary | null } {
  const row = cache
    .prepare('SELECT demand, baseline FROM forecast_extras WHERE run_id = ?')
    .get(runId) as { demand: string | null; baseline: string | null } | undefined;
  return {
    demand: row?.demand ? (JSON.parse(row.demand) as DemandSummary | null) : null,
    baseline: row?.baseline ? (JSON.parse(row.baseline) as BaselineSummary | null) : null,
  };
}

function descriptions(cache: Cache, codes: string[]): Map<string, string | null> {
  const select = cache.prepare('SELECT description FROM codes WHERE code = ?');
  return new Map(
    codes.map((code) => [
      code,
      (select.get(code) as { description: string | null } | undefined)?.description ?? null,
    ]),
  );
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function runSummary(cache: Cache, runId: number, threshold: number): RunSummaryView {
  const row = requireCompleteRun(cache, runId);
  const summary = JSON.parse(row.summary) as CohortSummary;
  const { demand, baseline } = extras(cache, runId);
  const described = descriptions(
    cache,
    summary.expectedCases.map((c) => c.code),
  );
  const expectedCases: ExpectedCases[] = summary.expectedCases.map((c) => {
    const base = baseline?.expected[c.code];
    return {
      code: c.code,
      description: described.get(c.code) ?? null,
      ...maskExpectation(c, threshold),
      baseline: baseline
        ? maskExpectation(base ?? { expected: 0, low: 0, high: 0 }, threshold)
        : null,
    };
  });
  return {
    run: listItem(row, threshold),
    threshold,
    coverageShare: summary.coverage.share,
    skippedMembers: maskCount(summary.skippedMembers, threshold),
    truncatedShare: summary.truncatedShare,
    expectedCases,
    admissionsPerMonth: demand
      ? demandMonths(demand, row.parsed, threshold, 'ADMISSION//INPATIENT')
      : null,
    baseline: baseline
      ? {
          from: isoDate(baseline.from),
          to: isoDate(baseline.to),
          people: maskCount(baseline.people, threshold),
        }
      : null,
  };
}

/** The calendar month YYYY-MM `offset` months after the month of `start` (milliseconds). */
function calendarMonth(start: number, offset: number): string {
  const date = new Date(start);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1))
    .toISOString()
    .slice(0, 7);
}

/**
 * The months of the horizon; when every member starts on one date they carry a
 * calendar month, counted from the month of that date (month 1 of a horizon
 * starting on 1 January is January).
 * With `onlyType`, admissions are those of that code alone.
 */
function demandMonths(
  demand: DemandSummary,
  params: RunParams,
  threshold: number,
  onlyType?: string,
): DemandMonth[] {
  const start = params.aliveAt ? Date.parse(`${params.aliveAt}T00:00:00Z`) : null;
  return demand.months.map((month) => {
    const type = onlyType ? month.byType.find((t) => t.code === onlyType) : undefined;
    return {
      month: month.month,
      calendar: start === null ? null : calendarMonth(start, month.month - 1),
      admissions: maskExpectation(
        onlyType ? (type?.admissions ?? { expected: 0, low: 0, high: 0 }) : month.admissions,
        threshold,
      ),
      bedDays: maskExpectation(month.bedDays, threshold),
      byType: month.byType.map((t) => ({
        code: t.code,
        admissions: maskExpectation(t.admissions, threshold),
      })),
    };
  });
}

export function demandView(cache: Cache, runId: number, threshold: number): DemandView {
  const row = requireCompleteRun(cache, runId);
  const { demand } = extras(cache, runId);
  if (!demand)
    throw new HorizonError(
      'forecast_run_not_found',
      `Forecast run ${runId} has no service demand: it was run outside the app; run it again from the Forecasts page.`,
      { runId },
    );
  const described = descriptions(
    cache,
    demand.drivers.map((d) => d.code),
  );
  return {
    runId,
    threshold,
    months: demandMonths(demand, row.parsed, threshold),
    total: {
      admissions: maskExpectation(demand.total.admissions, threshold),
      bedDays: maskExpectation(demand.total.bedDays, threshold),
    },
    drivers: demand.drivers.slice(0, 15).map((d) => ({
      code: d.code,
      description: described.get(d.code) ?? null,
      admissions: maskExpectation(d.admissions, threshold),
      bedDays: maskExpectation(d.bedDays, threshold),
    })),
    lengthOfStay: demand.lengthOfStay,
  };
}

/** Raw bin counts by run, code and bin count; a complete run's results never change. */
const histograms = new WeakMap<Cache, Map<string, number[]>>();

/** Members per bin of predicted risk of one code; members without a stored risk have a risk under 0.01%. */
export function riskHistogram(
  cache: Cache,
  runId: number,
  code: string,
  threshold: number,
  bins = 20,
): RiskHistogram {
  let perCache = histograms.get(cache);
  if (!perCache) histograms.set(cache, (perCache = new Map()));
  const key = `${runId}|${code}|${bins}`;
  const counts = perCache.get(key) ?? countRiskBins(cache, runId, code, bins);
  perCache.set(key, counts);
  return {
    code,
    binWidth: 1 / bins,
    bins: counts.map((n, i) => ({
      from: i / bins,
      to: (i + 1) / bins,
      members: maskCount(n, threshold),
    })),
  };
}

function countRiskBins(cache: Cache, runId: number, code: string, bins: number): number[] {
  const row = requireCompleteRun(cache, runId);
  const summary = JSON.parse(row.summary) as CohortSummary;
  ensureRunMembers(cache, runId);
  const counts = new Array<number>(bins).fill(0);
  const codeId = cache.prepare('SELECT id FROM codes WHERE code = ?').pluck().get(code) as
    number | undefined;
  // One index seek per member: forecast_results is keyed by run, subject and code.
  const stored =
    codeId === undefined
      ? []
      : (cache
          .prepare(
            `SELECT min(CAST(r.probability * ? AS INTEGER), ? - 1) AS bin, count(*) AS n
               FROM forecast_members m
               JOIN forecast_results r ON r.run_id = m.run_id AND r.subject_id = m.subject_id AND r.code_id = ?
              WHERE m.run_id = ? GROUP BY bin`,
          )
          .all(bins, bins, codeId, runId) as { bin: number; n: number }[]);
  let withRisk = 0;
  for (const { bin, n } of stored) {
    counts[bin]! += n;
    withRisk += n;
  }
  counts[0]! += Math.max(0, summary.members - withRisk);
  return counts;
}
