import { afterAll, describe, expect, it } from 'vitest';
import type {
  CohortDefinitionInput,
  ConceptItem,
  Criterion,
  EventCriterion,
} from '../../shared/cohort-definition';
import { removeTempDirs } from '../testing/fixtures';
import { parseDefinition } from './definition';
import { MEMBER_FILTER, evaluateCohort } from './evaluate';
import { SECONDS_PER_DAY } from './sql-time';
import { DAY0, buildTestCache, type TestCache, type TestPerson } from './test-cache';

afterAll(removeTempDirs);

const entry = { items: [{ code: 'ENTRY' }] };

/** Members as "subject@index day", sorted, for a definition entering on every ENTRY event. */
function members(cache: TestCache, definition: Partial<CohortDefinitionInput>): string[] {
  const parsed = parseDefinition({
    version: 1,
    name: 'test',
    index: { kind: 'event', conceptSet: entry, occurrence: 'all' },
    ...definition,
  });
  const { allRulesMask } = evaluateCohort(cache.db, parsed, cache.datasetId);
  return cache.db
    .prepare<[number], { subject_id: number; index_time: number }>(
      `SELECT subject_id, index_time FROM temp.cohort_index WHERE ${MEMBER_FILTER} ORDER BY 1, 2`,
    )
    .all(allRulesMask)
    .map((row) => `${row.subject_id}@${Math.floor((row.index_time - DAY0) / SECONDS_PER_DAY)}`);
}

function rule(...items: Criterion[]) {
  return [{ name: 'rule', group: { kind: 'group' as const, type: 'ALL' as const, items } }];
}

function event(
  code: string,
  startDays: number,
  endDays: number,
  occurrence: Partial<EventCriterion['occurrence']> = {},
): EventCriterion {
  return {
    kind: 'event',
    conceptSet: { name: code, items: [{ code, match: 'exact', exclude: false }] },
    window: { startDays, endDays },
    occurrence: { type: 'at_least', count: 1, distinctDates: false, ...occurrence },
  };
}

describe('index events', () => {
  const people: TestPerson[] = [
    {
      id: 1,
      events: [
        ['ENTRY', 0],
        ['ENTRY', 50],
      ],
    },
    { id: 2, events: [['ENTRY', -3600]] },
    { id: 3, events: [['ENTRY', 3640]] },
    { id: 4, events: [['OTHER', 0]] },
  ];

  it('takes every occurrence', () => {
    const cache = buildTestCache(people);
    expect(members(cache, {})).toEqual(['1@0', '1@50', '2@-3600', '3@3640']);
  });

  it('takes the first occurrence only', () => {
    const cache = buildTestCache(people);
    const index = { kind: 'event', conceptSet: entry, occurrence: 'first' } as const;
    expect(members(cache, { index })).toEqual(['1@0', '2@-3600', '3@3640']);
  });

  it('requires prior and post observation', () => {
    const cache = buildTestCache(people);
    const index = {
      kind: 'event',
      conceptSet: entry,
      occurrence: 'all',
      priorObservationDays: 365,
      postObservationDays: 30,
    } as const;
    // Person 2 entered 50 days after observation began, person 3 ten days before it ended.
    expect(members(cache, { index })).toEqual(['1@0', '1@50']);
  });

  it('reads OMOP observation periods', () => {
    const cache = buildTestCache(
      [
        { id: 1, observed: [-10, 10], events: [['ENTRY', 0]] },
        { id: 2, observed: [5, 10], events: [['ENTRY', 0]] },
      ],
      { observationPeriods: true },
    );
    expect(members(cache, {})).toEqual(['1@0']);
  });

  it('enters everyone alive and observed on a date', () => {
    const cache = buildTestCache(
      [
        { id: 1, events: [] },
        { id: 2, death: '2019-12-31' },
        { id: 3, birth: '2020-01-02' },
        { id: 4, observed: [1, 100] },
        { id: 5, observed: [-100, 0] },
        { id: 6, death: '2020-06-01' },
      ],
      { observationPeriods: true },
    );
    expect(members(cache, { index: { kind: 'date', date: '2020-01-01' } })).toEqual([
      '1@0',
      '5@0',
      '6@0',
    ]);
  });
});

