import { afterAll, describe, expect, it } from 'vitest';
import { HorizonError } from '../../shared/errors';
import { removeTempDirs } from '../testing/fixtures';
import { importAtlas } from './atlas';
import { generateCohort } from './store';
import { buildTestCache } from './test-cache';

afterAll(removeTempDirs);

function concept(id: number, vocabulary: string, code: string) {
  return { CONCEPT_ID: id, CONCEPT_CODE: code, VOCABULARY_ID: vocabulary, CONCEPT_NAME: code };
}

/** Type 2 diabetes aged 40 to 80 without a prior myocardial infarction, as ATLAS exports it. */
const diabetes = {
  ConceptSets: [
    {
      id: 0,
      name: 'Type 2 diabetes',
      expression: {
        items: [
          { concept: concept(1, 'ICD10', 'E11'), includeDescendants: true, isExcluded: false },
          { concept: concept(2, 'ICD10', 'E11.9'), includeDescendants: false, isExcluded: true },
        ],
      },
    },
    {
      id: 1,
      name: 'Myocardial infarction',
      expression: { items: [{ concept: concept(3, 'ICD10', 'I21'), includeDescendants: true }] },
    },
  ],
  PrimaryCriteria: {
    CriteriaList: [{ ConditionOccurrence: { CodesetId: 0 } }],
    ObservationWindow: { PriorDays: 365, PostDays: 0 },
    PrimaryCriteriaLimit: { Type: 'First' },
  },
  QualifiedLimit: { Type: 'First' },
  ExpressionLimit: { Type: 'First' },
  InclusionRules: [
    {
      name: 'aged 40 to 80',
      expression: {
        Type: 'ALL',
        CriteriaList: [],
        DemographicCriteriaList: [{ Age: { Value: 40, Extent: 80, Op: 'bt' } }],
        Groups: [],
      },
    },
    {
      name: 'no prior myocardial infarction',
      expression: {
        Type: 'ALL',
        CriteriaList: [
          {
            Criteria: { ConditionOccurrence: { CodesetId: 1 } },
            StartWindow: {
              Start: { Days: null, Coeff: -1 },
              End: { Days: 1, Coeff: -1 },
              UseIndexEnd: false,
              UseEventEnd: false,
            },
            RestrictVisit: false,
            IgnoreObservationPeriod: false,
            Occurrence: { Type: 0, Count: 0, IsDistinct: false },
          },
        ],
        DemographicCriteriaList: [],
        Groups: [],
      },
    },
  ],
  EndStrategy: { DateOffset: { DateField: 'StartDate', Offset: 365 } },
  CensoringCriteria: [],
  CollapseSettings: { CollapseType: 'ERA', EraPad: 0 },
  CensorWindow: {},
};

