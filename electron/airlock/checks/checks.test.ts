import { describe, expect, it } from 'vitest';
import defaultPolicy from '../../../resources/policy/default-policy.json' with { type: 'json' };
import { SUPPRESSED, type CheckResult, type OutputTable } from '../../../shared/airlock';
import { parsePolicy } from '../../policy/load';
import { effectiveDisclosure, type EffectiveDisclosure } from '../../policy/schema';
import { checkTables, type CheckInput } from './index';
import { rowLevelReason } from './row-level';

const defaults = effectiveDisclosure(parsePolicy(defaultPolicy, 'default').disclosure);

function rules(overrides: Partial<EffectiveDisclosure> = {}): EffectiveDisclosure {
  return { ...defaults, ...overrides };
}

function input(fileId: string, table: OutputTable, extra: Partial<CheckInput> = {}): CheckInput {
  return { fileId, table, fileTypes: ['csv'], ...extra };
}

function check(results: CheckResult[], rule: CheckResult['rule'], scope?: string): CheckResult {
  const found = results.find(
    (result) => result.rule === rule && (scope === undefined || result.params.scope === scope),
  );
  if (!found) throw new Error(`no ${rule} result`);
  return found;
}

const counts = (rows: (string | number)[][]): OutputTable => ({
  columns: [
    { name: 'group', role: 'label' },
    { name: 'n', role: 'count' },
  ],
  rows,
});

describe('threshold and zeros', () => {
  const table = counts([
    ['A', 25],
    ['B', 3],
    ['C', 0],
    ['D', 12],
  ]);

  it('suppresses counts below the minimum', () => {
    const [result] = checkTables([input('f-a', table)], rules());
    const threshold = check(result!.checks, 'threshold');
    expect(threshold.outcome).toBe('suppressed');
    expect(threshold.params).toEqual({ minimumCount: 10, redactAtOrBelow: 9, preset: null });
    expect(threshold.cells).toEqual([{ row: 1, column: 'n' }]);
    expect(result!.safe.rows.map((row) => row[1])).toEqual([25, SUPPRESSED, 0, 12]);
    expect(table.rows[1]![1]).toBe(3);
  });

  it('keeps zeros unless the policy calls them disclosive', () => {
    const [kept] = checkTables([input('f-a', table)], rules());
    expect(check(kept!.checks, 'zeros').outcome).toBe('pass');
    const [hidden] = checkTables([input('f-a', table)], rules({ zerosDisclosive: true }));
    const zeros = check(hidden!.checks, 'zeros');
    expect(zeros.outcome).toBe('suppressed');
    expect(zeros.params).toEqual({ zerosDisclosive: true });
    expect(zeros.cells).toEqual([{ row: 2, column: 'n' }]);
    expect(hidden!.safe.rows[2]![1]).toBe(SUPPRESSED);
  });

  it('passes a table with no small counts', () => {
    const [result] = checkTables(
      [
        input(
          'f-a',
          counts([
            ['A', 10],
            ['B', 0],
          ]),
        ),
      ],
      rules(),
    );
    expect(result!.checks.every((c) => c.outcome === 'pass')).toBe(true);
  });
});

describe('rounding and presets', () => {
  it('redacts at or below 7 and rounds to 5', () => {
    const table = counts([
      ['A', 25],
      ['B', 8],
      ['C', 7],
      ['D', 12],
      ['E', 13],
    ]);
    const preset = rules({
      redactAtOrBelow: 7,
      roundingBase: 5,
      minimumCount: 8,
      preset: 'redact-7-round-5',
    });
    const [result] = checkTables([input('f-a', table)], preset);
    expect(check(result!.checks, 'threshold').cells).toEqual([{ row: 2, column: 'n' }]);
    expect(check(result!.checks, 'threshold').params.preset).toBe('redact-7-round-5');
    const rounding = check(result!.checks, 'rounding');
    expect(rounding.params).toEqual({ roundingBase: 5 });
    expect(rounding.cells.map((c) => c.row)).toEqual([1, 3, 4]);
    expect(result!.safe.rows.map((row) => row[1])).toEqual([25, 10, SUPPRESSED, 10, 15]);
  });

  it('reports no rounding without a base', () => {
    const [result] = checkTables([input('f-a', counts([['A', 11]]))], rules());
    expect(check(result!.checks, 'rounding').outcome).toBe('pass');
    expect(result!.safe.rows[0]![1]).toBe(11);
  });
});

