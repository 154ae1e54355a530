/**
 * Writers of MEDS 0.3 parquet files: data shards written one row group at a
 * time, `metadata/codes.parquet`, `metadata/subject_splits.parquet` and
 * `metadata/dataset.json`, plus `writeMedsDir` for small test directories.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParquetWriter, fileWriter, type ColumnSource, type SchemaElement } from 'hyparquet-writer';

/** The MEDS 0.3 data columns, in file order. */
export const MEDS_COLUMNS = ['subject_id', 'time', 'code', 'numeric_value', 'text_value'] as const;
export type MedsColumn = (typeof MEDS_COLUMNS)[number];

/** Parquet schema elements of the data columns, as in the MIMIC-IV demo shard that MEDS_transforms wrote for MEDS 0.3.3. */
export const COLUMN_SCHEMA: Record<MedsColumn, SchemaElement> = {
  subject_id: { name: 'subject_id', type: 'INT64', repetition_type: 'OPTIONAL' },
  time: {
    name: 'time',
    type: 'INT64',
    repetition_type: 'OPTIONAL',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
  },
  code: {
    name: 'code',
    type: 'BYTE_ARRAY',
    repetition_type: 'OPTIONAL',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
  },
  numeric_value: { name: 'numeric_value', type: 'FLOAT', repetition_type: 'OPTIONAL' },
  text_value: {
    name: 'text_value',
    type: 'BYTE_ARRAY',
    repetition_type: 'OPTIONAL',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
  },
};

export interface CodeMetadata {
  code: string;
  description: string | null;
  parentCodes: string[];
}

function dataSchema(columns: readonly MedsColumn[]): SchemaElement[] {
  return [
    { name: 'schema', repetition_type: 'REQUIRED', num_children: columns.length },
    ...columns.map((column) => COLUMN_SCHEMA[column]),
  ];
}

export function toBigInts(values: readonly (number | bigint | null)[]): (bigint | null)[] {
  return values.map((value) => (value === null ? null : BigInt(value)));
}

/** A data shard written one row group per `write` call. */
export class ShardWriter {
  private readonly writer: ParquetWriter;

  constructor(
    readonly path: string,
    private readonly columns: readonly MedsColumn[],
    createdBy = 'horizon',
  ) {
    this.writer = new ParquetWriter({
      writer: fileWriter(path),
      schema: dataSchema(columns),
      createdBy,
    });
  }

  write(data: Partial<Record<MedsColumn, ColumnSource['data']>>, rows: number): void {
    if (rows === 0) return;
    const columnData: ColumnSource[] = this.columns.map((name) => ({ name, data: data[name]! }));
    // The writer calls no async flush on a file writer, so write() returns synchronously.
    void this.writer.write({ columnData, rowGroupSize: rows });
  }

  finish(): void {
    void this.writer.finish();
  }
}

export function writeCodesParquet(path: string, codes: readonly CodeMetadata[]): void {
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: [
      { name: 'schema', repetition_type: 'REQUIRED', num_children: 3 },
      COLUMN_SCHEMA.code,
      { ...COLUMN_SCHEMA.code, name: 'description' },
      {
        name: 'parent_codes',
        repetition_type: 'OPTIONAL',
        num_children: 1,
        converted_type: 'LIST',
        logical_type: { type: 'LIST' },
      },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { ...COLUMN_SCHEMA.code, name: 'element' },
    ],
  });
  if (codes.length > 0) {
    void writer.write({
      columnData: [
        { name: 'code', data: codes.map((code) => code.code) },
        { name: 'description', data: codes.map((code) => code.description) },
        { name: 'parent_codes', data: codes.map((code) => code.parentCodes) },
      ],
      rowGroupSize: codes.length,
    });
  }
  void writer.finish();
}

export function writeSubjectSplitsParquet(
  path: string,
  subjectIds: readonly (number | bigint)[],
  splits: readonly string[],
): void {
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: [
      { name: 'schema', repetition_type: 'REQUIRED', num_children: 2 },
      COLUMN_SCHEMA.subject_id,
      { ...COLUMN_SCHEMA.code, name: 'split' },
    ],
  });
  if (subjectIds.length > 0) {
    void writer.write({
      columnData: [
        { name: 'subject_id', data: toBigInts(subjectIds) },
        { name: 'split', data: [...splits] },
      ],
      rowGroupSize: subjectIds.length,
    });
  }
  void writer.finish();
}

export function writeDatasetJson(path: string, content: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify(content, null, 2) + '\n');
}

