/**
 * Concept sets resolved to code ids in a temporary table, so criteria join
 * events to `temp.cohort_concepts` by set number instead of repeating the
 * code matching in every subquery. Every code is bound as a parameter.
 */
import type { ConceptItem, ConceptSet } from '../../shared/cohort-definition';
import type { Cache } from '../store/cache';

const exactSql = 'SELECT id FROM codes WHERE code = ?';

// substr() compares case-sensitively and treats % and _ as plain characters,
// which LIKE would not without escaping; the codes table is small enough to scan.
const prefixSql = 'SELECT id FROM codes WHERE substr(code, 1, length(:code)) = :code';

const descendantsSql = `
  WITH RECURSIVE tree (id) AS (
    SELECT id FROM codes WHERE code = ?
    UNION
    SELECT code_parents.code_id FROM code_parents JOIN tree ON code_parents.parent_id = tree.id
  )
  SELECT id FROM tree`;

/** Numbers concept sets as they are registered and writes their code ids to temp.cohort_concepts. */
export class ConceptSetTable {
  private next = 0;
  private readonly insert;
  private readonly queries;

  constructor(private readonly db: Cache) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS cohort_concepts (
               set_no INTEGER NOT NULL, code_id INTEGER NOT NULL,
               PRIMARY KEY (set_no, code_id)) WITHOUT ROWID;
             DELETE FROM temp.cohort_concepts;
             DROP TABLE IF EXISTS temp.cohort_set_events;`);
    this.insert = db.prepare('INSERT OR IGNORE INTO temp.cohort_concepts VALUES (?, ?)');
    this.queries = {
      exact: db.prepare<[string], { id: number }>(exactSql),
      prefix: db.prepare<[{ code: string }], { id: number }>(prefixSql),
      descendants: db.prepare<[string], { id: number }>(descendantsSql),
    };
  }

  /** Resolve `set` and return its number for `c.set_no = ?` in criteria. */
  register(set: ConceptSet): number {
    const setNo = this.next++;
    const excluded = new Set(
      set.items.filter((item) => item.exclude).flatMap((i) => this.match(i)),
    );
    const included = set.items.filter((item) => !item.exclude).flatMap((i) => this.match(i));

    this.db.transaction(() => {
      for (const id of included) if (!excluded.has(id)) this.insert.run(setNo, id);
    })();
    return setNo;
  }

  /**
   * Copy the set's events into temp.cohort_set_events when there are at most
   * `maxEvents` of them, and return whether it did. Criteria on a rare set
   * then seek each person in this small table instead of reading their whole
   * history from events, where code_id is not in the subject-time index.
   */
  materializeIfRare(setNo: number, datasetId: number, maxEvents: number): boolean {
    const matching = `FROM temp.cohort_concepts cc CROSS JOIN events e
                      WHERE cc.set_no = ? AND e.code_id = cc.code_id AND e.dataset_id = ?`;
    const { n } = this.db
      .prepare<[number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT 1 ${matching} LIMIT ?)`,
      )
      .get(setNo, datasetId, maxEvents + 1)!;
    if (n > maxEvents) return false;

    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS cohort_set_events (
                    set_no INTEGER NOT NULL, subject_id INTEGER NOT NULL, time INTEGER NOT NULL);
                  CREATE INDEX IF NOT EXISTS temp.cohort_set_events_subject
                    ON cohort_set_events (set_no, subject_id, time);`);
    this.db
      .prepare(
        `INSERT INTO temp.cohort_set_events SELECT cc.set_no, e.subject_id, e.time ${matching}
           AND e.time IS NOT NULL`,
      )
      .run(setNo, datasetId);
    return true;
  }

  private match(item: ConceptItem): number[] {
    const rows =
      item.match === 'prefix'
        ? this.queries.prefix.all({ code: item.code })
        : this.queries[item.match].all(item.code);
    return rows.map((row) => row.id);
  }
}