describe('dominance and p-ratio', () => {
  const table: OutputTable = {
    columns: [
      { name: 'group', role: 'label' },
      { name: 'cost', role: 'magnitude' },
    ],
    rows: [
      ['dominated', 1000],
      ['spread', 1000],
      ['few', 1000],
      ['unknown', 1000],
      ['p-only', 1000],
    ],
  };
  const contributors = {
    cost: [
      { count: 20, largest: [950, 30] },
      { count: 20, largest: [400, 300] },
      { count: 5, largest: [300, 250] },
      null,
      { count: 20, largest: [880, 40] },
    ],
  };

  it('applies n/k dominance, the p% rule and the unit threshold', () => {
    const [result] = checkTables([input('f-m', table, { contributors })], rules());
    const dominance = result!.checks.find((c) => c.rule === 'dominance' && c.outcome !== 'review')!;
    expect(dominance.params).toEqual({ n: 2, k: 90 });
    // 950 + 30 > 90% of 1000; 880 + 40 = 920 > 900 too.
    expect(dominance.cells.map((c) => c.row)).toEqual([0, 4]);
    const pRatio = check(result!.checks, 'p-ratio');
    expect(pRatio.params).toEqual({ p: 10 });
    // 1000 - 950 - 30 = 20 < 95; 1000 - 880 - 40 = 80 < 88.
    expect(pRatio.cells.map((c) => c.row)).toEqual([0, 4]);
    expect(check(result!.checks, 'threshold').cells).toEqual([{ row: 2, column: 'cost' }]);
    const review = result!.checks.find((c) => c.outcome === 'review')!;
    expect(review.rule).toBe('dominance');
    expect(review.cells).toEqual([{ row: 3, column: 'cost' }]);
    expect(result!.safe.rows.map((row) => row[1])).toEqual([
      SUPPRESSED,
      1000,
      SUPPRESSED,
      1000,
      SUPPRESSED,
    ]);
  });

  it('flags the p% rule alone when k is higher', () => {
    const [result] = checkTables(
      [input('f-m', table, { contributors })],
      rules({ dominance: { n: 2, k: 95 } }),
    );
    const dominance = result!.checks.find((c) => c.rule === 'dominance' && c.outcome !== 'review')!;
    expect(dominance.cells.map((c) => c.row)).toEqual([0]);
    expect(check(result!.checks, 'p-ratio').cells.map((c) => c.row)).toEqual([0, 4]);
  });
});

