import type { ImportPhase, ImportProgress } from '../../shared/datasets';

/** Tracks rows and bytes read and reports progress at most every `intervalMs`. */
export class ProgressReporter {
  private readonly started = Date.now();
  private lastReport = 0;
  phase: ImportPhase = 'reading';
  file: string | null = null;
  rows = 0;
  bytes = 0;
  totalRows: number | null = null;
  totalBytes: number | null = null;

  constructor(
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
    private readonly intervalMs = 100,
  ) {}

  report(force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastReport < this.intervalMs) return;
    this.lastReport = now;
    this.onProgress(this.snapshot(now));
  }

  snapshot(now = Date.now()): ImportProgress {
    const elapsedMs = now - this.started;
    return {
      phase: this.phase,
      file: this.file,
      rows: this.rows,
      totalRows: this.totalRows,
      bytes: this.bytes,
      totalBytes: this.totalBytes,
      elapsedMs,
      etaMs: this.estimateRemaining(elapsedMs),
    };
  }

  // Rows give the better estimate when the total is known (parquet metadata);
  // CSV sources only know their size in bytes.
  private estimateRemaining(elapsedMs: number): number | null {
    const fraction =
      this.totalRows !== null && this.totalRows > 0
        ? this.rows / this.totalRows
        : this.totalBytes !== null && this.totalBytes > 0
          ? this.bytes / this.totalBytes
          : null;
    if (fraction === null || fraction <= 0 || elapsedMs < 500) return null;
    return Math.max(0, Math.round((elapsedMs * (1 - fraction)) / fraction));
  }
}
