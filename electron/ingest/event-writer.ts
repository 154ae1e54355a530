import type Database from 'better-sqlite3';
import type { EventTotals } from '../store/datasets';
import { cancelled } from './input-error';

export type SubjectId = number | bigint;

/**
 * Appends events of one dataset in batched transactions. Each batch commits on
 * its own. The rows stay invisible while the dataset row is 'importing', and a
 * failed or cancelled import purges them.
 */
export class EventWriter {
  private readonly insert: Database.Statement;
  private pending = 0;
  private readonly codeIds = new Set<number>();
  private firstTime = Infinity;
  private lastTime = -Infinity;
  written = 0;
  /** Events skipped because their subject is on the opt-out list. */
  excludedEvents = 0;
  private excluded: { has(subject: SubjectId): boolean } | null = null;

  constructor(
    private readonly db: Database.Database,
    datasetId: number,
    private readonly signal: AbortSignal | undefined,
    private readonly batchSize = 250_000,
  ) {
    // The dataset id is part of the statement, which saves binding it for every row.
    this.insert = db.prepare(
      `INSERT INTO events (dataset_id, subject_id, time, code_id, numeric_value, text_value)
       VALUES (${Math.trunc(datasetId)}, ?, ?, ?, ?, ?)`,
    );
  }

  /** Skip every row of these subjects (the opt-out registry); readers ask `isExcluded` for other tables. */
  exclude(subjects: { has(subject: SubjectId): boolean; size: number }): void {
    this.excluded = subjects.size > 0 ? subjects : null;
  }

  isExcluded(subjectId: SubjectId): boolean {
    return this.excluded !== null && this.excluded.has(subjectId);
  }

  add(
    subjectId: SubjectId,
    time: number | null,
    codeId: number,
    numeric: number | null,
    text: string | null,
  ): void {
    if (this.excluded !== null && this.excluded.has(subjectId)) {
      this.excludedEvents++;
      return;
    }
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    this.insert.run(subjectId, time, codeId, numeric, text);
    this.pending++;
    this.written++;
    this.codeIds.add(codeId);
    if (time !== null) {
      if (time < this.firstTime) this.firstTime = time;
      if (time > this.lastTime) this.lastTime = time;
    }
  }

  /** Totals of the rows written, kept while streaming so completion needs no scan of the events. */
  totals(): EventTotals {
    return {
      events: this.written,
      codes: this.codeIds.size,
      firstEventTime: this.written > 0 && Number.isFinite(this.firstTime) ? this.firstTime : null,
      lastEventTime: this.written > 0 && Number.isFinite(this.lastTime) ? this.lastTime : null,
    };
  }

  /** Run `write` inside the current batch, so rows of other tables commit with the events. */
  within(write: () => void): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    write();
  }

  /**
   * Commit when the batch is full, then give the event loop a turn so a cancel
   * request can arrive, and stop if it did.
   */
  async checkpoint(): Promise<void> {
    if (this.pending >= this.batchSize) this.commit();
    await new Promise((resolve) => setImmediate(resolve));
    if (this.signal?.aborted) throw cancelled();
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.pending = 0;
  }

  /** Discard the open batch; used on failure before the dataset is purged. */
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.pending = 0;
  }
}
