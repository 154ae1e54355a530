/**
 * Secondary suppression. A published total is a linear constraint
 * (total = sum of its parts); when exactly one cell of such a constraint is
 * suppressed, subtraction recovers it. This module finds the constraints
 * (total rows and columns inside a table, and margins that one table
 * publishes for another in the same request) and suppresses further cells
 * until no constraint has exactly one suppressed cell.
 *
 * NOTE: this stops exact recovery through any single total. It does not
 * bound the interval a reader can derive by combining several totals, as
 * linear-programming audits (e.g. tau-ARGUS) do; reviewers judge that.
 */
import type { ColumnRole, OutputTable } from '../../../shared/airlock';
import {
  columnsWithRole,
  isTotalLabel,
  normalizeLabel,
  numericValue,
  positionKey,
  rowLabel,
  type Position,
} from './cells';

export interface Constraint {
  total: Position;
  parts: Position[];
  /** The other table whose cells take part, for constraints across two tables. */
  relatedTable: number | null;
}

interface Margins {
  role: ColumnRole;
  partColumns: number[];
  partRows: number[];
  totalColumn: number | null;
  totalRow: number | null;
}

export interface SecondaryResult {
  /** Cells suppressed to protect others, per table, with the other table involved (null: same table). */
  added: { position: Position; relatedTable: number | null }[];
  constraints: Constraint[];
}

export function secondarySuppression(tables: OutputTable[], primary: Position[]): SecondaryResult {
  const margins = tables.map((table) =>
    (['count', 'magnitude'] as const).map((role) => findMargins(table, role)),
  );
  const constraints: Constraint[] = [];
  tables.forEach((table, index) => {
    for (const margin of margins[index]!) constraints.push(...withinTable(table, index, margin));
  });
  tables.forEach((table, a) => {
    tables.forEach((other, b) => {
      if (a === b) return;
      for (const margin of margins[a]!)
        constraints.push(...acrossTables(table, a, margin, other, b));
    });
  });

  const suppressed = new Set(primary.map(positionKey));
  const added: SecondaryResult['added'] = [];
  const value = (p: Position) => numericValue(tables[p.table]!.rows[p.row]?.[p.column]) ?? 0;

  // Each pass suppresses at most one cell per exposed constraint; a new
  // suppression can expose another constraint, so repeat until none changes.
  let changed = true;
  while (changed) {
    changed = false;
    for (const constraint of constraints) {
      const cells = [constraint.total, ...constraint.parts];
      const hidden = cells.filter((cell) => suppressed.has(positionKey(cell)));
      if (hidden.length !== 1) continue;
      const choice = complementaryCell(constraint, suppressed, value);
      if (!choice) continue;
      suppressed.add(positionKey(choice));
      // Name the other table of a cross-table constraint, seen from the cell just suppressed.
      const relatedTable =
        constraint.relatedTable === null
          ? null
          : choice.table === constraint.total.table
            ? constraint.relatedTable
            : constraint.total.table;
      added.push({ position: choice, relatedTable });
      changed = true;
    }
  }
  return { added, constraints };
}

/**
 * The published cell to suppress beside a lone suppressed one: the smallest
 * non-zero part, else the total, else a zero part. Hiding a zero protects
 * least, because a reader can often guess it, so it is the last resort.
 */
function complementaryCell(
  constraint: Constraint,
  suppressed: Set<string>,
  value: (p: Position) => number,
): Position | null {
  const open = constraint.parts.filter((part) => !suppressed.has(positionKey(part)));
  const nonZero = open.filter((part) => value(part) !== 0);
  if (nonZero.length > 0)
    return nonZero.reduce((best, part) =>
      Math.abs(value(part)) < Math.abs(value(best)) ? part : best,
    );
  if (!suppressed.has(positionKey(constraint.total))) return constraint.total;
  return open[0] ?? null;
}

