/**
 * The entry events of a cohort in `temp.cohort_index`: one row per candidate
 * index date with the observation period around it, sex and age at index.
 * Later steps set `demographics_ok` and one bit of `rules_passed` per rule.
 */
import type { CohortIndex } from '../../shared/cohort-definition';
import type { Cache } from '../store/cache';
import type { ConceptSetTable } from './concept-sets';
import { observationSource } from './observation';
import { SECONDS_PER_DAY, ageYearsSql, dayStartSql } from './sql-time';

interface Candidates {
  /** A subquery with columns subject_id, index_time, obs_start, obs_end. */
  sql: string;
  params: (number | string)[];
}

export function buildIndexEvents(
  db: Cache,
  datasetId: number,
  index: CohortIndex,
  concepts: ConceptSetTable,
): void {
  db.exec(`DROP TABLE IF EXISTS temp.cohort_index;
           CREATE TEMP TABLE cohort_index (
             subject_id INTEGER NOT NULL,
             index_time INTEGER NOT NULL,
             day_start INTEGER NOT NULL,
             obs_start INTEGER NOT NULL,
             obs_end INTEGER NOT NULL,
             sex TEXT,
             age INTEGER,
             demographics_ok INTEGER NOT NULL DEFAULT 1,
             rules_passed INTEGER NOT NULL DEFAULT 0,
             end_time INTEGER)`);

  const candidates =
    index.kind === 'event'
      ? entryEventCandidates(db, datasetId, index, concepts)
      : calendarDateCandidates(db, datasetId, index.date);

  db.prepare(
    `INSERT INTO temp.cohort_index (subject_id, index_time, day_start, obs_start, obs_end, sex, age)
     SELECT c.subject_id, c.index_time, ${dayStartSql('c.index_time')}, c.obs_start, c.obs_end,
            s.sex, ${ageYearsSql('s.birth_time', 'c.index_time')}
       FROM (${candidates.sql}) c
       CROSS JOIN subjects s ON s.dataset_id = ? AND s.subject_id = c.subject_id`,
  ).run(...candidates.params, datasetId);
}

function entryEventCandidates(
  db: Cache,
  datasetId: number,
  index: Extract<CohortIndex, { kind: 'event' }>,
  concepts: ConceptSetTable,
): Candidates {
  const setNo = concepts.register(index.conceptSet);
  const observation = observationSource(db, datasetId);

  // The first occurrence is the first ever, as in ATLAS: a person whose first
  // event lacks the required observation does not fall back to a later one.
  // CROSS JOIN fixes the join order in SQLite: the concept set first, so events
  // are read through events_code instead of all of them in subject order, and
  // the entry events before subjects, so only their subjects are looked up.
  const matching = `FROM temp.cohort_concepts cc CROSS JOIN events e
                    WHERE cc.set_no = ? AND e.code_id = cc.code_id
                      AND e.dataset_id = ? AND e.time IS NOT NULL`;
  const events =
    index.occurrence === 'first'
      ? `SELECT e.subject_id, min(e.time) AS time ${matching} GROUP BY e.subject_id`
      : `SELECT DISTINCT e.subject_id, e.time ${matching}`;

  return {
    sql: `SELECT ev.subject_id, ev.time AS index_time, o.start_time AS obs_start, o.end_time AS obs_end
            FROM (${events}) ev
            CROSS JOIN (${observation.sql}) o
              ON o.subject_id = ev.subject_id AND ev.time BETWEEN o.start_time AND o.end_time
           WHERE ev.time - o.start_time >= ? AND o.end_time - ev.time >= ?`,
    params: [
      setNo,
      datasetId,
      ...observation.params,
      index.priorObservationDays * SECONDS_PER_DAY,
      index.postObservationDays * SECONDS_PER_DAY,
    ],
  };
}

/** Everyone born, not yet dead and inside an observation period on the date enters at its midnight. */
function calendarDateCandidates(db: Cache, datasetId: number, date: string): Candidates {
  const time = Date.parse(`${date}T00:00:00Z`) / 1000;
  const observation = observationSource(db, datasetId);
  return {
    sql: `SELECT o.subject_id, ? AS index_time, o.start_time AS obs_start, o.end_time AS obs_end
            FROM (${observation.sql}) o
            JOIN subjects alive ON alive.dataset_id = ? AND alive.subject_id = o.subject_id
           WHERE o.start_time < ? AND o.end_time >= ?
             AND (alive.birth_time IS NULL OR alive.birth_time <= ?)
             AND (alive.death_time IS NULL OR alive.death_time > ?)`,
    params: [time, ...observation.params, datasetId, time + SECONDS_PER_DAY, time, time, time],
  };
}
