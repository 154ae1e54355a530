/**
 * Characterization of a cohort: age at index by sex, the codes most persons
 * had in the year before index, and observation time before and after index.
 * Every count is masked below the disclosure threshold before it is returned.
 */
import type { AgeSexBand, Characterization, DurationSummary, TopCode } from '../../shared/cohorts';
import type { Cache } from '../store/cache';
import { maskCount } from './masking';
import { observationSource } from './observation';
import { SECONDS_PER_DAY, ageYearsSql, dayStartSql } from './sql-time';

const TOP_CODES = 20;
const AGE_BAND_YEARS = 10;
const OPEN_BAND_FROM = 90;

/** Copy the members of a saved cohort into temp.cohort_selection. */
export function selectSavedCohort(db: Cache, cohortId: number): void {
  createSelection(db);
  db.prepare(
    `INSERT INTO temp.cohort_selection SELECT subject_id, index_time, end_time
       FROM cohort_members WHERE cohort_id = ?`,
  ).run(cohortId);
}

/** Copy the members of the last evaluation (temp.cohort_index) into temp.cohort_selection. */
export function selectEvaluatedCohort(db: Cache, memberFilter: string, mask: number): void {
  createSelection(db);
  db.prepare(
    `INSERT INTO temp.cohort_selection SELECT subject_id, index_time, end_time
       FROM temp.cohort_index WHERE ${memberFilter}`,
  ).run(mask);
}

function createSelection(db: Cache): void {
  db.exec(`DROP TABLE IF EXISTS temp.cohort_selection;
           CREATE TEMP TABLE cohort_selection (subject_id INTEGER NOT NULL, index_time INTEGER NOT NULL, end_time INTEGER)`);
}

export function characterizeSelection(
  db: Cache,
  datasetId: number,
  threshold: number,
): Characterization {
  const persons = db
    .prepare<[], { n: number }>('SELECT count(DISTINCT subject_id) AS n FROM temp.cohort_selection')
    .get()!.n;
  const enough = persons >= threshold;

  return {
    persons: maskCount(persons, threshold),
    threshold,
    ageSex: ageSexBands(db, datasetId, threshold),
    topCodes: topCodes(db, datasetId, threshold),
    priorObservationDays: enough ? summarize(priorObservation(db, datasetId)) : hidden(),
    followUpDays: enough ? summarize(followUp(db)) : hidden(),
  };
}

function ageSexBands(db: Cache, datasetId: number, threshold: number): AgeSexBand[] {
  const rows = db
    .prepare<[number, number, number, number], { band: number; sex: string | null; n: number }>(
      `SELECT min(? * CAST(age / ? AS INTEGER), ?) AS band, sex, count(*) AS n FROM (
         SELECT s.sex, ${ageYearsSql('s.birth_time', 'm.index_time')} AS age
           FROM temp.cohort_selection m
           JOIN subjects s ON s.dataset_id = ? AND s.subject_id = m.subject_id)
        WHERE age IS NOT NULL GROUP BY band, sex`,
    )
    .all(AGE_BAND_YEARS, AGE_BAND_YEARS, OPEN_BAND_FROM, datasetId);
  // better-sqlite3 binds JavaScript numbers as REAL, hence the CAST for whole bands above.

  const bands: AgeSexBand[] = [];
  for (let from = 0; from <= OPEN_BAND_FROM; from += AGE_BAND_YEARS) {
    const count = (predicate: (sex: string | null) => boolean) =>
      maskCount(
        rows.filter((r) => r.band === from && predicate(r.sex)).reduce((sum, r) => sum + r.n, 0),
        threshold,
      );
    bands.push({
      ageFrom: from,
      female: count((sex) => sex === 'F'),
      male: count((sex) => sex === 'M'),
      other: count((sex) => sex !== 'F' && sex !== 'M'),
    });
  }
  return bands;
}

function topCodes(db: Cache, datasetId: number, threshold: number): TopCode[] {
  return db
    .prepare<
      [number, number, number],
      { code: string; description: string | null; persons: number }
    >(
      `SELECT c.code, c.description, t.persons FROM (
         SELECT e.code_id, count(DISTINCT e.subject_id) AS persons
           FROM temp.cohort_selection m
           JOIN events e ON e.dataset_id = ? AND e.subject_id = m.subject_id
            AND e.time >= ${dayStartSql('m.index_time')} - ?
            AND e.time < ${dayStartSql('m.index_time')}
          GROUP BY e.code_id ORDER BY persons DESC LIMIT ?) t
       JOIN codes c ON c.id = t.code_id ORDER BY t.persons DESC, c.code`,
    )
    .all(datasetId, 365 * SECONDS_PER_DAY, TOP_CODES)
    .map((row) => ({
      code: row.code,
      description: row.description,
      persons: maskCount(row.persons, threshold),
    }));
}

function priorObservation(db: Cache, datasetId: number): number[] {
  const observation = observationSource(db, datasetId);
  return db
    .prepare<number[], { days: number }>(
      `SELECT (m.index_time - o.start_time) / 86400.0 AS days
         FROM temp.cohort_selection m
         JOIN (${observation.sql}) o ON o.subject_id = m.subject_id
          AND m.index_time BETWEEN o.start_time AND o.end_time`,
    )
    .all(...observation.params)
    .map((row) => row.days);
}

function followUp(db: Cache): number[] {
  return db
    .prepare<[], { days: number }>(
      `SELECT (end_time - index_time) / 86400.0 AS days FROM temp.cohort_selection
        WHERE end_time IS NOT NULL`,
    )
    .all()
    .map((row) => row.days);
}

function summarize(values: number[]): DurationSummary {
  if (values.length === 0) return hidden();
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))]!);
  return { p25: at(0.25), median: at(0.5), p75: at(0.75) };
}

function hidden(): DurationSummary {
  return { p25: null, median: null, p75: null };
}