function findMargins(table: OutputTable, role: ColumnRole): Margins {
  const columns = columnsWithRole(table, role);
  const rows = table.rows.map((_, index) => index);
  const cell = (row: number, column: number) => numericValue(table.rows[row]?.[column]);

  // A total column is named like one, or equals the sum of the other columns in every row.
  let totalColumn =
    columns.find((column) => isTotalLabel(table.columns[column]!.name)) ??
    (columns.length >= 3
      ? (columns.find((candidate) =>
          sumsInEveryLine(
            rows,
            (row) => cell(row, candidate),
            (row) => columns.filter((c) => c !== candidate).map((c) => cell(row, c)),
          ),
        ) ?? null)
      : null);
  if (totalColumn === undefined) totalColumn = null;
  const partColumns = columns.filter((column) => column !== totalColumn);

  // A total row is labelled like one, or equals the sum of the other rows in every column.
  const labelColumns = columnsWithRole(table, 'label');
  let totalRow: number | null =
    rows.find((row) =>
      labelColumns.some((column) => isTotalLabel(String(table.rows[row]?.[column] ?? ''))),
    ) ?? null;
  if (totalRow === null && rows.length >= 3 && columns.length > 0)
    totalRow =
      rows.find((candidate) =>
        sumsInEveryLine(
          columns,
          (column) => cell(candidate, column),
          (column) => rows.filter((r) => r !== candidate).map((r) => cell(r, column)),
        ),
      ) ?? null;
  const partRows = rows.filter((row) => row !== totalRow);
  return { role, partColumns, partRows, totalColumn, totalRow };
}

/** True when, for every line, total(line) equals the sum of parts(line) and at least one total is non-zero. */
function sumsInEveryLine<T>(
  lines: T[],
  total: (line: T) => number | null,
  parts: (line: T) => (number | null)[],
): boolean {
  let nonZero = false;
  for (const line of lines) {
    const expected = total(line);
    const values = parts(line);
    if (expected === null || values.some((value) => value === null)) return false;
    const sum = (values as number[]).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - expected) > 1e-9 * Math.max(1, Math.abs(expected))) return false;
    if (expected !== 0) nonZero = true;
  }
  return nonZero;
}

function withinTable(table: OutputTable, index: number, margins: Margins): Constraint[] {
  const constraints: Constraint[] = [];
  const numeric = (row: number, column: number) => numericValue(table.rows[row]?.[column]) !== null;
  const at = (row: number, column: number): Position => ({ table: index, row, column });

  if (margins.totalColumn !== null) {
    const totalColumn = margins.totalColumn;
    for (const row of table.rows.keys()) {
      if (!numeric(row, totalColumn)) continue;
      const parts = margins.partColumns.filter((c) => numeric(row, c)).map((c) => at(row, c));
      if (parts.length > 0)
        constraints.push({ total: at(row, totalColumn), parts, relatedTable: null });
    }
  }
  if (margins.totalRow !== null) {
    const totalRow = margins.totalRow;
    const columns = [
      ...margins.partColumns,
      ...(margins.totalColumn === null ? [] : [margins.totalColumn]),
    ];
    for (const column of columns) {
      if (!numeric(totalRow, column)) continue;
      const parts = margins.partRows.filter((r) => numeric(r, column)).map((r) => at(r, column));
      if (parts.length > 0)
        constraints.push({ total: at(totalRow, column), parts, relatedTable: null });
    }
  }
  return constraints;
}

/**
 * Constraints where table `b` publishes a margin of table `a`: a cell of b in
 * a row labelled like a row of a (or like a column of a) equals the sum of
 * that row (or column) of a.
 */
function acrossTables(
  a: OutputTable,
  aIndex: number,
  margins: Margins,
  b: OutputTable,
  bIndex: number,
): Constraint[] {
  const constraints: Constraint[] = [];
  const bColumns = columnsWithRole(b, margins.role);
  if (margins.partColumns.length === 0 || bColumns.length === 0) return constraints;
  const bRowsByLabel = new Map<string, number[]>();
  b.rows.forEach((_, row) => {
    const label = rowLabel(b, row);
    if (label) bRowsByLabel.set(label, [...(bRowsByLabel.get(label) ?? []), row]);
  });
  const aValue = (row: number, column: number) => numericValue(a.rows[row]?.[column]);

  const link = (label: string, parts: Position[]) => {
    if (!label || parts.length === 0) return;
    const values = parts.map((p) => aValue(p.row, p.column));
    if (values.some((v) => v === null)) return;
    const sum = (values as number[]).reduce((x, y) => x + y, 0);
    for (const row of bRowsByLabel.get(label) ?? [])
      for (const column of bColumns) {
        const published = numericValue(b.rows[row]?.[column]);
        if (published !== null && published === sum && sum !== 0)
          constraints.push({ total: { table: bIndex, row, column }, parts, relatedTable: aIndex });
      }
  };

  for (const row of margins.partRows)
    link(
      rowLabel(a, row),
      margins.partColumns.map((column) => ({ table: aIndex, row, column })),
    );
  for (const column of margins.partColumns)
    link(
      normalizeLabel(a.columns[column]!.name),
      margins.partRows.map((row) => ({ table: aIndex, row, column })),
    );
  return constraints;
}
