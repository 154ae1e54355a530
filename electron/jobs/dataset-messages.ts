import type { ImportRequest } from '../../shared/api';
import type { DatasetSummary, ImportProgress } from '../../shared/datasets';
import type { ErrorPayload } from '../../shared/errors';

export interface ImportWorkerData {
  cachePath: string;
  request: ImportRequest;
  importedBy: string;
}

export type ToImportWorker = { type: 'cancel' };

export type FromImportWorker =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: DatasetSummary }
  | { type: 'error'; error: ErrorPayload };
