/**
 * Primary suppression: cells that are disclosive on their own. Small counts
 * (threshold), zeros when the policy calls them disclosive, and magnitude
 * cells with too few contributors or dominated by their largest ones.
 */
import type { CellContributors, CheckResult, OutputTable } from '../../../shared/airlock';
import type { EffectiveDisclosure } from '../../policy/schema';
import { cellRef, columnsWithRole, numericValue } from './cells';

export interface PrimaryResult {
  /** Row and column index of each primarily suppressed cell. */
  suppressed: [number, number][];
  checks: CheckResult[];
}

export function primarySuppression(
  table: OutputTable,
  contributors: Record<string, (CellContributors | null)[]> | undefined,
  rules: EffectiveDisclosure,
): PrimaryResult {
  const threshold: [number, number][] = [];
  const zeros: [number, number][] = [];
  for (const column of columnsWithRole(table, 'count')) {
    table.rows.forEach((row, rowIndex) => {
      const value = numericValue(row[column]);
      if (value === null) return;
      if (value === 0) {
        if (rules.zerosDisclosive) zeros.push([rowIndex, column]);
      } else if (Math.abs(value) <= rules.redactAtOrBelow) threshold.push([rowIndex, column]);
    });
  }

  const magnitude = magnitudeChecks(table, contributors, rules);
  const thresholdParams = {
    minimumCount: rules.minimumCount,
    redactAtOrBelow: rules.redactAtOrBelow,
    preset: rules.preset,
  };
  const checks: CheckResult[] = [
    result(
      table,
      'threshold',
      thresholdParams,
      [...threshold, ...magnitude.tooFew],
      (n) =>
        `${n} cell(s) count fewer than ${rules.minimumCount} (counts of 1 to ${rules.redactAtOrBelow}` +
        `${rules.preset ? `, preset ${rules.preset}` : ''}) and are suppressed.`,
      `Every count is 0 or at least ${rules.minimumCount}.`,
    ),
    result(
      table,
      'zeros',
      { zerosDisclosive: rules.zerosDisclosive },
      zeros,
      (n) => `${n} zero cell(s) are suppressed because the policy treats zeros as disclosive.`,
      rules.zerosDisclosive
        ? 'No zero counts.'
        : 'Zeros are not disclosive under this policy and are kept.',
    ),
    ...magnitude.checks,
  ];
  return {
    suppressed: [...threshold, ...zeros, ...magnitude.tooFew, ...magnitude.dominated],
    checks,
  };
}

function magnitudeChecks(
  table: OutputTable,
  contributors: Record<string, (CellContributors | null)[]> | undefined,
  rules: EffectiveDisclosure,
) {
  const tooFew: [number, number][] = [];
  const dominance: [number, number][] = [];
  const pRatio: [number, number][] = [];
  const unknown: [number, number][] = [];
  const columns = columnsWithRole(table, 'magnitude');

  for (const column of columns) {
    const details = contributors?.[table.columns[column]!.name];
    table.rows.forEach((row, rowIndex) => {
      const total = numericValue(row[column]);
      if (total === null) return;
      const detail = details?.[rowIndex] ?? null;
      if (detail === null) {
        unknown.push([rowIndex, column]);
        return;
      }
      if (detail.count > 0 && detail.count < rules.minimumCount) {
        tooFew.push([rowIndex, column]);
        return;
      }
      const largest = [...detail.largest].map(Math.abs).sort((a, b) => b - a);
      const magnitude = Math.abs(total);
      if (magnitude === 0) return;
      // (n, k) dominance: the n largest contributions make up more than k% of the cell.
      const topN = largest.slice(0, rules.dominance.n).reduce((sum, value) => sum + value, 0);
      if (topN > (rules.dominance.k / 100) * magnitude) dominance.push([rowIndex, column]);
      // p% rule: the second largest contributor could estimate the largest to within p%.
      const [first = 0, second = 0] = largest;
      if (magnitude - first - second < (rules.pRatio / 100) * first)
        pRatio.push([rowIndex, column]);
    });
  }

  const dominated = [...dominance, ...pRatio];
  const checks: CheckResult[] =
    columns.length === 0
      ? []
      : [
          result(
            table,
            'dominance',
            { n: rules.dominance.n, k: rules.dominance.k },
            dominance,
            (n) =>
              `${n} magnitude cell(s) have their ${rules.dominance.n} largest contributors above ` +
              `${rules.dominance.k}% of the total and are suppressed.`,
            `No magnitude cell is dominated by its ${rules.dominance.n} largest contributors.`,
          ),
          result(
            table,
            'p-ratio',
            { p: rules.pRatio },
            pRatio,
            (n) =>
              `${n} magnitude cell(s) would let the second largest contributor estimate the largest ` +
              `to within ${rules.pRatio}% and are suppressed.`,
            `Every magnitude cell passes the p% rule with p = ${rules.pRatio}.`,
          ),
        ];
  if (unknown.length > 0)
    checks.push({
      rule: 'dominance',
      params: { n: rules.dominance.n, k: rules.dominance.k, p: rules.pRatio },
      outcome: 'review',
      message:
        `${unknown.length} magnitude cell(s) have no contributor detail, so dominance and the ` +
        'p% rule could not be checked. A reviewer must judge them.',
      cells: unknown.map(([row, column]) => cellRef(table, { table: 0, row, column })),
    });
  return { tooFew, dominated, checks };
}

export function result(
  table: OutputTable,
  rule: CheckResult['rule'],
  params: CheckResult['params'],
  cells: [number, number][],
  failMessage: (count: number) => string,
  passMessage: string,
): CheckResult {
  return {
    rule,
    params,
    outcome: cells.length > 0 ? 'suppressed' : 'pass',
    message: cells.length > 0 ? failMessage(cells.length) : passMessage,
    cells: cells.map(([row, column]) => cellRef(table, { table: 0, row, column })),
  };
}
