import type { ErrorPayload } from './errors';
import type { DatasetSummary, ImportProgress } from './datasets';

export type JobStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** Jobs that add a dataset to the cache: an import of files, or the synthetic demo population. */
export type DatasetJobKind = 'import' | 'synth';

export interface DatasetJobState {
  id: string;
  kind: DatasetJobKind;
  status: JobStatus;
  progress: ImportProgress | null;
  result: DatasetSummary | null;
  error: ErrorPayload | null;
  startedAt: number;
  endedAt: number | null;
}

export type JobState = DatasetJobState;
