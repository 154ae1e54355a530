/** The definition being edited in the builder, with constructors for new parts. */
import type {
  CohortDefinition,
  ConceptSet,
  EventCriterion,
  InclusionRule,
} from '../../../../shared/cohort-definition';

export function emptyConceptSet(): ConceptSet {
  return { name: '', items: [] };
}

export function newDefinition(): CohortDefinition {
  return {
    version: 1,
    name: '',
    description: '',
    index: {
      kind: 'event',
      conceptSet: emptyConceptSet(),
      occurrence: 'first',
      priorObservationDays: 0,
      postObservationDays: 0,
    },
    demographics: {},
    rules: [],
    exit: { kind: 'end_of_observation' },
  };
}

/** Create a criterion that requires at least one event in the year before index. */
export function newCriterion(): EventCriterion {
  return {
    kind: 'event',
    conceptSet: emptyConceptSet(),
    window: { startDays: -365, endDays: -1 },
    occurrence: { type: 'at_least', count: 1, distinctDates: false },
  };
}

export function newRule(name: string): InclusionRule {
  return { name, enabled: true, group: { kind: 'group', type: 'ALL', items: [newCriterion()] } };
}

/** Move the element at `from` one place up or down; out-of-range moves change nothing. */
export function move<T>(items: T[], from: number, offset: -1 | 1): T[] {
  const to = from + offset;
  if (to < 0 || to >= items.length) return items;
  const copy = items.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

export function replaceAt<T>(items: T[], index: number, item: T): T[] {
  return items.map((existing, i) => (i === index ? item : existing));
}
