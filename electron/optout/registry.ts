/**
 * The opt-out registry: subject ids whose records must not be used. Adding ids
 * purges those subjects from every dataset already in the cache, and importers
 * skip them (see `loadOptOuts` and EventWriter.exclude).
 */
import { flushAudit, queueAudit } from '../audit';
import { logger } from '../log';
import type { Cache } from '../store/cache';

export interface PurgeCounts {
  /** Ids in the list given. */
  listed: number;
  /** Ids not on the registry before. */
  added: number;
  subjects: number;
  events: number;
  observationPeriods: number;
  cohortMembers: number;
  /** Rows of forecast_results and forecast_members. */
  forecastResults: number;
}

/** Ids in the registry as the importers compare them: numbers, or strings beyond 2^53. */
export class OptOutSet {
  private readonly small = new Set<number>();
  private readonly large = new Set<string>();

  constructor(ids: Iterable<string>) {
    for (const id of ids) {
      const value = Number(id);
      if (Number.isSafeInteger(value)) this.small.add(value);
      else this.large.add(id);
    }
  }

  get size(): number {
    return this.small.size + this.large.size;
  }

  has(subject: number | bigint): boolean {
    if (typeof subject === 'number') return this.small.has(subject);
    return subject >= BigInt(Number.MIN_SAFE_INTEGER) && subject <= BigInt(Number.MAX_SAFE_INTEGER)
      ? this.small.has(Number(subject))
      : this.large.has(subject.toString());
  }
}

export function loadOptOuts(db: Cache): OptOutSet {
  const rows = db.prepare('SELECT subject_id FROM opt_outs').pluck().all() as string[];
  return new OptOutSet(rows);
}

export function optOutCount(db: Cache): number {
  return (db.prepare('SELECT count(*) FROM opt_outs').pluck().get() as number) ?? 0;
}

/**
 * Add ids to the registry and purge those subjects from the cache: events,
 * subjects, observation periods, cohort memberships and forecast results, with
 * the datasets' and cohorts' counts updated, all in one transaction. The purge
 * is audited with counts only.
 *
 * NOTE: aggregates computed before the purge (cohort attrition, forecast run
 * summaries) keep their old totals; they hold counts, not records.
 */
export function addOptOuts(db: Cache, ids: string[], user: string, source: string): PurgeCounts {
  let queued = 0;
  const counts = db
    .transaction((): PurgeCounts => {
      const insert = db.prepare(
        'INSERT OR IGNORE INTO opt_outs (subject_id, added_at, added_by) VALUES (?, ?, ?)',
      );
      const now = Date.now();
      let added = 0;
      for (const id of ids) added += insert.run(id, now, user).changes;

      // Compare as integers; ids beyond 2^53 bind as BigInt so SQLite compares them exactly.
      db.exec('CREATE TEMP TABLE IF NOT EXISTS optout_purge (subject_id INTEGER PRIMARY KEY)');
      db.exec('DELETE FROM temp.optout_purge');
      db.exec(
        'INSERT OR IGNORE INTO temp.optout_purge SELECT CAST(subject_id AS INTEGER) FROM opt_outs',
      );
      const purged = purgeListed(db);
      db.exec('DROP TABLE temp.optout_purge');
      const result = { listed: ids.length, added, ...purged };
      // The entry commits with the purge.
      queued = queueAudit(db, {
        action: 'optout.add',
        objectType: 'opt_outs',
        counts: { ...result },
        details: { source },
      });
      return result;
    })
    .immediate();
  flushAudit(db, [queued]);

  logger.info('opt-out list added', { ...counts });
  return counts;
}

function purgeListed(db: Cache): Omit<PurgeCounts, 'listed' | 'added'> {
  const inList = 'subject_id IN (SELECT subject_id FROM temp.optout_purge)';
  const datasets = db.prepare('SELECT id FROM datasets').pluck().all() as number[];
  let events = 0;
  let subjects = 0;
  let observationPeriods = 0;
  const changedDatasets: number[] = [];
  for (const datasetId of datasets) {
    // Per dataset, so the deletes use the (dataset_id, subject_id, ...) indexes.
    const e = db
      .prepare(`DELETE FROM events WHERE dataset_id = ? AND ${inList}`)
      .run(datasetId).changes;
    const s = db
      .prepare(`DELETE FROM subjects WHERE dataset_id = ? AND ${inList}`)
      .run(datasetId).changes;
    const o = db
      .prepare(`DELETE FROM observation_periods WHERE dataset_id = ? AND ${inList}`)
      .run(datasetId).changes;
    events += e;
    subjects += s;
    observationPeriods += o;
    if (e + s + o > 0) changedDatasets.push(datasetId);
  }
  for (const datasetId of changedDatasets)
    db.prepare(
      `UPDATE datasets SET
         subjects = (SELECT count(*) FROM subjects WHERE dataset_id = ?),
         events = (SELECT count(*) FROM events WHERE dataset_id = ?)
       WHERE id = ?`,
    ).run(datasetId, datasetId, datasetId);

  const cohortMembers = db.prepare(`DELETE FROM cohort_members WHERE ${inList}`).run().changes;
  if (cohortMembers > 0)
    db.exec(
      `UPDATE cohorts SET members = (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = cohorts.id)`,
    );
  let forecastResults = db.prepare(`DELETE FROM forecast_results WHERE ${inList}`).run().changes;
  // Schema 3 lists each run's members under a pseudonym; they go with their results.
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'forecast_members'").get())
    forecastResults += db.prepare(`DELETE FROM forecast_members WHERE ${inList}`).run().changes;
  return { subjects, events, observationPeriods, cohortMembers, forecastResults };
}
