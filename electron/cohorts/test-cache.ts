/**
 * Small hand-built caches for the cohort tests: people with a sex, a birth
 * date, an observation period and events on given days, so every expected
 * member can be worked out by hand.
 */
import { join } from 'node:path';
import { openCache, type Cache } from '../store/cache';
import { tempDir } from '../testing/fixtures';
import { SECONDS_PER_DAY } from './sql-time';

/** Day 0 of the test timelines: 2020-01-01 UTC. */
export const DAY0 = Date.parse('2020-01-01T00:00:00Z') / 1000;

export interface TestPerson {
  id: number;
  sex?: 'F' | 'M' | null;
  birth?: string | null;
  death?: string | null;
  /** Observation from and to these days (relative to DAY0); default -3650 to 3650. */
  observed?: [number, number];
  /** [code, day relative to DAY0, optional seconds into the day (default noon)]. */
  events?: [string, number, number?][];
}

export interface TestCache {
  db: Cache;
  datasetId: number;
}

/**
 * Write a dataset of `people`. With `observationPeriods` the periods go to
 * observation_periods as an OMOP import would; otherwise only the subjects'
 * first and last event times carry them, as in MEDS.
 */
export function buildTestCache(
  people: TestPerson[],
  options: { observationPeriods?: boolean; parents?: [string, string][]; codes?: string[] } = {},
): TestCache {
  const db = openCache(join(tempDir('horizon-cohort-'), 'cache.sqlite'));
  const datasetId = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, format, source, source_hash, status, started_at, imported_by)
         VALUES ('test', ?, 'test', 'test', 'complete', 0, 'test')`,
      )
      .run(options.observationPeriods ? 'omop' : 'meds').lastInsertRowid,
  );

  const codeIds = new Map<string, number>();
  const codeId = (code: string) => {
    let id = codeIds.get(code);
    if (id === undefined) {
      id = Number(
        db
          .prepare('INSERT INTO codes (code, vocabulary) VALUES (?, ?)')
          .run(code, code.split('//')[0] ?? null).lastInsertRowid,
      );
      codeIds.set(code, id);
    }
    return id;
  };
  for (const code of options.codes ?? []) codeId(code);
  for (const [child, parent] of options.parents ?? []) {
    db.prepare('INSERT INTO code_parents (code_id, parent_id) VALUES (?, ?)').run(
      codeId(child),
      codeId(parent),
    );
  }

  const insertSubject = db.prepare(
    `INSERT INTO subjects (dataset_id, subject_id, sex, birth_time, death_time, first_event_time, last_event_time)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO events (dataset_id, subject_id, time, code_id) VALUES (?, ?, ?, ?)',
  );
  const insertPeriod = db.prepare(
    'INSERT INTO observation_periods (dataset_id, subject_id, start_time, end_time) VALUES (?, ?, ?, ?)',
  );

  for (const person of people) {
    const [from, to] = person.observed ?? [-3650, 3650];
    const start = DAY0 + from * SECONDS_PER_DAY;
    const end = DAY0 + to * SECONDS_PER_DAY;
    insertSubject.run(
      datasetId,
      person.id,
      person.sex === undefined ? 'F' : person.sex,
      person.birth === null ? null : toSeconds(person.birth ?? '1970-01-01'),
      person.death ? toSeconds(person.death) : null,
      start,
      end,
    );
    if (options.observationPeriods) insertPeriod.run(datasetId, person.id, start, end);
    for (const [code, day, seconds] of person.events ?? []) {
      insertEvent.run(
        datasetId,
        person.id,
        DAY0 + day * SECONDS_PER_DAY + (seconds ?? 43_200),
        codeId(code),
      );
    }
  }
  return { db, datasetId };
}

function toSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}
