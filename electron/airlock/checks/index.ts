/**
 * Disclosure checks over all tables of one export request. Each table gets a
 * list of check results, every one naming its rule and parameters, and a
 * safe version: suppressed cells replaced by SUPPRESSED and counts rounded.
 * The safe version is what a release bundle contains.
 */
import {
  SUPPRESSED,
  type CellContributors,
  type CheckResult,
  type OutputTable,
} from '../../../shared/airlock';
import type { EffectiveDisclosure } from '../../policy/schema';
import { cellRef, columnsWithRole, numericValue, positionKey, type Position } from './cells';
import { primarySuppression } from './primary';
import { secondarySuppression } from './secondary';

export interface CheckInput {
  /** Identifies the output in cross-table results. */
  fileId: string;
  table: OutputTable;
  contributors?: Record<string, (CellContributors | null)[]>;
  /** Extensions of the files this output becomes, e.g. ['csv', 'png']. */
  fileTypes: string[];
}

export interface CheckedTable {
  fileId: string;
  checks: CheckResult[];
  safe: OutputTable;
}

export function checkTables(inputs: CheckInput[], rules: EffectiveDisclosure): CheckedTable[] {
  const primary = inputs.map((input) => primarySuppression(input.table, input.contributors, rules));
  const primaryPositions: Position[] = primary.flatMap((result, table) =>
    result.suppressed.map(([row, column]) => ({ table, row, column })),
  );
  const secondary = secondarySuppression(
    inputs.map((input) => input.table),
    primaryPositions,
  );
  const suppressed = new Set([
    ...primaryPositions.map(positionKey),
    ...secondary.added.map((added) => positionKey(added.position)),
  ]);

  return inputs.map((input, index) => {
    const { table } = input;
    const checks: CheckResult[] = [
      {
        rule: 'row-level',
        params: {},
        outcome: 'pass',
        message: 'The table is aggregate: no column identifies a person.',
        cells: [],
      },
      maxRowsCheck(table, rules),
      fileTypeCheck(input.fileTypes, rules),
      ...primary[index]!.checks,
      ...secondaryChecks(inputs, index, secondary.added),
    ];

    const hidden = (row: number, column: number) =>
      suppressed.has(positionKey({ table: index, row, column }));
    const derived = derivedRates(table, hidden);
    if (columnsWithRole(table, 'rate').length > 0) checks.push(derived.check);
    const rounding = roundCounts(table, rules, hidden);
    checks.push(rounding.check);

    const safe: OutputTable = {
      columns: table.columns.map((column) => ({ ...column })),
      rows: table.rows.map((row, rowIndex) =>
        row.map((cell, column) => {
          if (hidden(rowIndex, column) || derived.cells.has(`${rowIndex}:${column}`))
            return SUPPRESSED;
          return rounding.values.get(`${rowIndex}:${column}`) ?? cell;
        }),
      ),
    };
    return { fileId: input.fileId, checks, safe };
  });
}

function maxRowsCheck(table: OutputTable, rules: EffectiveDisclosure): CheckResult {
  const rows = table.rows.length;
  const over = rows > rules.maxRows;
  return {
    rule: 'max-rows',
    params: { maxRows: rules.maxRows },
    outcome: over ? 'fail' : 'pass',
    message: over
      ? `The table has ${rows} rows, more than the maximum of ${rules.maxRows}. Aggregate it further.`
      : `${rows} rows, within the maximum of ${rules.maxRows}.`,
    cells: [],
  };
}

export function fileTypeCheck(types: string[], rules: EffectiveDisclosure): CheckResult {
  const refused = types.filter((type) => !rules.allowedFileTypes.includes(type));
  return {
    rule: 'file-type',
    params: { allowedFileTypes: rules.allowedFileTypes.join(', ') },
    outcome: refused.length > 0 ? 'fail' : 'pass',
    message:
      refused.length > 0
        ? `File type ${refused.join(', ')} is not allowed; allowed: ${rules.allowedFileTypes.join(', ')}.`
        : `File type ${types.join(', ')} is allowed.`,
    cells: [],
  };
}

