import type { ErrorPayload } from './errors';
import type { DatasetSummary, ImportProgress } from './datasets';

export type JobStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface ImportJobState {
  id: string;
  kind: 'import';
  status: JobStatus;
  progress: ImportProgress | null;
  result: DatasetSummary | null;
  error: ErrorPayload | null;
  startedAt: number;
  endedAt: number | null;
}

export type JobState = ImportJobState;
