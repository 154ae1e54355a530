/**
 * The de-identification scan run on every import. Each patient-level table is
 * scanned as it is read, matching column names and values against the
 * identifier rules. A file whose columns contain identifiers is rejected when
 * it has been read, with a report of file, column, rule and count (never the
 * values). A column the administrator's policy marks `drop` is emptied, and one
 * marked `coarsen` keeps dates of birth as their month and postcodes as their
 * outward code (other identifiers are emptied), before anything is written.
 *
 * Once a file is bound to be rejected, readers stop writing its rows (see
 * `rejecting`) but keep scanning, so the report counts every hit and no row
 * with a found identifier reaches the cache.
 *
 * NOTE: rows read before the first hit are written and then purged with the
 * import. SQLite reuses their pages but does not overwrite the bytes (no
 * secure_delete), and key columns are judged only at the end of the file.
 */
import { HorizonError } from '../../../shared/errors';
import { coarsenToMonth } from '../time';
import { columnRule, idValueRule, NATIONAL_ID_SHAPE, valueRule, type Rule } from './rules';

export type DeidAction = 'reject' | 'drop' | 'coarsen';

/** Columns whose values are times or measurements: only their names are checked. */
const NOT_TEXT =
  /(^|_)(time|date|datetime)$|^(numeric_value|value_as_number|quantity|range_low|range_high|days_supply|refills|year_of_birth|month_of_birth)$/;
/** Integer key columns: a national id there is recognised by most values passing the check digit. */
const ID_COLUMN = /(^|_)id$/;

interface ColumnState {
  name: string;
  kind: 'text' | 'id' | 'none';
  nameRule: Rule | null;
  action: DeidAction;
  hits: Map<Rule, number>;
  idCandidates: number;
  /** Results of values seen before: codes and key values repeat on most rows. */
  seen: Map<unknown, Verdict>;
}

/** The value rules' result for one value: its rule, and whether it is shaped like a national id. */
interface Verdict {
  rule: Rule | null;
  idShaped: boolean;
}

/** Distinct values remembered per column; beyond this, new values are checked every time. */
const SEEN_LIMIT = 100_000;
const NO_RULE: Verdict = { rule: null, idShaped: false };

export interface DeidHit {
  file: string;
  column: string;
  rule: Rule;
  count: number;
  action: DeidAction;
}

export class DeidScanner {
  private readonly actions: Map<string, DeidAction>;
  private readonly found: DeidHit[] = [];

  /** `columns`: the policy's actions, keyed by `table.column` or `column` (case-insensitive). */
  constructor(columns: Record<string, DeidAction> = {}) {
    this.actions = new Map(
      Object.entries(columns).map(([key, action]) => [key.toLowerCase(), action]),
    );
  }

  /** Start scanning one file. `blank` is how an emptied value is written (null, or '' in CSV). */
  file(file: string, table: string, columns: string[], blank: null | ''): FileScan {
    const states = columns.map((name): ColumnState => {
      const lower = name.trim().toLowerCase();
      return {
        name,
        kind: NOT_TEXT.test(lower) ? 'none' : ID_COLUMN.test(lower) ? 'id' : 'text',
        nameRule: columnRule(lower),
        action:
          this.actions.get(`${table.toLowerCase()}.${lower}`) ??
          this.actions.get(lower) ??
          'reject',
        hits: new Map(),
        idCandidates: 0,
        seen: new Map(),
      };
    });
    return new FileScan(file, states, blank, (hits) => this.found.push(...hits));
  }

  /** Every hit so far, rejected or handled by the policy. */
  get hits(): readonly DeidHit[] {
    return this.found;
  }
}

export class FileScan {
  /** True once a column the policy does not handle has shown an identifier: write no more rows. */
  rejecting = false;

  constructor(
    private readonly file: string,
    private readonly columns: ColumnState[],
    private readonly blank: null | '',
    private readonly report: (hits: DeidHit[]) => void,
  ) {}

  /** Check one row (values in column order) and apply drop or coarsen in place. */
  row(values: unknown[]): void {
    for (let i = 0; i < this.columns.length; i++) {
      const value = values[i];
      if (value === null || value === undefined || value === '') continue;
      const column = this.columns[i]!;
      let rule = column.nameRule;
      if (column.kind !== 'none') {
        let verdict = column.seen.get(value);
        if (verdict === undefined) {
          verdict = judge(column.kind, value);
          if (column.seen.size < SEEN_LIMIT) column.seen.set(value, verdict);
        }
        if (verdict.idShaped) column.idCandidates++;
        rule = verdict.rule ?? rule;
      }
      if (rule === null) {
        if (column.action === 'drop') values[i] = this.blank;
        continue;
      }
      if (column.nameRule !== null && typeof value === 'string' && value.trim() === '') continue;
      column.hits.set(rule, (column.hits.get(rule) ?? 0) + 1);
      // Key columns are judged on their share of valid check digits at the end of the file.
      if (column.action === 'reject' && (column.kind !== 'id' || column.nameRule === rule))
        this.rejecting = true;
      if (column.action === 'drop') values[i] = this.blank;
      else if (column.action === 'coarsen') values[i] = coarsen(value, rule, this.blank);
    }
  }

  /**
   * End of the file: record what was found (columns the policy handled are
   * counted in the import's audit entry) and reject the import if any column
   * contains identifiers the policy does not handle.
   */
  finish(): void {
    const hits: DeidHit[] = [];
    for (const column of this.columns) {
      for (const [rule, count] of column.hits) {
        // In key columns a national id counts only when most ids pass the check digit;
        // about one random 10-digit number in eleven passes by chance.
        if (column.kind === 'id' && column.nameRule !== rule && count * 2 < column.idCandidates)
          continue;
        hits.push({ file: this.file, column: column.name, rule, count, action: column.action });
      }
    }
    this.report(hits);
    const rejected = hits.filter((h) => h.action === 'reject');
    if (rejected.length > 0) throw identifiersFound(rejected);
  }
}

function judge(kind: 'text' | 'id', value: unknown): Verdict {
  const text = textOf(value);
  if (text === null) return NO_RULE;
  if (kind === 'id') return { rule: idValueRule(text), idShaped: NATIONAL_ID_SHAPE.test(text) };
  return { rule: valueRule(text), idShaped: false };
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return null;
}

function coarsen(value: unknown, rule: Rule, blank: null | ''): unknown {
  if (rule === 'date_of_birth') {
    if (typeof value === 'number') return coarsenToMonth(value);
    if (value instanceof Date)
      return new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), 1));
    if (typeof value === 'string') {
      const match = /^\s*(\d{4})-(\d{2})/.exec(value);
      if (match) return `${match[1]}-${match[2]}-01`;
    }
  }
  if (rule === 'uk_postcode' && typeof value === 'string') {
    const match = /^\s*([A-Z]{1,2}\d[A-Z\d]?) ?\d[A-Z]{2}\s*$/.exec(value);
    if (match) return match[1];
  }
  return blank;
}

export function identifiersFound(hits: DeidHit[]): HorizonError {
  const report = hits.map((h) => `${h.file} column ${h.column}: ${h.rule} × ${h.count}`).join('; ');
  return new HorizonError(
    'import_identifiers',
    `The import was rejected because columns hold direct identifiers (${report}). ` +
      'Remove those columns from the source, or ask the administrator to set drop or coarsen for them ' +
      'in the policy section deidentification.columns (for example "person.email": "drop").',
    {
      report,
      columns: hits.length,
      hits: hits.reduce((sum, h) => sum + h.count, 0),
    },
  );
}