function secondaryChecks(
  inputs: CheckInput[],
  index: number,
  added: ReturnType<typeof secondarySuppression>['added'],
): CheckResult[] {
  const table = inputs[index]!.table;
  const mine = added.filter((entry) => entry.position.table === index);
  const within = mine.filter((entry) => entry.relatedTable === null);
  const results: CheckResult[] = [
    {
      rule: 'secondary-suppression',
      params: { scope: 'row and column totals' },
      outcome: within.length > 0 ? 'suppressed' : 'pass',
      message:
        within.length > 0
          ? `${within.length} further cell(s) are suppressed so that no suppressed cell can be ` +
            'recovered from the row or column totals.'
          : 'No suppressed cell can be recovered from the row or column totals.',
      cells: within.map((entry) => cellRef(table, entry.position)),
    },
  ];
  const related = new Set(mine.flatMap((entry) => entry.relatedTable ?? []));
  for (const other of related) {
    const cells = mine.filter((entry) => entry.relatedTable === other);
    const otherId = inputs[other]!.fileId;
    results.push({
      rule: 'secondary-suppression',
      params: { scope: 'other tables in the request', relatedFileId: otherId },
      outcome: 'suppressed',
      message:
        `${cells.length} further cell(s) are suppressed because output ${otherId} in the same ` +
        'request publishes a total that would reveal a suppressed cell.',
      cells: cells.map((entry) => cellRef(table, entry.position)),
      relatedFileId: otherId,
    });
  }
  return results;
}

/** Rates in a row whose count or magnitude is suppressed would reveal it, so they go too. */
function derivedRates(table: OutputTable, hidden: (row: number, column: number) => boolean) {
  const sources = columnsWithRole(table, 'count', 'magnitude');
  const rates = columnsWithRole(table, 'rate');
  const cells = new Set<string>();
  const refs: Position[] = [];
  table.rows.forEach((row, rowIndex) => {
    if (!sources.some((column) => hidden(rowIndex, column))) return;
    for (const column of rates) {
      if (row[column] === null || row[column] === undefined || hidden(rowIndex, column)) continue;
      cells.add(`${rowIndex}:${column}`);
      refs.push({ table: 0, row: rowIndex, column });
    }
  });
  const check: CheckResult = {
    rule: 'derived-rate',
    params: {},
    outcome: refs.length > 0 ? 'suppressed' : 'pass',
    message:
      refs.length > 0
        ? `${refs.length} rate cell(s) are suppressed because the count they derive from is suppressed.`
        : 'No rate derives from a suppressed count.',
    cells: refs.map((position) => cellRef(table, position)),
  };
  return { cells, check };
}

function roundCounts(
  table: OutputTable,
  rules: EffectiveDisclosure,
  hidden: (row: number, column: number) => boolean,
) {
  const values = new Map<string, number>();
  const refs: Position[] = [];
  const base = rules.roundingBase;
  if (base !== null) {
    for (const column of columnsWithRole(table, 'count')) {
      table.rows.forEach((row, rowIndex) => {
        const value = numericValue(row[column]);
        if (value === null || hidden(rowIndex, column)) return;
        const rounded = Math.round(value / base) * base;
        if (rounded !== value || typeof row[column] !== 'number')
          values.set(`${rowIndex}:${column}`, rounded);
        if (rounded !== value) refs.push({ table: 0, row: rowIndex, column });
      });
    }
  }
  const check: CheckResult = {
    rule: 'rounding',
    params: { roundingBase: base },
    outcome: refs.length > 0 ? 'suppressed' : 'pass',
    message:
      base === null
        ? 'The policy sets no rounding base; counts are released as they are.'
        : refs.length > 0
          ? `${refs.length} count(s) are rounded to the nearest multiple of ${base}.`
          : `Every count is already a multiple of ${base}.`,
    cells: refs.map((position) => cellRef(table, position)),
  };
  return { values, check };
}
