/**
 * Request schemas and responses of the forecast, demand, model and backtest
 * channels, merged into the contract in api.ts. Counts that could identify
 * people arrive as MaskedCount: the main process masks them below the
 * disclosure threshold before they cross IPC.
 */
import { z } from 'zod';
import type { BacktestReport, CodeMetrics } from './backtest';
import type { MaskedCount } from './cohorts';
import type { ErrorPayload } from './errors';
import type { JobStatus } from './jobs';

const runId = z.number().int().min(1);
const jobId = z.string().min(1).max(100);
const code = z.string().min(1).max(200);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** A model folder's name under the models directory, never a path. */
const modelId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'must be a model folder name');

export const forecastPopulationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alive'),
    date: isoDate,
    datasetId: z.number().int().min(1).optional(),
  }),
  z.object({
    kind: z.literal('cohort'),
    name: z.string().min(1).max(200),
    version: z.number().int().min(1).optional(),
  }),
]);
export type ForecastPopulation = z.infer<typeof forecastPopulationSchema>;

export const memberColumnSchema = z.enum(['id', 'age', 'sex', 'coverage', 'risk']);
export type MemberColumn = z.infer<typeof memberColumnSchema>;

export const forecastRequestSchemas = {
  'models.list': z.object({}),
  'models.card': z.object({ modelId }),
  'forecast.start': z.object({
    modelId,
    population: forecastPopulationSchema,
    horizonDays: z.number().int(),
    samples: z.number().int(),
    seed: z.number().int(),
  }),
  'forecast.job': z.object({ jobId }),
  'forecast.cancel': z.object({ jobId }),
  'forecast.runs': z.object({}),
  'forecast.summary': z.object({ runId }),
  /** One page of a run's members, sorted and filtered in SQLite. */
  'forecast.members': z.object({
    runId,
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(500),
    /** Codes whose risk columns the table shows (at most 6). */
    riskCodes: z.array(code).max(6),
    sort: z.object({
      column: memberColumnSchema,
      /** With column 'risk': which code. */
      code: code.optional(),
      descending: z.boolean(),
    }),
    filter: z
      .object({
        idPrefix: z.string().max(40).optional(),
        sex: z.string().max(40).optional(),
        ageMin: z.number().min(0).max(150).optional(),
        ageMax: z.number().min(0).max(150).optional(),
        /** Members whose risk of `code` is at least `minRisk`. */
        code: code.optional(),
        minRisk: z.number().min(0).max(1).optional(),
      })
      .optional(),
  }),
  /** One member's recorded timeline, risks and a few re-sampled trajectories. */
  'forecast.member': z.object({
    runId,
    memberId: z.string().min(1).max(40),
    trajectories: z.number().int().min(0).max(10),
  }),
  'forecast.histogram': z.object({ runId, code, bins: z.number().int().min(5).max(50).optional() }),
  'forecast.demand': z.object({ runId }),
  'backtest.start': z.object({
    modelId,
    cutoff: isoDate,
    horizonDays: z.number().int(),
    samples: z.number().int(),
    seed: z.number().int(),
    maxPeople: z.number().int().min(1).max(1_000_000).optional(),
    /** Also score the simulator's true risks when the dataset is synthetic (simulates it again). */
    withTruth: z.boolean().optional(),
  }),
  'backtest.job': z.object({ jobId }),
  'backtest.cancel': z.object({ jobId }),
  'backtest.available': z.object({}),
  'backtest.reports': z.object({}),
  'backtest.report': z.object({ reportId: z.number().int().min(1) }),
} as const;

export interface ModelSummary {
  /** Folder name, used to choose the model. */
  id: string;
  cardId: string;
  version: string;
  description: string;
  vocabularySize: number;
  contextLength: number;
  status: string | null;
}

export interface ModelCardView extends ModelSummary {
  created: string | null;
  architecture: Record<string, string | number>;
  vocabulary: {
    code: string;
    kind: string;
    description: string | null;
    count: number | null;
    chronic: boolean;
  }[];
  trainingData: Record<string, unknown>;
  metrics: Record<string, unknown>;
  notes: string | null;
  files: { name: string; sha256: string; verified: boolean }[];
  /** The execution provider the model loaded with here, and why earlier ones failed. */
  executionProvider: string | null;
  providerFailures: { provider: string; reason: string }[];
  loadError: string | null;
}

export type ForecastPhase = 'loading' | 'preparing' | 'forecasting' | 'aggregating';

export interface ForecastJobState {
  id: string;
  status: JobStatus;
  phase: ForecastPhase;
  done: number;
  total: number;
  /** Seconds left at the current pace; null until there is a pace. */
  etaSeconds: number | null;
  executionProvider: string | null;
  runId: number | null;
  error: ErrorPayload | null;
  startedAt: number;
  endedAt: number | null;
}

export interface RunListItem {
  id: number;
  population: { kind: 'alive'; date: string } | { kind: 'cohort'; name: string; version: number };
  datasetId: number;
  model: string;
  modelHash: string;
  horizonDays: number;
  samples: number;
  seed: number;
  executionProvider: string | null;
  members: MaskedCount;
  startedAt: number;
  completedAt: number | null;
  createdBy: string;
}

/** An expected number of people or events, masked with its interval when below the threshold. */
export interface MaskedExpectation {
  expected: number | null;
  low: number | null;
  high: number | null;
  masked: boolean;
}