export interface MedsRow {
  subject_id: number | bigint;
  /** A Date, microseconds since 1970-01-01 UTC as a bigint, or null for static rows. */
  time: Date | bigint | null;
  code: string;
  numeric_value?: number | null;
  text_value?: string | null;
}

export interface WriteMedsDirOptions {
  /** Data columns to write, in this order (default all of `MEDS_COLUMNS`). Leave one out to make invalid input. */
  columns?: readonly MedsColumn[];
  /** Data subfolder (default 'train') of the shard `data/<split>/0.parquet`. */
  split?: string;
  rowGroupSize?: number;
  /** codes.parquet rows (default one row per distinct code, without description), or false to skip the file. */
  codes?: CodeMetadata[] | false;
  /** dataset.json content, or false to skip the file. */
  datasetJson?: Record<string, unknown> | false;
  /** Write subject_splits.parquet (default true). */
  subjectSplits?: boolean;
}

/** Write a small MEDS directory with the given rows, in the given order, as one shard. */
export function writeMedsDir(
  dir: string,
  rows: readonly MedsRow[],
  options: WriteMedsDirOptions = {},
): void {
  const columns = options.columns ?? MEDS_COLUMNS;
  const split = options.split ?? 'train';
  mkdirSync(join(dir, 'data', split), { recursive: true });
  mkdirSync(join(dir, 'metadata'), { recursive: true });

  const data: Record<MedsColumn, ColumnSource['data']> = {
    subject_id: toBigInts(rows.map((row) => row.subject_id)),
    time: rows.map((row) => {
      if (row.time === null) return null;
      return typeof row.time === 'bigint' ? row.time : BigInt(row.time.getTime()) * 1000n;
    }),
    code: rows.map((row) => row.code),
    numeric_value: rows.map((row) => row.numeric_value ?? null),
    text_value: rows.map((row) => row.text_value ?? null),
  };
  const shard = new ShardWriter(join(dir, 'data', split, '0.parquet'), columns);
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  for (let offset = 0; offset < rows.length; offset += rowGroupSize) {
    const end = Math.min(rows.length, offset + rowGroupSize);
    const slice: Partial<Record<MedsColumn, ColumnSource['data']>> = {};
    for (const column of columns) slice[column] = data[column].slice(offset, end);
    shard.write(slice, end - offset);
  }
  shard.finish();

  if (options.codes !== false) {
    const codes =
      options.codes ??
      [...new Set(rows.map((row) => row.code))].map((code) => ({
        code,
        description: null,
        parentCodes: [],
      }));
    writeCodesParquet(join(dir, 'metadata', 'codes.parquet'), codes);
  }
  if (options.datasetJson !== false) {
    writeDatasetJson(
      join(dir, 'metadata', 'dataset.json'),
      options.datasetJson ?? { dataset_name: 'test', dataset_version: '1', meds_version: '0.3.3' },
    );
  }
  if (options.subjectSplits ?? true) {
    const subjectIds = [...new Set(rows.map((row) => BigInt(row.subject_id)))];
    writeSubjectSplitsParquet(
      join(dir, 'metadata', 'subject_splits.parquet'),
      subjectIds,
      subjectIds.map(() => split),
    );
  }
}

/** `metadata/subject_splits.parquet` written in row groups of `rowGroupSize` subjects as they come. */
export class SubjectSplitsWriter {
  private readonly writer: ParquetWriter;
  private subjectIds: bigint[] = [];
  private splits: string[] = [];

  constructor(
    path: string,
    private readonly rowGroupSize = 100_000,
  ) {
    this.writer = new ParquetWriter({
      writer: fileWriter(path),
      schema: [
        { name: 'schema', repetition_type: 'REQUIRED', num_children: 2 },
        COLUMN_SCHEMA.subject_id,
        { ...COLUMN_SCHEMA.code, name: 'split' },
      ],
    });
  }

  add(subjectId: number | bigint, split: string): void {
    this.subjectIds.push(BigInt(subjectId));
    this.splits.push(split);
    if (this.subjectIds.length >= this.rowGroupSize) this.flush();
  }

  private flush(): void {
    if (this.subjectIds.length === 0) return;
    void this.writer.write({
      columnData: [
        { name: 'subject_id', data: this.subjectIds },
        { name: 'split', data: this.splits },
      ],
      rowGroupSize: this.subjectIds.length,
    });
    this.subjectIds = [];
    this.splits = [];
  }

  finish(): void {
    this.flush();
    void this.writer.finish();
  }
}
