/**
 * Detection of member-level (row-level) tables, which are rejected outright:
 * an explicit flag, or a column whose name says it identifies a person or
 * carries a person's exact dates.
 */
import type { OutputTable } from '../../../shared/airlock';

const IDENTIFIER_COLUMN =
  /^(subject|person|patient|member|participant|pat|nhs|national)[ _-]?(id|number|no|key)$|^(mrn|nhs_number|birth_date|date_of_birth|dob|birth_datetime)$/i;

/** Return the reason a table is row-level, or null when it looks aggregate. */
export function rowLevelReason(table: OutputTable, flagged: boolean | undefined): string | null {
  if (flagged) return 'the output is marked as member-level data';
  const identifier = table.columns.find((column) => IDENTIFIER_COLUMN.test(column.name.trim()));
  if (identifier)
    return `column "${identifier.name}" identifies individual people; export counts per group instead`;
  return null;
}