describe('demographics', () => {
  const people: TestPerson[] = [
    { id: 1, sex: 'F', birth: '1980-01-01', events: [['ENTRY', 0]] }, // 40 on the day
    { id: 2, sex: 'F', birth: '1980-01-02', events: [['ENTRY', 0]] }, // 39
    { id: 3, sex: 'M', birth: '1939-06-01', events: [['ENTRY', 0]] }, // 80
    { id: 4, sex: 'M', birth: '1939-01-01', events: [['ENTRY', 0]] }, // 81
    { id: 5, sex: null, birth: null, events: [['ENTRY', 0]] },
  ];

  it('bounds age at index inclusively', () => {
    const cache = buildTestCache(people);
    expect(members(cache, { demographics: { ageMin: 40, ageMax: 80 } })).toEqual(['1@0', '3@0']);
  });

  it('filters by sex', () => {
    const cache = buildTestCache(people);
    expect(members(cache, { demographics: { sex: ['M'] } })).toEqual(['3@0', '4@0']);
  });

  it('works as a criterion inside a rule', () => {
    const cache = buildTestCache(people);
    const rules = rule({ kind: 'demographic', demographics: { sex: ['F'], ageMax: 39 } });
    expect(members(cache, { rules })).toEqual(['2@0']);
  });
});

describe('windows', () => {
  const people: TestPerson[] = [
    {
      id: 1,
      events: [
        ['ENTRY', 0],
        ['X', 0, 10],
      ],
    }, // X on the index day, before the entry time
    {
      id: 2,
      events: [
        ['ENTRY', 0],
        ['X', -1, 86_399],
      ],
    }, // last second of day -1
    {
      id: 3,
      events: [
        ['ENTRY', 0],
        ['X', -365, 0],
      ],
    }, // first second of day -365
    {
      id: 4,
      events: [
        ['ENTRY', 0],
        ['X', -366, 86_399],
      ],
    },
    {
      id: 5,
      events: [
        ['ENTRY', 0],
        ['X', 30, 86_399],
      ],
    },
    {
      id: 6,
      events: [
        ['ENTRY', 0],
        ['X', 31, 0],
      ],
    },
  ];

  it.each([
    [-365, -1, ['2@0', '3@0']],
    [0, 0, ['1@0']],
    [-366, -366, ['4@0']],
    [1, 30, ['5@0']],
    [-1, 31, ['1@0', '2@0', '5@0', '6@0']],
    [31, 60, ['6@0']],
  ])('window %i to %i days', (start, end, expected) => {
    const cache = buildTestCache(people);
    expect(members(cache, { rules: rule(event('X', start, end)) })).toEqual(expected);
  });

  it('reads common sets from events directly', () => {
    // 40 X events for one person's single index row exceed the rare-set
    // limit, so the criterion reads events instead of a copied set.
    const cache = buildTestCache([
      {
        id: 1,
        events: [
          ['ENTRY', 0],
          ...Array.from({ length: 40 }, (_, d): [string, number] => ['X', -d - 1]),
        ],
      },
      {
        id: 2,
        events: [
          ['ENTRY', 0],
          ['X', 1],
        ],
      },
    ]);
    expect(members(cache, { rules: rule(event('X', -1, -1)) })).toEqual(['1@0']);
    expect(
      members(cache, { rules: rule(event('X', -40, -1, { type: 'exactly', count: 40 })) }),
    ).toEqual(['1@0']);
    expect(
      members(cache, { rules: rule(event('X', -40, -2, { type: 'at_most', count: 38 })) }),
    ).toEqual(['2@0']);
    const tables = cache.db
      .prepare("SELECT count(*) AS n FROM temp.sqlite_master WHERE name = 'cohort_set_events'")
      .get() as { n: number };
    expect(tables.n).toBe(0);
  });

  it('handles index days before 1970', () => {
    const cache = buildTestCache([
      {
        id: 1,
        observed: [-30_000, 0],
        events: [
          ['ENTRY', -20_000],
          ['X', -20_001, 86_399],
        ],
      },
      {
        id: 2,
        observed: [-30_000, 0],
        events: [
          ['ENTRY', -20_000],
          ['X', -20_000, 0],
        ],
      },
    ]);
    expect(members(cache, { rules: rule(event('X', -1, -1)) })).toEqual(['1@-20000']);
    expect(members(cache, { rules: rule(event('X', 0, 0)) })).toEqual(['2@-20000']);
  });
});

