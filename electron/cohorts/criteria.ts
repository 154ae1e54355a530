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

/**
 * A concept set with at most this many events per candidate row is copied to
 * a small temporary table first. NOTE: the factor is an estimate from one
 * benchmark cohort on 300,000 people: copying myocardial infarction (0.8
 * events per candidate) won, copying hypertension (3.8) lost, and 1 and 2
 * timed the same.
 */
const RARE_EVENTS_PER_ROW = 2;

/**
 * Compile a criterion for rows of temp.cohort_index. `candidateRows`, the
 * number of rows it will run on, decides which event sets count as rare.
 */
export function compileCriterion(
  criterion: Criterion,
  datasetId: number,
  concepts: ConceptSetTable,
  candidateRows: number,
): SqlFragment {
  switch (criterion.kind) {
    case 'event':
      return compileEvent(criterion, datasetId, concepts, candidateRows);
    case 'demographic':
      return compileDemographics(criterion.demographics);
    case 'group':
      return compileGroup(criterion, datasetId, concepts, candidateRows);
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
  candidateRows: number,
): SqlFragment {
  const setNo = concepts.register(criterion.conceptSet);
  const { type, count, distinctDates } = criterion.occurrence;
  const rare = concepts.materializeIfRare(setNo, datasetId, RARE_EVENTS_PER_ROW * candidateRows);
  const source = rare
    ? `temp.cohort_set_events e WHERE e.set_no = ? AND ?`
    : `events e JOIN temp.cohort_concepts cc ON cc.set_no = ? AND cc.code_id = e.code_id
        WHERE e.dataset_id = ?`;
  const counted = distinctDates ? 'DISTINCT e.time - ((e.time % 86400) + 86400) % 86400' : '1';

  // Counting stops after count + 1 matches (count for "at least"), which
  // decides every comparison, so a person's long history is not read to the end.
  const limit = type === 'at_least' ? count : count + 1;

  return {
    sql: `((SELECT count(*) FROM (
              SELECT ${counted} FROM ${source}
                 AND e.subject_id = i.subject_id
                 AND e.time >= i.day_start + ? AND e.time < i.day_start + ?
               LIMIT ?)) ${occurrenceOperators[type]} ?)`,
    params: [
      setNo,
      // The materialized table contains one dataset, so its filter binds a constant true.
      rare ? 1 : datasetId,
      criterion.window.startDays * SECONDS_PER_DAY,
      (criterion.window.endDays + 1) * SECONDS_PER_DAY,
      limit,
      count,
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
  candidateRows: number,
): SqlFragment {
  const children = group.items.map((item) =>
    compileCriterion(item, datasetId, concepts, candidateRows),
  );
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
