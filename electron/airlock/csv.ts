/** CSV (RFC 4180) of a table, as released: a header row, then one line per row. */
import type { Cell, OutputTable } from '../../shared/airlock';

function field(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableToCsv(table: OutputTable): string {
  const lines = [table.columns.map((column) => field(column.name)).join(',')];
  for (const row of table.rows)
    lines.push(table.columns.map((_, index) => field(row[index])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Derive a file-name stem from a title: lower case ASCII letters, digits and dashes. */
export function slug(title: string): string {
  const stem = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || 'output';
}
