import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { HorizonError } from '../../shared/errors';

/**
 * Read an opt-out list: subject ids one a line, or one column of a CSV file
 * (named with `column`, matched case-insensitively). Blank lines and lines
 * starting with '#' are skipped; a first line that is not an id is taken as a
 * header. Ids must be integers, as MEDS and OMOP subject ids are. Errors name
 * the line, never the value.
 */
export function readOptOutList(path: string, column?: string): string[] {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalidList(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'Check the path',
    );
  }
  const rows = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    comment: '#',
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (rows.length === 0) throw invalidList(file, 'is empty', 'Put one subject id on each line');

  let at = 0;
  let start = 0;
  if (column !== undefined) {
    const header = rows[0]!.record.map((name) => name.trim().toLowerCase());
    at = header.indexOf(column.trim().toLowerCase());
    if (at < 0)
      throw invalidList(
        file,
        `has no column ${column} (found: ${header.join(', ')})`,
        'Name the column that holds the subject ids',
      );
    start = 1;
  } else {
    if (rows.some((row) => row.record.length > 1))
      throw invalidList(
        file,
        'has more than one column',
        'Name the column of subject ids (--column NAME)',
      );
    if (!isId(rows[0]!.record[0]!)) start = 1;
  }

  const ids = new Set<string>();
  for (const row of rows.slice(start)) {
    const value = (row.record[at] ?? '').trim();
    if (value === '') continue;
    if (!isId(value))
      throw invalidList(
        file,
        `line ${row.info.lines} is not an integer subject id`,
        'Subject ids are integers as in the cache; fix or remove that line',
        row.info.lines,
      );
    ids.add(BigInt(value).toString());
  }
  return [...ids];
}

function isId(value: string): boolean {
  return /^-?\d{1,19}$/.test(value.trim());
}

function invalidList(file: string, problem: string, fix: string, line?: number): HorizonError {
  return new HorizonError('optout_invalid_list', `Opt-out list ${file} ${problem}. ${fix}.`, {
    file,
    ...(line !== undefined ? { line } : {}),
  });
}
