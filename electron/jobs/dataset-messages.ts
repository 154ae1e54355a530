import type { ImportRequest } from '../../shared/api';
import type { DatasetSummary, ImportProgress } from '../../shared/datasets';
import type { ErrorPayload } from '../../shared/errors';

/** The work of a dataset worker: an import of files, or a synthetic population. */
export type DatasetTask =
  { kind: 'import'; request: ImportRequest } | { kind: 'synth'; people: number; seed: number };

export interface DatasetWorkerData {
  cachePath: string;
  task: DatasetTask;
  user: string;
}

export type ToDatasetWorker = { type: 'cancel' };

export type FromDatasetWorker =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: DatasetSummary }
  | { type: 'error'; error: ErrorPayload };
