/**
 * The report of a backtest: forecasts made from the history before a cutoff,
 * scored against what was recorded in the horizon after it, beside an
 * age-sex incidence baseline and, for synthetic data, the simulator's true risks.
 */

/** Where a set of risks came from. */
export type RiskSource = 'model' | 'baseline' | 'truth';

export interface CalibrationBin {
  /** 1 to 10, lowest predicted risk first. */
  decile: number;
  people: number;
  meanPredicted: number;
  observedShare: number;
}

/** Receiver operating characteristic curve, thinned to at most about 100 points. */
export interface RocCurve {
  falsePositiveRate: number[];
  truePositiveRate: number[];
}

export interface SourceMetrics {
  /** Null when the code has fewer positives than the report's minimum. */
  auroc: number | null;
  brier: number;
  meanRisk: number;
  roc: RocCurve | null;
}

export interface CodeMetrics {
  code: string;
  description: string | null;
  /** People with the code recorded in the horizon. */
  positives: number;
  model: SourceMetrics;
  baseline: SourceMetrics;
  truth?: SourceMetrics;
}

export interface SourceSummary {
  /** Mean AUROC over the codes with enough positives. */
  meanAuroc: number | null;
  /** Slope and intercept of the logistic recalibration of outcomes on logit(risk), pooled over codes. */
  calibrationSlope: number | null;
  calibrationIntercept: number | null;
  /** Mean Brier score over codes. */
  brier: number;
  /** Pooled over every code and person, by decile of predicted risk. */
  calibration: CalibrationBin[];
}

export interface BacktestReport {
  format: 1;
  createdAt: string;
  model: { id: string; version: string; sha256: string };
  dataset: { id: number; name: string; synthetic: boolean };
  cutoff: string;
  horizonDays: number;
  samples: number;
  seed: number;
  /** People alive and observed at the cutoff who were scored. */
  people: number;
  executionProvider: string;
  seconds: number;
  /** AUROC is reported only for codes with at least this many positives. */
  minPositives: number;
  codes: CodeMetrics[];
  summary: {
    model: SourceSummary;
    baseline: SourceSummary;
    truth?: SourceSummary;
    /** Codes with an AUROC for both, and how many of them the model beats the baseline on. */
    codesCompared: number;
    codesBeatingBaseline: number;
    /** Model mean AUROC / truth mean AUROC, when the truth is known. */
    aurocRatioToTruth?: number | null;
  };
}
