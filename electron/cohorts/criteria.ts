/**
 * Compiles inclusion-rule criteria to one SQL boolean expression over a row
 * `i` of temp.cohort_index. The SQL text depends only on the structure of the
 * criteria (kinds, group types, list lengths); every value is a bound parameter.
 */
import type {
  CriteriaGroup,
  Criterion,
  Demographics,
  EventCriterion,
} from '../../shared/cohort-definition';
import type { ConceptSetTable } from './concept-sets';
import { SECONDS_PER_DAY } from './sql-time';

export interface SqlFragment {
  sql: string;
  params: (number | string)[];
}

const occurrenceOperators = { at_least: '>=', at_most: '<=', exactly: '=' } as const;

export function compileCriterion(
  criterion: Criterion,
  datasetId: number,
  concepts: ConceptSetTable,
): SqlFragment {
  switch (criterion.kind) {
    case 'event':
      return compileEvent(criterion, datasetId, concepts);
    case 'demographic':
      return compileDemographics(criterion.demographics);
    case 'group':
      return compileGroup(criterion, datasetId, concepts);
  }
}

/**
 * Count the set's events from the start of day `startDays` to the end of day
 * `endDays` around the index day, and compare the count with the occurrence.
 * NOTE: events outside the observation period count too; ATLAS leaves them
 * out unless a criterion sets IgnoreObservationPeriod.
 */
function compileEvent(
  criterion: EventCriterion,
  datasetId: number,
  concepts: ConceptSetTable,
): SqlFragment {
  const setNo = concepts.register(criterion.conceptSet);
  const counted = criterion.occurrence.distinctDates
    ? 'count(DISTINCT e.time - ((e.time % 86400) + 86400) % 86400)'
    : 'count(*)';
  const operator = occurrenceOperators[criterion.occurrence.type];

  return {
    sql: `((SELECT ${counted} FROM events e
              JOIN temp.cohort_concepts cc ON cc.set_no = ? AND cc.code_id = e.code_id
             WHERE e.dataset_id = ? AND e.subject_id = i.subject_id
               AND e.time >= i.day_start + ? AND e.time < i.day_start + ?) ${operator} ?)`,
    params: [
      setNo,
      datasetId,
      criterion.window.startDays * SECONDS_PER_DAY,
      (criterion.window.endDays + 1) * SECONDS_PER_DAY,
      criterion.occurrence.count,
    ],
  };
}

/** Compile sex and age at index. A person without a recorded sex or birth fails the parts that need them. */
export function compileDemographics(demographics: Demographics): SqlFragment {
  const parts: string[] = [];
  const params: (number | string)[] = [];

  if (demographics.sex && demographics.sex.length > 0) {
    parts.push(`i.sex IN (${demographics.sex.map(() => '?').join(', ')})`);
    params.push(...demographics.sex);
  }
  if (demographics.ageMin !== undefined) {
    parts.push('i.age >= ?');
    params.push(demographics.ageMin);
  }
  if (demographics.ageMax !== undefined) {
    parts.push('i.age <= ?');
    params.push(demographics.ageMax);
  }

  return { sql: parts.length > 0 ? `(${parts.join(' AND ')})` : '1', params };
}

export function hasDemographics(demographics: Demographics): boolean {
  return compileDemographics(demographics).params.length > 0;
}

/** ALL and ANY combine the children with AND and OR; AT_LEAST and AT_MOST count the true ones. */
function compileGroup(
  group: CriteriaGroup,
  datasetId: number,
  concepts: ConceptSetTable,
): SqlFragment {
  const children = group.items.map((item) => compileCriterion(item, datasetId, concepts));
  const params = children.flatMap((child) => child.params);

  // A NULL (unknown age, say) counts as false, so sums and NOT stay two-valued.
  const truths = children.map((child) => `coalesce(${child.sql}, 0)`);

  switch (group.type) {
    case 'ALL':
      return { sql: `(${truths.join(' AND ')})`, params };
    case 'ANY':
      return { sql: `(${truths.join(' OR ')})`, params };
    case 'AT_LEAST':
      return { sql: `((${truths.join(' + ')}) >= ?)`, params: [...params, group.count ?? 0] };
    case 'AT_MOST':
      return { sql: `((${truths.join(' + ')}) <= ?)`, params: [...params, group.count ?? 0] };
  }
}