describe('occurrences', () => {
  const people: TestPerson[] = [
    { id: 1, events: [['ENTRY', 0]] },
    {
      id: 2,
      events: [
        ['ENTRY', 0],
        ['X', -5],
      ],
    },
    {
      id: 3,
      events: [
        ['ENTRY', 0],
        ['X', -5],
        ['X', -5, 100],
      ],
    },
    {
      id: 4,
      events: [
        ['ENTRY', 0],
        ['X', -5],
        ['X', -6],
      ],
    },
  ];

  it.each([
    ['at_least', 1, false, ['2@0', '3@0', '4@0']],
    ['at_least', 2, false, ['3@0', '4@0']],
    ['at_least', 2, true, ['4@0']],
    ['at_most', 1, false, ['1@0', '2@0']],
    ['at_most', 1, true, ['1@0', '2@0', '3@0']],
    ['exactly', 0, false, ['1@0']],
    ['exactly', 2, false, ['3@0', '4@0']],
    ['exactly', 1, true, ['2@0', '3@0']],
  ] as const)('%s %i (distinct dates %s)', (type, count, distinctDates, expected) => {
    const cache = buildTestCache(people);
    const rules = rule(event('X', -30, 0, { type, count, distinctDates }));
    expect(members(cache, { rules })).toEqual(expected);
  });
});

describe('groups', () => {
  // Person n has the codes A, B, C as listed.
  const people: TestPerson[] = [
    { id: 1, events: [['ENTRY', 0]] },
    {
      id: 2,
      events: [
        ['ENTRY', 0],
        ['A', -1],
      ],
    },
    {
      id: 3,
      events: [
        ['ENTRY', 0],
        ['A', -1],
        ['B', -1],
      ],
    },
    {
      id: 4,
      events: [
        ['ENTRY', 0],
        ['A', -1],
        ['B', -1],
        ['C', -1],
      ],
    },
    {
      id: 5,
      events: [
        ['ENTRY', 0],
        ['C', -1],
      ],
    },
  ];
  const abc = ['A', 'B', 'C'].map((code) => event(code, -10, -1));

  it.each([
    ['ALL', undefined, ['4@0']],
    ['ANY', undefined, ['2@0', '3@0', '4@0', '5@0']],
    ['AT_LEAST', 2, ['3@0', '4@0']],
    ['AT_MOST', 1, ['1@0', '2@0', '5@0']],
    ['AT_MOST', 0, ['1@0']],
  ] as const)('%s %s of three', (type, count, expected) => {
    const cache = buildTestCache(people);
    const rules = [{ name: 'g', group: { kind: 'group' as const, type, count, items: abc } }];
    expect(members(cache, { rules })).toEqual(expected);
  });

  it('nests groups', () => {
    const cache = buildTestCache(people);
    // C, or both A and B.
    const rules = rule({
      kind: 'group',
      type: 'ANY',
      items: [abc[2]!, { kind: 'group', type: 'ALL', items: [abc[0]!, abc[1]!] }],
    });
    expect(members(cache, { rules })).toEqual(['3@0', '4@0', '5@0']);
  });
});

describe('concept sets', () => {
  const people: TestPerson[] = [
    { id: 1, events: [['ICD10//I21', 0]] },
    { id: 2, events: [['ICD10//I25', 0]] },
    { id: 3, events: [['ICD10//I10', 0]] },
    { id: 4, events: [['SNOMED//22298006', 0]] },
    { id: 5, events: [['SNOMED//child', 0]] },
    { id: 6, events: [['SNOMED//grandchild', 0]] },
  ];
  const parents: [string, string][] = [
    ['SNOMED//child', 'SNOMED//22298006'],
    ['SNOMED//grandchild', 'SNOMED//child'],
  ];

  function enter(items: Partial<ConceptItem>[]): Partial<CohortDefinitionInput> {
    return {
      index: { kind: 'event', conceptSet: { items: items as ConceptItem[] }, occurrence: 'all' },
    };
  }

  it('matches a prefix', () => {
    const cache = buildTestCache(people, { parents });
    expect(members(cache, enter([{ code: 'ICD10//I2', match: 'prefix' }]))).toEqual(['1@0', '2@0']);
  });

  it('matches descendants through code_parents', () => {
    const cache = buildTestCache(people, { parents });
    expect(members(cache, enter([{ code: 'SNOMED//22298006', match: 'descendants' }]))).toEqual([
      '4@0',
      '5@0',
      '6@0',
    ]);
  });

  it('removes excluded codes and their descendants', () => {
    const cache = buildTestCache(people, { parents });
    const items: Partial<ConceptItem>[] = [
      { code: 'SNOMED//22298006', match: 'descendants' },
      { code: 'SNOMED//child', match: 'descendants', exclude: true },
      { code: 'ICD10//I', match: 'prefix' },
      { code: 'ICD10//I25', exclude: true },
    ];
    expect(members(cache, enter(items))).toEqual(['1@0', '3@0', '4@0']);
  });
});

