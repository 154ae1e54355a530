import { invalidInput } from '../input-error';
import { parseDateTime } from '../time';
import type { CsvRecord } from './csv-table';

/** Parse a required integer id such as person_id. Errors omit the value, because ids are patient-level. */
export function integerField(record: CsvRecord, column: string): number {
  const text = record.get(column).trim();
  if (!/^-?\d+$/.test(text)) {
    throw invalidInput(
      { file: record.file, row: record.line, field: column },
      text === '' ? 'is empty' : 'is not an integer',
      `OMOP ${column} must be an integer; fix the row in the source export`,
    );
  }
  return Number(text);
}

/** Parse an optional concept id, returning 0 when empty because OMOP uses 0 for "no matching concept". */
export function conceptField(record: CsvRecord, column: string): number {
  const text = record.get(column).trim();
  if (text === '') return 0;
  const value = Number(text);
  if (!Number.isInteger(value)) {
    throw invalidInput(
      { file: record.file, row: record.line, field: column },
      `is not a concept id ("${text.slice(0, 40)}")`,
      'Concept ids are integers; fix the row in the source export',
    );
  }
  return value;
}

/**
 * The event time from `<prefix>_datetime` when present, else `<prefix>_date`.
 * Either may be required; an unparseable value is always an error.
 */
export function timeField(record: CsvRecord, datetimeColumn: string, dateColumn: string): number {
  const datetime = record.get(datetimeColumn).trim();
  if (datetime !== '') {
    const parsed = parseDateTime(datetime);
    if (parsed !== null) return parsed;
    throw badDate(record, datetimeColumn, datetime);
  }
  const date = record.get(dateColumn).trim();
  if (date === '') {
    throw invalidInput(
      { file: record.file, row: record.line, field: dateColumn },
      'is empty',
      `Every row needs ${dateColumn} (YYYY-MM-DD); fix the row in the source export`,
    );
  }
  const parsed = parseDateTime(date);
  if (parsed === null) throw badDate(record, dateColumn, date);
  return parsed;
}

export function numberField(record: CsvRecord, column: string): number | null {
  const text = record.get(column).trim();
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function badDate(record: CsvRecord, column: string, value: string) {
  return invalidInput(
    { file: record.file, row: record.line, field: column },
    `is not a valid date ("${value.slice(0, 40)}")`,
    'Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS',
  );
}
