export type DatasetFormat = 'meds' | 'omop';

/** One completed import, as listed on the Data page and by `horizon datasets`. */
export interface DatasetSummary {
  id: number;
  name: string;
  version: number;
  format: DatasetFormat;
  source: string;
  sourceHash: string;
  subjects: number;
  events: number;
  codes: number;
  /** Earliest and latest event time in seconds since 1970-01-01 UTC, null when no timed events. */
  firstEventTime: number | null;
  lastEventTime: number | null;
  importedAt: number;
  importedBy: string;
  durationMs: number;
  warnings: string[];
  /** True for simulated people (the demo population), which the app labels on every page. */
  synthetic: boolean;
}

export interface CacheInfo {
  path: string;
  schemaVersion: number;
  sizeBytes: number;
  datasets: number;
  subjects: number;
  events: number;
  codes: number;
  /** True when any dataset in the cache is synthetic. */
  synthetic: boolean;
}

export type ImportPhase = 'hashing' | 'simulating' | 'reading' | 'finalizing';

/** Progress of one import. `totalRows` and `totalBytes` are null when unknown in advance. */
export interface ImportProgress {
  phase: ImportPhase;
  file: string | null;
  rows: number;
  totalRows: number | null;
  bytes: number;
  totalBytes: number | null;
  elapsedMs: number;
  etaMs: number | null;
}