describe('exit', () => {
  function endDays(cache: TestCache, exit: CohortDefinitionInput['exit']): number[] {
    members(cache, { exit });
    return cache.db
      .prepare<[], { end_time: number }>(
        'SELECT end_time FROM temp.cohort_index ORDER BY subject_id',
      )
      .all()
      .map((row) => (row.end_time - DAY0) / SECONDS_PER_DAY);
  }
  const people: TestPerson[] = [
    {
      id: 1,
      observed: [-10, 100],
      events: [
        ['ENTRY', 0, 0],
        ['END', 40, 0],
        ['END', 60, 0],
      ],
    },
    { id: 2, observed: [-10, 20], events: [['ENTRY', 0, 0]] },
  ];

  it('ends a fixed number of days after index, within observation', () => {
    expect(endDays(buildTestCache(people), { kind: 'fixed_days', days: 30 })).toEqual([30, 20]);
  });

  it('ends at the end of observation', () => {
    expect(endDays(buildTestCache(people), { kind: 'end_of_observation' })).toEqual([100, 20]);
  });

  it('ends at the first exit event', () => {
    const exit: CohortDefinitionInput['exit'] = {
      kind: 'event',
      conceptSet: { items: [{ code: 'END' }] },
    };
    expect(endDays(buildTestCache(people), exit)).toEqual([40, 20]);
  });
});

describe('attrition', () => {
  it('counts persons remaining, lost and satisfied alone, in rule order', () => {
    const cache = buildTestCache([
      {
        id: 1,
        sex: 'F',
        events: [
          ['ENTRY', 0],
          ['ENTRY', 5],
          ['A', -1],
        ],
      },
      {
        id: 2,
        sex: 'F',
        events: [
          ['ENTRY', 0],
          ['B', -1],
        ],
      },
      {
        id: 3,
        sex: 'F',
        events: [
          ['ENTRY', 0],
          ['A', -1],
          ['B', -1],
        ],
      },
      {
        id: 4,
        sex: 'M',
        events: [
          ['ENTRY', 0],
          ['A', -1],
        ],
      },
      { id: 5, sex: 'F', events: [['OTHER', 0]] },
    ]);
    const definition = parseDefinition({
      version: 1,
      name: 'attrition',
      index: { kind: 'event', conceptSet: entry, occurrence: 'all' },
      demographics: { sex: ['F'] },
      rules: [
        { name: 'has A', group: { kind: 'group', type: 'ALL', items: [event('A', -10, -1)] } },
        {
          name: 'off',
          enabled: false,
          group: { kind: 'group', type: 'ALL', items: [event('Z', 0, 0)] },
        },
        { name: 'has B', group: { kind: 'group', type: 'ALL', items: [event('B', -10, -1)] } },
      ],
    });
    const { attrition } = evaluateCohort(cache.db, definition, cache.datasetId);

    expect(
      attrition.map((s) => [s.name, s.persons, s.events, s.lostPersons, s.lostEvents]),
    ).toEqual([
      ['index', 4, 5, 0, 0],
      ['demographics', 3, 4, 1, 1],
      // Person 1's event on day 5 has A 6 days before, so both of their events stay.
      ['has A', 2, 3, 1, 1],
      ['has B', 1, 1, 1, 2],
    ]);
    expect(attrition.map((s) => s.satisfiedPersons)).toEqual([null, null, 2, 2]);
  });
});