describe('secondary suppression', () => {
  it('protects a cell that the row total would reveal', () => {
    const table: OutputTable = {
      columns: [
        { name: 'condition', role: 'label' },
        { name: 'F', role: 'count' },
        { name: 'M', role: 'count' },
        { name: 'Total', role: 'count' },
      ],
      rows: [
        ['E11', 5, 40, 45],
        ['I10', 30, 20, 50],
        ['Total', 35, 60, 95],
      ],
    };
    const [result] = checkTables([input('f-a', table)], rules());
    const secondary = check(result!.checks, 'secondary-suppression', 'row and column totals');
    expect(secondary.outcome).toBe('suppressed');
    expect(secondary.cells).toEqual([
      { row: 0, column: 'M' },
      { row: 1, column: 'F' },
      { row: 1, column: 'M' },
    ]);
    expect(result!.safe.rows).toEqual([
      ['E11', SUPPRESSED, SUPPRESSED, 45],
      ['I10', SUPPRESSED, SUPPRESSED, 50],
      ['Total', 35, 60, 95],
    ]);
    // Without it, 45 - 40 would give the suppressed 5: no row or column has one hidden part.
    for (const row of result!.safe.rows.slice(0, 2))
      expect(row.slice(1, 3).filter((cell) => cell === SUPPRESSED).length).not.toBe(1);
  });

  it('hides the total rather than a zero', () => {
    const table: OutputTable = {
      columns: [
        { name: 'band', role: 'label' },
        { name: 'a', role: 'count' },
        { name: 'b', role: 'count' },
        { name: 'total', role: 'count' },
      ],
      rows: [
        ['x', 3, 0, 3],
        ['y', 20, 30, 50],
      ],
    };
    const [result] = checkTables([input('f-a', table)], rules());
    expect(result!.safe.rows[0]).toEqual(['x', SUPPRESSED, 0, SUPPRESSED]);
  });

  it('detects a total column by its sums', () => {
    const table: OutputTable = {
      columns: [
        { name: 'band', role: 'label' },
        { name: 'a', role: 'count' },
        { name: 'b', role: 'count' },
        { name: 'everyone', role: 'count' },
      ],
      rows: [
        ['x', 3, 50, 53],
        ['y', 20, 30, 50],
      ],
    };
    const [result] = checkTables([input('f-a', table)], rules());
    expect(result!.safe.rows[0]).toEqual(['x', SUPPRESSED, SUPPRESSED, 53]);
    expect(result!.safe.rows[1]).toEqual(['y', 20, 30, 50]);
  });

  it('protects a cell that another table row total would reveal', () => {
    const bySex: OutputTable = {
      columns: [
        { name: 'condition', role: 'label' },
        { name: 'F', role: 'count' },
        { name: 'M', role: 'count' },
      ],
      rows: [
        ['E11', 5, 40],
        ['I10', 30, 20],
      ],
    };
    const totals = counts([
      ['E11', 45],
      ['I10', 50],
    ]);
    // Checked alone, the first table hides only the 5: the second table's 45 would reveal it.
    const [alone] = checkTables([input('f-a', bySex)], rules());
    expect(alone!.safe.rows[0]).toEqual(['E11', SUPPRESSED, 40]);

    const [a, b] = checkTables([input('f-a', bySex), input('f-b', totals)], rules());
    const across = check(a!.checks, 'secondary-suppression', 'other tables in the request');
    expect(across.relatedFileId).toBe('f-b');
    expect(across.params.relatedFileId).toBe('f-b');
    expect(across.cells).toEqual([{ row: 0, column: 'M' }]);
    expect(a!.safe.rows).toEqual([
      ['E11', SUPPRESSED, SUPPRESSED],
      ['I10', 30, 20],
    ]);
    expect(b!.safe.rows).toEqual([
      ['E11', 45],
      ['I10', 50],
    ]);
  });

  it('protects a cell that a shared column margin would reveal', () => {
    const byAge: OutputTable = {
      columns: [
        { name: 'age band', role: 'label' },
        { name: 'F', role: 'count' },
        { name: 'M', role: 'count' },
      ],
      rows: [
        ['0-39', 5, 40],
        ['40+', 30, 20],
      ],
    };
    const bySex = counts([
      ['F', 35],
      ['M', 60],
    ]);
    const [a] = checkTables([input('f-a', byAge), input('f-b', bySex)], rules());
    expect(a!.safe.rows).toEqual([
      ['0-39', SUPPRESSED, 40],
      ['40+', SUPPRESSED, 20],
    ]);
    expect(check(a!.checks, 'secondary-suppression', 'other tables in the request').cells).toEqual([
      { row: 1, column: 'F' },
    ]);
  });
});

describe('other checks', () => {
  it('suppresses rates derived from a suppressed count', () => {
    const table: OutputTable = {
      columns: [
        { name: 'group', role: 'label' },
        { name: 'n', role: 'count' },
        { name: 'share', role: 'rate' },
      ],
      rows: [
        ['A', 3, 0.03],
        ['B', 50, 0.5],
      ],
    };
    const [result] = checkTables([input('f-a', table)], rules());
    expect(check(result!.checks, 'derived-rate').cells).toEqual([{ row: 0, column: 'share' }]);
    expect(result!.safe.rows[0]).toEqual(['A', SUPPRESSED, SUPPRESSED]);
    expect(result!.safe.rows[1]).toEqual(['B', 50, 0.5]);
  });

  it('fails tables over the maximum rows', () => {
    const [result] = checkTables(
      [
        input(
          'f-a',
          counts([
            ['A', 10],
            ['B', 20],
            ['C', 30],
          ]),
        ),
      ],
      rules({ maxRows: 2 }),
    );
    const maxRows = check(result!.checks, 'max-rows');
    expect(maxRows.outcome).toBe('fail');
    expect(maxRows.params).toEqual({ maxRows: 2 });
  });

  it('fails file types the policy does not allow', () => {
    const [result] = checkTables(
      [input('f-a', counts([['A', 10]]), { fileTypes: ['csv', 'exe'] })],
      rules(),
    );
    const fileType = check(result!.checks, 'file-type');
    expect(fileType.outcome).toBe('fail');
    expect(fileType.message).toContain('exe');
  });

  it('recognises row-level tables', () => {
    expect(rowLevelReason(counts([['A', 1]]), true)).toContain('member-level');
    const perPerson: OutputTable = {
      columns: [
        { name: 'subject_id', role: 'label' },
        { name: 'risk', role: 'value' },
      ],
      rows: [[1, 0.2]],
    };
    expect(rowLevelReason(perPerson, false)).toContain('subject_id');
    expect(rowLevelReason(counts([['A', 12]]), false)).toBeNull();
  });
});
