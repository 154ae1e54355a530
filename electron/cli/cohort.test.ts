import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { horizon } from '../testing/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCache, type TestPerson } from '../cohorts/test-cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';

afterAll(removeTempDirs);

// 30 people with E11 on day 0: 12 also had I21 before it, so 18 remain; the last 2 had C50.
function eventsOf(i: number): [string, number][] {
  if (i < 12)
    return [
      ['ICD10//E11', 0],
      ['ICD10//I21', -30],
    ];
  if (i >= 28)
    return [
      ['ICD10//E11', 0],
      ['ICD10//C50', -5],
    ];
  return [['ICD10//E11', 0]];
}
const people: TestPerson[] = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  birth: '1960-06-01',
  events: eventsOf(i),
}));

const atlas = {
  ConceptSets: [
    {
      id: 0,
      name: 'T2DM',
      expression: {
        items: [{ concept: { CONCEPT_ID: 1, CONCEPT_CODE: 'E11', VOCABULARY_ID: 'ICD10' } }],
      },
    },
    {
      id: 1,
      name: 'MI',
      expression: {
        items: [{ concept: { CONCEPT_ID: 2, CONCEPT_CODE: 'I21', VOCABULARY_ID: 'ICD10' } }],
      },
    },
  ],
  PrimaryCriteria: {
    CriteriaList: [{ ConditionOccurrence: { CodesetId: 0 } }],
    ObservationWindow: { PriorDays: 0, PostDays: 0 },
    PrimaryCriteriaLimit: { Type: 'First' },
  },
  InclusionRules: [
    {
      name: 'no prior MI',
      expression: {
        Type: 'ALL',
        CriteriaList: [
          {
            Criteria: { ConditionOccurrence: { CodesetId: 1, ConditionType: [] } },
            StartWindow: { Start: { Days: null, Coeff: -1 }, End: { Days: 1, Coeff: -1 } },
            Occurrence: { Type: 0, Count: 0 },
          },
        ],
      },
    },
  ],
};

describe('horizon cohort', () => {
  let db: string;
  let dir: string;

  beforeAll(() => {
    const cache = buildTestCache(people);
    db = cache.db.name;
    cache.db.close();
    dir = tempDir();
    writeFileSync(join(dir, 'atlas.json'), JSON.stringify(atlas));
  });

  it('round-trips an ATLAS definition to identical members', async () => {
    const definition = join(dir, 'def.json');
    const imported = await horizon(
      'cohort',
      'import-atlas',
      join(dir, 'atlas.json'),
      '--name',
      't2dm',
      '--out',
      definition,
      '--json',
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).untranslated).toEqual([
      {
        path: '$.InclusionRules[0].expression.CriteriaList[0].Criteria.ConditionOccurrence.ConditionType',
        reason: 'the ConditionType attribute is not supported',
      },
    ]);

    const first = JSON.parse(
      (await horizon('cohort', 'create', '--db', db, '--definition', definition, '--json')).stdout,
    );
    const second = JSON.parse(
      (await horizon('cohort', 'create', '--db', db, '--definition', definition, '--json')).stdout,
    );
    expect(first.cohort).toMatchObject({
      name: 't2dm',
      version: 1,
      members: { value: 18, masked: false },
    });
    expect(second.cohort.version).toBe(2);

    const listed = JSON.parse((await horizon('cohort', 'list', '--db', db, '--json')).stdout);
    expect(listed.cohorts.map((c: { version: number }) => c.version)).toEqual([2, 1]);

    const shown = JSON.parse(
      (await horizon('cohort', 'show', 't2dm', '--db', db, '--attrition', '--json')).stdout,
    );
    expect(shown.attrition.map((s: { persons: { value: number } }) => s.persons.value)).toEqual([
      30, 18,
    ]);
    expect(shown.attrition[1].lostPersons).toEqual({ value: 12, masked: false });

    const csv = [1, 2].map((version) => join(dir, `v${version}.csv`));
    for (const [i, out] of csv.entries()) {
      const written = await horizon(
        'cohort',
        'members',
        't2dm',
        '--db',
        db,
        '--cohort-version',
        String(i + 1),
        '--out',
        out,
      );
      expect(written.code).toBe(0);
    }
    const [v1, v2] = csv.map((file) => readFileSync(file, 'utf8'));
    expect(v1).toBe(v2);
    expect(v1!.split('\n')[0]).toBe('subject_id,index_date,end_date');
    expect(v1!.trim().split('\n').slice(1, 3)).toEqual([
      '13,2020-01-01,2029-12-29',
      '14,2020-01-01,2029-12-29',
    ]);
  });

  it('masks small counts in text output', async () => {
    const definition = join(dir, 'small.json');
    writeFileSync(
      definition,
      JSON.stringify({
        version: 1,
        name: 'small',
        index: { kind: 'event', conceptSet: { items: [{ code: 'ICD10//C50' }] } },
      }),
    );
    const created = await horizon('cohort', 'create', '--db', db, '--definition', definition);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('<10');
    expect(created.stdout).not.toMatch(/\b2 members/);
  });

  it('exits 1 naming the invalid field and 2 on usage errors', async () => {
    const definition = join(dir, 'bad.json');
    writeFileSync(
      definition,
      JSON.stringify({ version: 1, name: 'bad', index: { kind: 'event' } }),
    );
    const bad = await horizon('cohort', 'create', '--db', db, '--definition', definition, '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({
      code: 'cohort_invalid_definition',
      params: { field: 'index.conceptSet' },
    });

    expect((await horizon('cohort', 'show', '--db', db)).code).toBe(2);
    expect((await horizon('cohort', 'show', 'nobody', '--db', db)).code).toBe(1);
  });
});