describe('ATLAS import', () => {
  it('translates a supported definition completely', () => {
    const { definition, untranslated } = importAtlas(diabetes, 't2dm');

    expect(untranslated).toEqual([]);
    expect(definition.index).toEqual({
      kind: 'event',
      conceptSet: {
        name: 'entry events',
        items: [
          { code: 'ICD10//E11', match: 'descendants', exclude: false },
          { code: 'ICD10//E11.9', match: 'exact', exclude: true },
        ],
      },
      occurrence: 'first',
      priorObservationDays: 365,
      postObservationDays: 0,
    });
    expect(definition.rules[0]!.group.items).toEqual([
      { kind: 'demographic', demographics: { ageMin: 40, ageMax: 80 } },
    ]);
    expect(definition.rules[1]!.group.items[0]).toMatchObject({
      kind: 'event',
      window: { startDays: -36_500, endDays: -1 },
      occurrence: { type: 'exactly', count: 0, distinctDates: false },
    });
    expect(definition.exit).toEqual({ kind: 'fixed_days', days: 365 });
  });

  it('generates the expected members from the translation', () => {
    const birth = '1960-01-01';
    const cache = buildTestCache(
      [
        { id: 1, birth, events: [['ICD10//E11', 0]] },
        {
          id: 2,
          birth,
          events: [
            ['ICD10//E11', 0],
            ['ICD10//I21', -100],
          ],
        },
        { id: 3, birth: '1990-01-01', events: [['ICD10//E11', 0]] },
        {
          id: 4,
          birth,
          events: [
            ['ICD10//E11', 0],
            ['ICD10//I21', 10],
          ],
        },
        { id: 5, birth, events: [['ICD10//E11.9', 0]] },
      ],
      { codes: ['ICD10//E11.9'], parents: [['ICD10//E11.9', 'ICD10//E11']] },
    );
    const { definition } = importAtlas(diabetes, 't2dm');
    const cohort = generateCohort(cache.db, { definition, createdBy: 'tester' });
    expect(cohort.attrition.map((s) => s.persons)).toEqual([4, 3, 2]);
    expect(cohort.members).toBe(2);
  });

  it('lists every untranslatable element by path', () => {
    const expression = structuredClone(diabetes) as Record<string, unknown> & typeof diabetes;
    const primary = expression.PrimaryCriteria as { CriteriaList: unknown[] };
    primary.CriteriaList.push(
      { ConditionOccurrence: { CodesetId: 0, ConditionType: [{ CONCEPT_ID: 32020 }] } },
      { DeviceExposure: { CodesetId: 1 } },
      { Death: { CodesetId: 1 } },
    );
    const rule = expression.InclusionRules[1]!.expression as unknown as {
      CriteriaList: Record<string, unknown>[];
      Groups: unknown[];
      DemographicCriteriaList: unknown[];
    };
    rule.CriteriaList[0]!.EndWindow = { Start: { Days: 0, Coeff: 1 }, End: { Days: 0, Coeff: 1 } };
    rule.CriteriaList[0]!.RestrictVisit = true;
    rule.DemographicCriteriaList.push({ Race: [{ CONCEPT_ID: 8527 }] });
    rule.Groups.push({
      Type: 'ANY',
      CriteriaList: [
        {
          Criteria: { Measurement: { CodesetId: 7 } },
          StartWindow: { Start: { Days: 0, Coeff: 1 }, End: { Days: 0, Coeff: 1 } },
          Occurrence: { Type: 2, Count: 1, IsDistinct: true },
        },
      ],
    });
    expression.EndStrategy = { CustomEra: { DrugCodesetId: 0, GapDays: 30 } } as never;
    expression.CensoringCriteria = [{ Death: {} }] as never;
    expression.ConceptSets[1]!.expression.items[0] = {
      ...expression.ConceptSets[1]!.expression.items[0]!,
      includeMapped: true,
    } as never;

    const { definition, untranslated } = importAtlas(expression, 'partial');
    expect(untranslated.map((u) => u.path)).toEqual([
      '$.ConceptSets[1].expression.items[0].includeMapped',
      '$.PrimaryCriteria.CriteriaList[1].ConditionOccurrence.ConditionType',
      '$.PrimaryCriteria.CriteriaList[2]',
      '$.PrimaryCriteria.CriteriaList[3].Death.CodesetId',
      '$.InclusionRules[1].expression.CriteriaList[0].EndWindow',
      '$.InclusionRules[1].expression.CriteriaList[0].RestrictVisit',
      '$.InclusionRules[1].expression.DemographicCriteriaList[0].Race',
      '$.InclusionRules[1].expression.Groups[0].CriteriaList[0].Criteria.Measurement.CodesetId',
      '$.EndStrategy.CustomEra',
      '$.CensoringCriteria',
    ]);
    for (const element of untranslated) expect(element.reason).not.toBe('');

    // The translatable parts stay: death joins the entry events, and the nested
    // group, whose concept set is missing, is left out of the rule.
    expect(definition.index.kind === 'event' && definition.index.conceptSet.items.at(-1)).toEqual({
      code: 'MEDS_DEATH',
      match: 'exact',
      exclude: false,
    });
    expect(definition.rules[1]!.group.items).toHaveLength(1);
    expect(definition.exit).toEqual({ kind: 'end_of_observation' });
  });

  it('rejects a file without primary criteria', () => {
    expect(() => importAtlas({ ConceptSets: [] }, 'x')).toThrow(HorizonError);
    expect(() => importAtlas('SELECT 1', 'x')).toThrow(/Export the cohort from ATLAS as JSON/);
  });
});
