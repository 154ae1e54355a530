/**
 * Observation periods of a dataset as one SQL source. OMOP datasets bring
 * their own observation_period rows; MEDS has none, so a subject is observed
 * from their first to their last event.
 */
import type { Cache } from '../store/cache';

export interface ObservationSource {
  /** A subquery with columns subject_id, start_time, end_time. */
  sql: string;
  params: number[];
}

export function observationSource(db: Cache, datasetId: number): ObservationSource {
  const hasPeriods = db
    .prepare('SELECT 1 FROM observation_periods WHERE dataset_id = ? LIMIT 1')
    .get(datasetId);
  if (hasPeriods) {
    return {
      sql: 'SELECT subject_id, start_time, end_time FROM observation_periods WHERE dataset_id = ?',
      params: [datasetId],
    };
  }
  // NOTE: a timed MEDS_BIRTH event counts as the first event, so a MEDS
  // subject with a recorded birth is observed from birth, however late their
  // other records start.
  return {
    sql: `SELECT subject_id, first_event_time AS start_time, last_event_time AS end_time
            FROM subjects WHERE dataset_id = ? AND first_event_time IS NOT NULL`,
    params: [datasetId],
  };
}
