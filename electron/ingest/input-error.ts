import { HorizonError } from '../../shared/errors';

export interface InputLocation {
  file: string;
  /** 1-based row (data row for parquet, line for CSV); omitted when the whole file is at fault. */
  row?: number;
  field?: string;
}

/**
 * A problem with the input data: names the file, row and field, says what is
 * wrong and how to fix it. Never includes patient-level values.
 */
export function invalidInput(location: InputLocation, problem: string, fix: string): HorizonError {
  const where = [
    location.file,
    location.row !== undefined ? `row ${location.row}` : null,
    location.field !== undefined ? `field ${location.field}` : null,
  ]
    .filter((part) => part !== null)
    .join(', ');
  const params: Record<string, string | number> = { file: location.file, problem, fix };
  if (location.row !== undefined) params.row = location.row;
  if (location.field !== undefined) params.field = location.field;
  return new HorizonError('import_invalid_input', `${where}: ${problem}. ${fix}`, params);
}

export function cancelled(): HorizonError {
  return new HorizonError('import_cancelled', 'The import was cancelled; nothing of it was kept.');
}
