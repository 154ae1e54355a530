import type Database from 'better-sqlite3';
import type { DatasetFormat } from '../../shared/datasets';
import type { CodeInterner } from '../store/codes';
import type { DeidScanner } from './deid';
import type { EventWriter } from './event-writer';
import type { ProgressReporter } from './progress';
import type { SourceFile } from './source-hash';

export interface ReadContext {
  db: Database.Database;
  datasetId: number;
  codes: CodeInterner;
  writer: EventWriter;
  progress: ProgressReporter;
  signal?: AbortSignal;
  /** Collects problems that did not stop the import, reported on the dataset (counts only). */
  warnings: string[];
  /** Events the reader deleted again (e.g. of unknown persons); makes completion recount. */
  removedEvents: number;
  /** Scans patient-level files for direct identifiers; readers call it for every row. */
  deid: DeidScanner;
}

/** One source format. `open` validates the layout before anything is written. */
export interface DatasetSource {
  format: DatasetFormat;
  /** The files whose bytes identify the dataset. */
  files: SourceFile[];
  defaultName: string;
  metadata: Record<string, unknown>;
  read(context: ReadContext): Promise<void>;
  close(): Promise<void>;
}
