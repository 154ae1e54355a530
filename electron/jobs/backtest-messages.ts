import type { EngineSettings } from '../../shared/settings-api';
import type { BacktestReport } from '../../shared/backtest';
import type { ErrorPayload } from '../../shared/errors';
import type { BacktestJobState } from '../../shared/forecast-api';

export interface BacktestTask {
  modelFolder: string;
  cutoff: string;
  horizonDays: number;
  samples: number;
  seed: number;
  maxPeople?: number;
  /** Score the simulator's true risks too, when the dataset is synthetic. */
  withTruth?: boolean;
}

export interface BacktestWorkerData {
  cachePath: string;
  task: BacktestTask;
  user: string;
  /** Execution providers and threads from the Settings page. */
  engine: EngineSettings;
}

export type ToBacktestWorker = { type: 'cancel' };

export type FromBacktestWorker =
  | { type: 'progress'; phase: BacktestJobState['phase']; done: number; total: number }
  | { type: 'done'; report: BacktestReport }
  | { type: 'error'; error: ErrorPayload };