export interface ExpectedCases extends MaskedExpectation {
  code: string;
  description: string | null;
  /** The age-sex baseline's expected cases for the same members; null when it was not computed. */
  baseline: MaskedExpectation | null;
}

export interface RunSummaryView {
  run: RunListItem;
  threshold: number;
  coverageShare: number;
  skippedMembers: MaskedCount;
  truncatedShare: number;
  /** Every predicted code, most expected cases first. */
  expectedCases: ExpectedCases[];
  /** Expected inpatient admissions per month of the horizon, with a 95% interval. */
  admissionsPerMonth: DemandMonth[] | null;
  /** Where the baseline rates came from (reference window and population). */
  baseline: { from: string; to: string; people: MaskedCount } | null;
}

export interface MemberRow {
  /** Pseudonymous id, stable within a run; the cache's subject id never leaves the main process. */
  id: string;
  age: number | null;
  sex: string | null;
  coverage: number | null;
  /** Risk of each requested code, in the order of riskCodes. */
  risks: (number | null)[];
}

export interface MemberPage {
  /** Members matching the filter; masked when below the threshold. */
  total: MaskedCount;
  /** Unmasked row count for paging, at least as large as the rows that can be fetched. */
  rows: MemberRow[];
  pageTotal: number;
}

export type TimelineCategory =
  'condition' | 'admission' | 'vaccine' | 'consultation' | 'lifestyle' | 'death' | 'other';

export interface MemberView {
  id: string;
  age: number | null;
  sex: string | null;
  coverage: number | null;
  indexDate: string;
  horizonDays: number;
  recorded: {
    date: string;
    code: string;
    description: string | null;
    category: TimelineCategory;
  }[];
  /** Re-sampled with the run's seed: sample i is the run's sample i of this member. */
  trajectories: {
    events: {
      days: number;
      code: string;
      description: string | null;
      category: TimelineCategory;
    }[];
    died: boolean;
  }[];
  /** Null when the run's model folder is missing or changed since the run. */
  trajectoryError: ErrorPayload | null;
  risks: {
    code: string;
    description: string | null;
    probability: number;
    low: number;
    high: number;
    expectedDays: number | null;
  }[];
}

export interface RiskHistogram {
  code: string;
  binWidth: number;
  /** Members per bin of predicted risk, masked below the threshold. */
  bins: { from: number; to: number; members: MaskedCount }[];
}

export interface DemandMonth {
  /** 1 for the first month of the horizon. */
  month: number;
  /** Calendar month YYYY-MM when every member shares one index date; else null. */
  calendar: string | null;
  admissions: MaskedExpectation;
  bedDays: MaskedExpectation;
  /** Expected admissions by admission code. */
  byType: { code: string; admissions: MaskedExpectation }[];
}

export interface LengthOfStay {
  code: string;
  days: number;
  source: 'data' | 'default';
  /** Admissions with a recorded stay that the figure comes from (source 'data'). */
  admissions: number;
}

export interface DemandView {
  runId: number;
  threshold: number;
  months: DemandMonth[];
  total: { admissions: MaskedExpectation; bedDays: MaskedExpectation };
  /** Conditions forecast within a week of an admission, which the admissions are attributed to. */
  drivers: {
    code: string;
    description: string | null;
    admissions: MaskedExpectation;
    bedDays: MaskedExpectation;
  }[];
  lengthOfStay: LengthOfStay[];
}

/** A saved backtest report as the renderer gets it: positives below the disclosure threshold masked. */
export type MaskedBacktestReport = Omit<BacktestReport, 'codes'> & {
  id: number;
  codes: (Omit<CodeMetrics, 'positives'> & { positives: MaskedCount })[];
  threshold: number;
};

/** A saved backtest report in the list, without its contents. */
export interface BacktestReportItem {
  id: number;
  createdAt: string;
  createdBy: string;
  modelId: string;
  modelVersion: string;
  cutoff: string;
  horizonDays: number;
  samples: number;
  people: number;
}

export interface BacktestJobState {
  id: string;
  status: JobStatus;
  phase: 'loading' | 'truth' | 'forecast' | 'scoring';
  done: number;
  total: number;
  etaSeconds: number | null;
  /** The saved report, once the backtest completed. */
  reportId: number | null;
  error: ErrorPayload | null;
  startedAt: number;
  endedAt: number | null;
}

export interface ForecastResponses {
  'models.list': ModelSummary[];
  'models.card': ModelCardView;
  'forecast.start': { jobId: string };
  'forecast.job': ForecastJobState;
  'forecast.cancel': { cancelled: boolean };
  'forecast.runs': RunListItem[];
  'forecast.summary': RunSummaryView;
  'forecast.members': MemberPage;
  'forecast.member': MemberView;
  'forecast.histogram': RiskHistogram;
  'forecast.demand': DemandView;
  'backtest.start': { jobId: string };
  'backtest.job': BacktestJobState;
  'backtest.cancel': { cancelled: boolean };
  /** Whether this build can run backtests (electron/forecast/backtest.ts exists). */
  'backtest.available': { available: boolean };
  'backtest.reports': BacktestReportItem[];
  'backtest.report': MaskedBacktestReport;
}

/** The channels' entries for the contract in api.ts. */
export const forecastChannels = Object.fromEntries(
  Object.entries(forecastRequestSchemas).map(([name, request]) => [name, { request }]),
) as {
  [K in keyof typeof forecastRequestSchemas]: { request: (typeof forecastRequestSchemas)[K] };
};
