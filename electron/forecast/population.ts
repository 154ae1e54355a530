import { cohortMembers, findCohort } from '../cohorts/store';
import type { Cache } from '../store/cache';
import type { Timeline } from '../model/timeline';

/** A member of a forecast population: a subject with a forecast start time. */
export interface Member {
  subjectId: number | bigint;
  indexTime: number;
}

/**
 * Subjects of a dataset alive and observed at `time`: born at or before it,
 * not dead at or before it, and with a first event at or before it. Where the
 * dataset has observation periods (OMOP), `time` must also fall inside one of
 * the subject's periods, so someone who left the data source is not forecast.
 * MEDS datasets have none; there a person counts as observed from their first
 * event on, because a quiet spell without records says nothing about leaving.
 */
export function aliveAt(cache: Cache, datasetId: number, time: number): Member[] {
  const hasPeriods = cache
    .prepare('SELECT 1 FROM observation_periods WHERE dataset_id = ? LIMIT 1')
    .get(datasetId);
  const observed = hasPeriods
    ? `AND EXISTS (SELECT 1 FROM observation_periods o
                    WHERE o.dataset_id = s.dataset_id AND o.subject_id = s.subject_id
                      AND o.start_time <= @time AND o.end_time >= @time)`
    : '';
  const rows = cache
    .prepare(
      `SELECT subject_id AS subjectId FROM subjects s
        WHERE dataset_id = @datasetId AND birth_time <= @time
          AND (death_time IS NULL OR death_time > @time)
          AND first_event_time <= @time ${observed}
        ORDER BY subject_id`,
    )
    .safeIntegers(true)
    .all({ datasetId, time }) as { subjectId: bigint }[];
  return rows.map((row) => ({ subjectId: narrow(row.subjectId), indexTime: time }));
}

/**
 * Members of a saved cohort, each forecast from their own index date. A person
 * with several index dates (an "every occurrence" entry) is forecast once,
 * from the earliest, because results are stored per person and code.
 */
export function savedCohortMembers(
  cache: Cache,
  name: string,
  version?: number,
): { cohortId: number; datasetId: number; label: string; members: Member[] } {
  const cohort = findCohort(cache, name, version);
  const members: Member[] = [];
  let previous: number | null = null;
  for (const member of cohortMembers(cache, cohort.id)) {
    if (member.subjectId === previous) continue;
    previous = member.subjectId;
    members.push({ subjectId: member.subjectId, indexTime: member.indexTime });
  }
  return {
    cohortId: cohort.id,
    datasetId: cohort.datasetId,
    label: `cohort "${cohort.name}" version ${cohort.version}`,
    members,
  };
}

function narrow(id: bigint): number | bigint {
  return id <= BigInt(Number.MAX_SAFE_INTEGER) && id >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(id)
    : id;
}

/** Read a member's timeline from the cache, events up to and including the index time. */
export function memberTimeline(cache: Cache, datasetId: number, member: Member): Timeline {
  const subject = cache
    .prepare('SELECT birth_time AS birthTime FROM subjects WHERE dataset_id = ? AND subject_id = ?')
    .get(datasetId, member.subjectId) as { birthTime: number | null } | undefined;
  const events = cache
    .prepare(
      `SELECT e.time AS time, c.code AS code FROM events e JOIN codes c ON c.id = e.code_id
        WHERE e.dataset_id = ? AND e.subject_id = ? AND (e.time IS NULL OR e.time <= ?)
        ORDER BY e.time IS NOT NULL, e.time, e.rowid`,
    )
    .all(datasetId, member.subjectId, member.indexTime) as { time: number | null; code: string }[];
  return { subjectId: member.subjectId, birthTime: subject?.birthTime ?? null, events };
}
