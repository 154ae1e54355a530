import { invalidInput } from '../input-error';
import type { ReadContext } from '../reader';
import { coarsenToMonth } from '../time';
import type { ParquetFile } from './parquet-file';

const EVENT_COLUMNS = ['subject_id', 'time', 'code', 'numeric_value', 'text_value'] as const;

/**
 * Stream one MEDS data shard into the cache, one row group at a time, so memory
 * stays bounded by the row group size and not by the file size.
 */
export async function readEventFile(context: ReadContext, shard: ParquetFile): Promise<void> {
  const { writer, codes, progress } = context;
  // Every column is read, including ones the cache does not keep, so the de-identification scan sees them.
  const columns = shard.columns;
  const index = (column: string) => columns.indexOf(column);
  const scan = context.deid.file(shard.name, 'meds', columns, null);
  const [subjectAt, timeAt, codeAt, numericAt, textAt] = EVENT_COLUMNS.map(index) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const insertSubject = context.db.prepare(
    'INSERT OR IGNORE INTO subjects (dataset_id, subject_id) VALUES (?, ?)',
  );

  progress.file = shard.name;
  let rowStart = 0;
  let lastSubject: number | bigint | null = null;
  // NOTE: memory is bounded by the largest row group. A shard written as one row
  // group is therefore held in memory whole while it is read.
  for (const group of shard.metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await shard.readRows(rowStart, rowEnd, columns);

    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      scan.row(row);
      if (scan.rejecting) continue;
      const rowNumber = rowStart + i + 1;
      const subject = subjectId(row[subjectAt], shard.name, rowNumber);
      const code = row[codeAt];
      if (typeof code !== 'string' || code.length === 0) {
        throw invalidInput(
          { file: shard.name, row: rowNumber, field: 'code' },
          'is empty',
          'Every MEDS event needs a code; fix or drop this row in the source',
        );
      }
      let time = timeValue(row[timeAt], shard.name, rowNumber);
      if (code === 'MEDS_BIRTH' && time !== null) time = coarsenToMonth(time);

      if (subject !== lastSubject) {
        if (!writer.isExcluded(subject)) insertSubjectRow(context, insertSubject, subject);
        lastSubject = subject;
      }
      writer.add(
        subject,
        time,
        codes.id(code),
        numericAt >= 0 ? numericValue(row[numericAt]) : null,
        textAt >= 0 ? textValue(row[textAt]) : null,
      );
    }

    progress.rows += rows.length;
    progress.bytes += Number(group.total_byte_size);
    progress.report();
    rowStart = rowEnd;
    await writer.checkpoint();
  }
  scan.finish();
  progress.report(true);
}

function insertSubjectRow(
  context: ReadContext,
  statement: { run(datasetId: number, subject: number | bigint): unknown },
  subject: number | bigint,
): void {
  context.writer.within(() => statement.run(context.datasetId, subject));
}

function subjectId(value: unknown, file: string, row: number): number | bigint {
  if (typeof value === 'bigint') {
    // Keep ids beyond 2^53 as BigInt so SQLite stores them exactly.
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === null || value === undefined) {
    throw invalidInput(
      { file, row, field: 'subject_id' },
      'is missing',
      'Every MEDS event needs a subject_id',
    );
  }
  throw invalidInput(
    { file, row, field: 'subject_id' },
    'is not an integer',
    'MEDS subject_id must be an int64 column; convert the ids to integers in the source',
  );
}

function timeValue(value: unknown, file: string, row: number): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  throw invalidInput(
    { file, row, field: 'time' },
    'is not a timestamp',
    'MEDS time must be a timestamp column (or null for static events)',
  );
}

function numericValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

function textValue(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  return null;
}
