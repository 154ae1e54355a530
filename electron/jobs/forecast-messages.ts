import type { EngineSettings } from '../../shared/settings-api';
import type { ForecastPopulation, ForecastPhase } from '../../shared/forecast-api';
import type { ErrorPayload } from '../../shared/errors';

/** A forecast run for the app: the model folder, the population and the sampling settings. */
export interface ForecastTask {
  kind: 'forecast';
  modelFolder: string;
  population: ForecastPopulation;
  horizonDays: number;
  samples: number;
  seed: number;
}

export interface ForecastWorkerData {
  cachePath: string;
  task: ForecastTask;
  user: string;
  /** Execution providers and threads from the Settings page. */
  engine: EngineSettings;
}

export type ToForecastWorker = { type: 'cancel' };

export type FromForecastWorker =
  | { type: 'provider'; provider: string }
  | { type: 'run'; runId: number }
  | { type: 'progress'; phase: ForecastPhase; done: number; total: number }
  | { type: 'done'; runId: number }
  | { type: 'error'; error: ErrorPayload };
