import type Database from 'better-sqlite3';
import { cancelled } from './input-error';

export type SubjectId = number | bigint;

/**
 * Appends events of one dataset in batched transactions. Each batch commits on
 * its own, but the rows stay invisible because the dataset row is 'importing'
 * until the import completes; a failed or cancelled import purges them.
 */
export class EventWriter {
  private readonly insert: Database.Statement;
  private pending = 0;
  written = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly datasetId: number,
    private readonly signal: AbortSignal | undefined,
    private readonly batchSize = 50_000,
  ) {
    this.insert = db.prepare(
      `INSERT INTO events (dataset_id, subject_id, time, code_id, numeric_value, text_value)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
  }

  add(
    subjectId: SubjectId,
    time: number | null,
    codeId: number,
    numeric: number | null,
    text: string | null,
  ): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    this.insert.run(this.datasetId, subjectId, time, codeId, numeric, text);
    this.pending++;
    this.written++;
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
