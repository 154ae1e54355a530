import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { invalidInput } from '../input-error';

/** One CSV record with its header, looked up by lower-case column name. */
export interface CsvRecord {
  file: string;
  /** 1-based line number where the record starts, for messages. */
  line: number;
  get(column: string): string;
}

export interface CsvTableOptions {
  file: string;
  stream: Readable;
  /** Columns that must be present (lower case). */
  required: string[];
  onBytes?: (bytes: number) => void;
  /** Sees the header (lower case) and then each record's fields, which it may change in place. */
  onHeader?: (header: string[]) => void;
  onRecord?: (fields: string[]) => void;
}

/**
 * Stream a CSV file record by record, with bounded memory. Column names are
 * matched case-insensitively, because OMOP exports use either case. Invalid
 * UTF-8 is reported with its line and column instead of being replaced.
 */
export async function* readCsvTable(options: CsvTableOptions): AsyncGenerator<CsvRecord> {
  const { file, stream } = options;
  if (options.onBytes) stream.on('data', (chunk: Buffer) => options.onBytes!(chunk.length));

  const parser = stream.pipe(
    parse({ bom: true, info: true, raw: true, relax_column_count: false, skip_empty_lines: true }),
  );

  let header: string[] | null = null;
  let index = new Map<string, number>();
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>) {
      const line = item.info.lines;
      if (item.raw.includes('\uFFFD')) throw invalidUtf8(file, line, item.record, header);

      if (header === null) {
        header = item.record.map((name) => name.trim().toLowerCase());
        index = new Map(header.map((name, i) => [name, i]));
        for (const column of options.required) {
          if (!index.has(column)) {
            throw invalidInput(
              { file, row: 1, field: column },
              `has no column ${column} (found: ${header.join(', ')})`,
              'Export the table with its standard OMOP CDM columns',
            );
          }
        }
        options.onHeader?.(header);
        continue;
      }

      const record = item.record;
      options.onRecord?.(record);
      yield {
        file,
        line,
        get: (column: string) => {
          const at = index.get(column);
          return at === undefined ? '' : (record[at] ?? '');
        },
      };
    }
  } catch (error) {
    stream.destroy();
    if ((error as { code?: string }).code?.startsWith('CSV_')) {
      const csvError = error as Error & { lines?: number };
      throw invalidInput(
        { file, row: csvError.lines },
        `is not valid CSV (${csvError.message})`,
        'Check quoting and that every row has as many fields as the header',
      );
    }
    throw error;
  }

  if (header === null) {
    throw invalidInput({ file }, 'is empty', 'Export the table again with its header row');
  }
}

function invalidUtf8(file: string, line: number, record: string[], header: string[] | null) {
  const at = record.findIndex((field) => field.includes('\uFFFD'));
  const field = header?.[at] ?? `column ${at + 1}`;
  return invalidInput(
    { file, row: line, field },
    'contains bytes that are not valid UTF-8',
    'Convert the file to UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8)',
  );
}
