/**
 * Evaluates a cohort definition on one dataset into temp.cohort_index and
 * returns its attrition. Nothing is written to the cache's own tables, so the
 * builder's live counts and generation share this code.
 */
import type { CohortDefinition, CohortExit } from '../../shared/cohort-definition';
import type { AttritionStep } from '../../shared/cohorts';
import { HorizonError } from '../../shared/errors';
import type { Cache } from '../store/cache';
import { ConceptSetTable } from './concept-sets';
import { compileCriterion, compileDemographics, hasDemographics } from './criteria';
import { buildIndexEvents } from './index-events';
import { SECONDS_PER_DAY } from './sql-time';

/** rules_passed is a 64-bit integer with one bit per enabled rule. */
export const MAX_ENABLED_RULES = 62;

/** Rows of temp.cohort_index that are members once evaluation has finished. */
export const MEMBER_FILTER = 'demographics_ok = 1 AND rules_passed = ?';

export interface Evaluation {
  attrition: AttritionStep[];
  /** The value of rules_passed that members have, bound to MEMBER_FILTER. */
  allRulesMask: number;
}

export function evaluateCohort(
  db: Cache,
  definition: CohortDefinition,
  datasetId: number,
): Evaluation {
  const rules = definition.rules.filter((rule) => rule.enabled);
  if (rules.length > MAX_ENABLED_RULES) {
    throw new HorizonError(
      'cohort_invalid_definition',
      `The definition has ${rules.length} enabled rules; at most ${MAX_ENABLED_RULES} can be evaluated. Switch some off or merge them into groups.`,
      { field: 'rules' },
    );
  }
  const concepts = new ConceptSetTable(db);

  buildIndexEvents(db, datasetId, definition.index, concepts);
  const attrition: AttritionStep[] = [step('index', 'index', countRows(db, '1', []), null, null)];

  if (hasDemographics(definition.demographics)) {
    const demographics = compileDemographics(definition.demographics);
    db.prepare(
      `UPDATE temp.cohort_index AS i SET demographics_ok = 0 WHERE NOT coalesce(${demographics.sql}, 0)`,
    ).run(...demographics.params);
    const remaining = countRows(db, 'demographics_ok = 1', []);
    attrition.push(step('demographics', 'demographics', remaining, attrition.at(-1)!, null));
  }

  const candidates = countRows(db, 'demographics_ok = 1', []);

  // Each rule runs on every row that passed the demographics, not only on the
  // rows earlier rules kept, so its share satisfied on its own is known too.
  rules.forEach((rule, position) => {
    const bit = 2 ** position;
    const criteria = compileCriterion(rule.group, datasetId, concepts, candidates.events);
    db.prepare(
      `UPDATE temp.cohort_index AS i SET rules_passed = rules_passed | ?
        WHERE demographics_ok = 1 AND coalesce(${criteria.sql}, 0)`,
    ).run(bit, ...criteria.params);

    const prefix = 2 ** (position + 1) - 1;
    const remaining = countRows(db, 'demographics_ok = 1 AND (rules_passed & ?) = ?', [
      prefix,
      prefix,
    ]);
    const alone = countRows(db, 'demographics_ok = 1 AND (rules_passed & ?) != 0', [bit]);
    attrition.push(step('rule', rule.name, remaining, attrition.at(-1)!, alone.persons));
  });

  // NOTE: with every occurrence as index, one person's member rows may
  // overlap in time; they are not collapsed into eras as ATLAS does.
  const allRulesMask = 2 ** rules.length - 1;
  setExitTimes(db, datasetId, definition.exit, concepts, allRulesMask);
  return { attrition, allRulesMask };
}

interface Counts {
  persons: number;
  events: number;
}

function countRows(db: Cache, where: string, params: number[]): Counts {
  return db
    .prepare<number[], Counts>(
      `SELECT count(DISTINCT subject_id) AS persons, count(*) AS events FROM temp.cohort_index WHERE ${where}`,
    )
    .get(...params)!;
}

function step(
  kind: AttritionStep['kind'],
  name: string,
  counts: Counts,
  previous: AttritionStep | null,
  satisfiedPersons: number | null,
): AttritionStep {
  return {
    kind,
    name,
    persons: counts.persons,
    events: counts.events,
    lostPersons: previous ? previous.persons - counts.persons : 0,
    lostEvents: previous ? previous.events - counts.events : 0,
    satisfiedPersons,
  };
}

/** End dates are clipped to the end of the observation period that contains the index date. */
function setExitTimes(
  db: Cache,
  datasetId: number,
  exit: CohortExit,
  concepts: ConceptSetTable,
  allRulesMask: number,
): void {
  const members = `WHERE ${MEMBER_FILTER}`;
  switch (exit.kind) {
    case 'end_of_observation':
      db.prepare(`UPDATE temp.cohort_index SET end_time = obs_end ${members}`).run(allRulesMask);
      return;
    case 'fixed_days':
      db.prepare(
        `UPDATE temp.cohort_index SET end_time = min(index_time + ?, obs_end) ${members}`,
      ).run(exit.days * SECONDS_PER_DAY, allRulesMask);
      return;
    case 'event': {
      const setNo = concepts.register(exit.conceptSet);
      db.prepare(
        `UPDATE temp.cohort_index AS i SET end_time = coalesce(
           (SELECT min(e.time) FROM events e
              JOIN temp.cohort_concepts cc ON cc.set_no = ? AND cc.code_id = e.code_id
             WHERE e.dataset_id = ? AND e.subject_id = i.subject_id
               AND e.time > i.index_time AND e.time <= i.obs_end),
           obs_end) ${members}`,
      ).run(setNo, datasetId, allRulesMask);
      return;
    }
  }
}
