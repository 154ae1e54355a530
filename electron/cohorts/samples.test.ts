/**
 * Attrition on the sample datasets against counts from plain SQL written here,
 * which works in calendar dates (date(), '+N years') instead of the compiler's
 * seconds and day starts, so the two share no code.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortDefinitionInput } from '../../shared/cohort-definition';
import { importDataset } from '../ingest';
import { openCache, type Cache } from '../store/cache';
import { missingSamples, removeTempDirs, samples, tempDir } from '../testing/fixtures';
import { parseDefinition } from './definition';
import { generateCohort } from './store';

afterAll(removeTempDirs);

interface Counts {
  persons: number;
  events: number;
}

function count(db: Cache, sql: string, params: Record<string, number | string>): Counts {
  return db
    .prepare(`${sql} SELECT count(DISTINCT subject_id) AS persons, count(*) AS events FROM final`)
    .get(params) as Counts;
}

describe.skipIf(missingSamples)('attrition on the OMOP sample', () => {
  let db: Cache;
  let datasetId: number;

  beforeAll(async () => {
    db = openCache(join(tempDir(), 'omop.sqlite'));
    datasetId = (
      await importDataset(db, { format: 'omop', path: samples.omopZip, importedBy: 't' })
    ).id;
  });
  afterAll(() => db.close());

  // First viral sinusitis after 30 days of observation, aged 18 or more,
  // stress in the ten years before, and no acute pharyngitis within a year either side.
  const definition: CohortDefinitionInput = {
    version: 1,
    name: 'sinusitis',
    index: {
      kind: 'event',
      conceptSet: { items: [{ code: 'SNOMED//444814009' }] },
      occurrence: 'first',
      priorObservationDays: 30,
    },
    demographics: { ageMin: 18 },
    rules: [
      {
        name: 'stress before',
        group: {
          kind: 'group',
          type: 'ALL',
          items: [
            {
              kind: 'event',
              conceptSet: { items: [{ code: 'SNOMED//73595000' }] },
              window: { startDays: -3650, endDays: -1 },
              occurrence: { type: 'at_least', count: 1 },
            },
          ],
        },
      },
      {
        name: 'no pharyngitis',
        group: {
          kind: 'group',
          type: 'ALL',
          items: [
            {
              kind: 'event',
              conceptSet: { items: [{ code: 'SNOMED//195662009' }] },
              window: { startDays: -365, endDays: 365 },
              occurrence: { type: 'exactly', count: 0 },
            },
          ],
        },
      },
    ],
  };

  const entrySql = `
    WITH first AS (
      SELECT e.subject_id, min(e.time) AS t FROM events e JOIN codes c ON c.id = e.code_id
       WHERE e.dataset_id = :ds AND c.code = 'SNOMED//444814009' GROUP BY e.subject_id),
    entry AS (
      SELECT f.subject_id, f.t FROM first f JOIN observation_periods o
        ON o.dataset_id = :ds AND o.subject_id = f.subject_id AND f.t BETWEEN o.start_time AND o.end_time
       WHERE date(o.start_time, 'unixepoch', '+30 days') <= date(f.t, 'unixepoch')),
    adult AS (
      SELECT en.* FROM entry en JOIN subjects s ON s.dataset_id = :ds AND s.subject_id = en.subject_id
       WHERE date(s.birth_time, 'unixepoch', '+18 years') <= date(en.t, 'unixepoch')),
    stress AS (
      SELECT a.* FROM adult a WHERE EXISTS (
        SELECT 1 FROM events e JOIN codes c ON c.id = e.code_id
         WHERE e.dataset_id = :ds AND e.subject_id = a.subject_id AND c.code = 'SNOMED//73595000'
           AND date(e.time, 'unixepoch') BETWEEN date(a.t, 'unixepoch', '-3650 days')
                                            AND date(a.t, 'unixepoch', '-1 days'))),
    no_pharyngitis AS (
      SELECT a.* FROM adult a WHERE NOT EXISTS (
        SELECT 1 FROM events e JOIN codes c ON c.id = e.code_id
         WHERE e.dataset_id = :ds AND e.subject_id = a.subject_id AND c.code = 'SNOMED//195662009'
           AND date(e.time, 'unixepoch') BETWEEN date(a.t, 'unixepoch', '-365 days')
                                            AND date(a.t, 'unixepoch', '+365 days')))`;

  it('matches counts from plain SQL', () => {
    const cohort = generateCohort(db, {
      definition: parseDefinition(definition),
      datasetId,
      createdBy: 'tester',
    });
    const ds = { ds: datasetId };
    const expected = [
      count(db, `${entrySql}, final AS (SELECT * FROM entry)`, ds),
      count(db, `${entrySql}, final AS (SELECT * FROM adult)`, ds),
      count(db, `${entrySql}, final AS (SELECT * FROM stress)`, ds),
      count(
        db,
        `${entrySql}, final AS (SELECT * FROM stress WHERE subject_id IN (SELECT subject_id FROM no_pharyngitis))`,
        ds,
      ),
    ];

    expect(cohort.attrition.map((s) => ({ persons: s.persons, events: s.events }))).toEqual(
      expected,
    );
    expect(cohort.attrition[3]!.satisfiedPersons).toBe(
      count(db, `${entrySql}, final AS (SELECT * FROM no_pharyngitis)`, ds).persons,
    );
    expect(cohort.members).toBe(expected[3]!.events);
    // Guard against a vacuous comparison: the sample has people at every step.
    expect(expected[0]!.persons).toBeGreaterThan(expected[3]!.persons);
    expect(expected[3]!.persons).toBeGreaterThan(0);
  });
});

describe.skipIf(missingSamples)('attrition on the MEDS sample', () => {
  let db: Cache;
  let datasetId: number;

  beforeAll(async () => {
    db = openCache(join(tempDir(), 'meds.sqlite'));
    datasetId = (await importDataset(db, { format: 'meds', path: samples.meds, importedBy: 't' }))
      .id;
  });
  afterAll(() => db.close());

  // Every ICD-9 diagnosis, with at least five medication events in the 30 days
  // from it, and hypertension (401.9) or depression (311) recorded at any time.
  const definition: CohortDefinitionInput = {
    version: 1,
    name: 'diagnoses',
    index: {
      kind: 'event',
      conceptSet: { items: [{ code: 'DIAGNOSIS//ICD//9//', match: 'prefix' }] },
      occurrence: 'all',
    },
    rules: [
      {
        name: 'medicated',
        group: {
          kind: 'group',
          type: 'ALL',
          items: [
            {
              kind: 'event',
              conceptSet: { items: [{ code: 'MEDICATION//', match: 'prefix' }] },
              window: { startDays: 0, endDays: 30 },
              occurrence: { type: 'at_least', count: 5 },
            },
          ],
        },
      },
      {
        name: 'hypertension or depression',
        group: {
          kind: 'group',
          type: 'ANY',
          items: ['DIAGNOSIS//ICD//9//4019', 'DIAGNOSIS//ICD//9//311'].map((code) => ({
            kind: 'event' as const,
            conceptSet: { items: [{ code }] },
            window: { startDays: -36_500, endDays: 36_500 },
            occurrence: { type: 'at_least' as const, count: 1 },
          })),
        },
      },
    ],
  };

  const entrySql = `
    WITH entry AS (
      SELECT DISTINCT e.subject_id, e.time AS t FROM events e JOIN codes c ON c.id = e.code_id
       WHERE e.dataset_id = :ds AND c.code >= 'DIAGNOSIS//ICD//9//' AND c.code < 'DIAGNOSIS//ICD//9/0'
         AND e.time IS NOT NULL),
    medicated AS (
      SELECT en.* FROM entry en WHERE (
        SELECT count(*) FROM events e JOIN codes c ON c.id = e.code_id
         WHERE e.dataset_id = :ds AND e.subject_id = en.subject_id AND c.code GLOB 'MEDICATION//*'
           AND date(e.time, 'unixepoch') BETWEEN date(en.t, 'unixepoch')
                                            AND date(en.t, 'unixepoch', '+30 days')) >= 5),
    diagnosed AS (
      SELECT en.* FROM entry en WHERE en.subject_id IN (
        SELECT e.subject_id FROM events e JOIN codes c ON c.id = e.code_id
         WHERE e.dataset_id = :ds AND c.code IN ('DIAGNOSIS//ICD//9//4019', 'DIAGNOSIS//ICD//9//311')))`;

  it('matches counts from plain SQL', () => {
    const cohort = generateCohort(db, {
      definition: parseDefinition(definition),
      datasetId,
      createdBy: 'tester',
    });
    const ds = { ds: datasetId };
    const both = `${entrySql}, final AS (SELECT * FROM medicated m WHERE EXISTS (
      SELECT 1 FROM diagnosed d WHERE d.subject_id = m.subject_id AND d.t = m.t))`;
    const expected = [
      count(db, `${entrySql}, final AS (SELECT * FROM entry)`, ds),
      count(db, `${entrySql}, final AS (SELECT * FROM medicated)`, ds),
      count(db, both, ds),
    ];

    expect(cohort.attrition.map((s) => ({ persons: s.persons, events: s.events }))).toEqual(
      expected,
    );
    expect(cohort.attrition[2]!.satisfiedPersons).toBe(
      count(db, `${entrySql}, final AS (SELECT * FROM diagnosed)`, ds).persons,
    );
    expect(expected[0]!.events).toBeGreaterThan(expected[2]!.events);
    expect(expected[2]!.events).toBeGreaterThan(0);
  });
});
