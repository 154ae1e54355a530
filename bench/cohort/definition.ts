/**
 * The benchmark cohort, once as a Horizon definition and once as SQL written
 * by hand for the sqlite3 shell. Members enter at their first type 2 diabetes
 * after a year of observation, aged 40 to 80. Three inclusion rules follow:
 * no prior myocardial infarction, a GP consultation in the year before, and
 * hypertension ever before or obesity recorded in the three years before.
 */
import type { CohortDefinitionInput } from '../../shared/cohort-definition';

const before = (code: string, startDays: number, count: 'none' | 'some') => ({
  kind: 'event' as const,
  conceptSet: { items: [{ code }] },
  window: { startDays, endDays: -1 },
  occurrence:
    count === 'none'
      ? { type: 'exactly' as const, count: 0 }
      : { type: 'at_least' as const, count: 1 },
});

export const benchmarkDefinition: CohortDefinitionInput = {
  version: 1,
  name: 'bench: T2DM 40-80',
  index: {
    kind: 'event',
    conceptSet: { items: [{ code: 'ICD10//E11' }] },
    occurrence: 'first',
    priorObservationDays: 365,
  },
  demographics: { ageMin: 40, ageMax: 80 },
  rules: [
    {
      name: 'no prior myocardial infarction',
      group: { kind: 'group', type: 'ALL', items: [before('ICD10//I21', -36_500, 'none')] },
    },
    {
      name: 'GP consultation in the year before',
      group: { kind: 'group', type: 'ALL', items: [before('GP//CONSULTATION', -365, 'some')] },
    },
    {
      name: 'hypertension or obesity',
      group: {
        kind: 'group',
        type: 'ANY',
        items: [before('ICD10//I10', -36_500, 'some'), before('BMI//OBESE', -1095, 'some')],
      },
    },
  ],
};

/**
 * Return a sqlite3 shell script that builds the same cohort and prints its
 * number of members. INDEXED BY makes the shell read the entry events through
 * the code index, as Horizon does, so the reference is not slowed by a scan. MEDS datasets have no observation periods, so
 * observation runs from a subject's first to last event, as in Horizon.
 */
export function referenceSql(datasetId: number): string {
  const code = (c: string) => `(SELECT id FROM codes WHERE code = '${c}')`;
  const day = '(en.t - ((en.t % 86400) + 86400) % 86400)';
  const exists = (c: string, from: string) =>
    `EXISTS (SELECT 1 FROM events e WHERE e.dataset_id = ${datasetId} AND e.subject_id = en.subject_id
               AND e.code_id = ${code(c)} AND e.time >= ${from} AND e.time < ${day})`;

  return `
PRAGMA temp_store = FILE;
PRAGMA cache_size = -65536;
CREATE TEMP TABLE members AS
WITH entry AS (
  SELECT e.subject_id, min(e.time) AS t FROM events e INDEXED BY events_code
   WHERE e.dataset_id = ${datasetId} AND e.code_id = ${code('ICD10//E11')}
   GROUP BY e.subject_id)
SELECT en.subject_id, en.t AS index_time, s.last_event_time AS end_time
  FROM entry en JOIN subjects s ON s.dataset_id = ${datasetId} AND s.subject_id = en.subject_id
 WHERE en.t - s.first_event_time >= 365 * 86400 AND en.t <= s.last_event_time
   AND date(s.birth_time, 'unixepoch', '+40 years') <= date(en.t, 'unixepoch')
   AND date(en.t, 'unixepoch') < date(s.birth_time, 'unixepoch', '+81 years')
   AND NOT ${exists('ICD10//I21', '-1e18')}
   AND ${exists('GP//CONSULTATION', `${day} - 365 * 86400`)}
   AND (${exists('ICD10//I10', '-1e18')} OR ${exists('BMI//OBESE', `${day} - 1095 * 86400`)});
SELECT count(*) FROM members;
`;
}
