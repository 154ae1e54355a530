/** Cell helpers shared by the disclosure checks. */
import type { Cell, CellRef, ColumnRole, OutputTable } from '../../../shared/airlock';

/** A cell position inside one table of a request: table index, row index, column index. */
export interface Position {
  table: number;
  row: number;
  column: number;
}

export function positionKey(position: Position): string {
  return `${position.table}:${position.row}:${position.column}`;
}

/** The numeric value of a cell, accepting numeric strings such as "12"; null for blanks and text. */
export function numericValue(cell: Cell | undefined): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(cell)) return Number(cell);
  return null;
}

export function columnsWithRole(table: OutputTable, ...roles: ColumnRole[]): number[] {
  return table.columns.flatMap((column, index) => (roles.includes(column.role) ? [index] : []));
}

/** The row's label cells joined, lower case: how rows are matched within and across tables. */
export function rowLabel(table: OutputTable, row: number): string {
  const labels = columnsWithRole(table, 'label').map((column) =>
    String(table.rows[row]?.[column] ?? '').trim(),
  );
  return normalizeLabel(labels.join(' / '));
}

export function normalizeLabel(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Labels that mark a total row or column in English and Traditional Chinese. */
const TOTAL_LABEL = /^(total|totals|all|overall|sum|總計|合計|全部)$/;

export function isTotalLabel(text: string): boolean {
  return TOTAL_LABEL.test(normalizeLabel(text));
}

export function cellRef(table: OutputTable, position: Position): CellRef {
  return { row: position.row, column: table.columns[position.column]!.name };
}
