/**
 * Translation of an OHDSI ATLAS (Circe) cohort expression into a Horizon
 * definition. An element without a Horizon equivalent is left out of the
 * definition and listed with its JSON path and the reason, so nothing is
 * dropped silently.
 */
import {
  COHORT_DEFINITION_VERSION,
  type CohortDefinition,
  type CohortExit,
  type ConceptItem,
  type ConceptSet,
  type CriteriaGroup,
  type Criterion,
  type Demographics,
  type EventCriterion,
  type GroupType,
  type InclusionRule,
} from '../../shared/cohort-definition';
import type { AtlasImportResult, UntranslatedElement } from '../../shared/atlas';
import { HorizonError } from '../../shared/errors';
import { parseDefinition } from './definition';

export type AtlasImport = AtlasImportResult;

type Json = Record<string, unknown>;

/** Circe domain criteria whose events are codes in the cache. */
const eventDomains = [
  'ConditionOccurrence',
  'DrugExposure',
  'ProcedureOccurrence',
  'Measurement',
  'VisitOccurrence',
  'Observation',
  'Death',
] as const;

/** Circe occurrence types: 0 exactly, 1 at most, 2 at least. */
const occurrenceTypes = { 0: 'exactly', 1: 'at_most', 2: 'at_least' } as const;

const genders: Record<string, 'F' | 'M'> = { '8532': 'F', '8507': 'M' };

/** Windows without a bound ("all days before") become a century, the schema's limit. */
const UNBOUNDED_DAYS = 36_500;

export function importAtlas(expression: unknown, name: string): AtlasImport {
  return new AtlasTranslator().translate(expression, name);
}

class AtlasTranslator {
  private readonly untranslated: UntranslatedElement[] = [];
  private conceptSets = new Map<number, ConceptSet>();

  translate(expression: unknown, name: string): AtlasImport {
    const root = requireObject(expression, '$');
    this.conceptSets = this.readConceptSets(root.ConceptSets, '$.ConceptSets');

    const index = this.readPrimaryCriteria(root);
    const rules = this.readInclusionRules(root.InclusionRules, '$.InclusionRules');
    const exit = this.readEndStrategy(root.EndStrategy, '$.EndStrategy');
    this.listUnsupportedTopLevel(root);

    const definition = parseDefinition({
      version: COHORT_DEFINITION_VERSION,
      name,
      description: 'Imported from an ATLAS cohort definition.',
      index,
      rules,
      exit,
    });
    return { definition, untranslated: this.untranslated };
  }

  private skip(path: string, reason: string): void {
    this.untranslated.push({ path, reason });
  }

  private readConceptSets(value: unknown, path: string): Map<number, ConceptSet> {
    const sets = new Map<number, ConceptSet>();
    asArray(value).forEach((entry, i) => {
      const setPath = `${path}[${i}]`;
      const set = requireObject(entry, setPath);
      const expression = asObject(set.expression) ?? {};
      const items: ConceptItem[] = [];

      asArray(expression.items).forEach((raw, j) => {
        const itemPath = `${setPath}.expression.items[${j}]`;
        const item = asObject(raw) ?? {};
        const concept = asObject(item.concept) ?? {};
        if (item.includeMapped === true)
          this.skip(`${itemPath}.includeMapped`, 'mapped (source) concepts are not in the cache');
        items.push({
          code: conceptCode(concept),
          match: item.includeDescendants === true ? 'descendants' : 'exact',
          exclude: item.isExcluded === true,
        });
        if (concept.CONCEPT_CODE === undefined || concept.VOCABULARY_ID === undefined)
          this.skip(
            `${itemPath}.concept`,
            'no CONCEPT_CODE or VOCABULARY_ID; matched by OMOP concept id instead',
          );
      });

      const id = Number(set.id);
      if (items.length === 0) this.skip(setPath, 'the concept set has no concepts');
      else sets.set(id, { name: String(set.name ?? `concept set ${id}`), items });
    });
    return sets;
  }

  private readPrimaryCriteria(root: Json): CohortDefinition['index'] {
    const path = '$.PrimaryCriteria';
    const primary = requireObject(root.PrimaryCriteria, path);
    const items: ConceptItem[] = [];

    asArray(primary.CriteriaList).forEach((raw, i) => {
      const set = this.readDomainCriterion(raw, `${path}.CriteriaList[${i}]`);
      if (set) items.push(...set.items);
    });
    if (items.length === 0) {
      throw new HorizonError(
        'atlas_invalid',
        `${path}.CriteriaList has no criterion Horizon can translate, so the cohort has no entry event. Use a supported domain with a concept set.`,
        { field: `${path}.CriteriaList` },
      );
    }

    const window = asObject(primary.ObservationWindow) ?? {};
    const limit = String(asObject(primary.PrimaryCriteriaLimit)?.Type ?? 'First');
    if (limit === 'Last') this.skip(`${path}.PrimaryCriteriaLimit`, 'the last event as index');
    this.listLimit(root, limit);

    return {
      kind: 'event',
      conceptSet: { name: 'entry events', items },
      occurrence: limit === 'First' ? 'first' : 'all',
      priorObservationDays: Number(window.PriorDays ?? 0),
      postObservationDays: Number(window.PostDays ?? 0),
    };
  }

  /** QualifiedLimit and ExpressionLimit filter after the rules; only a no-op limit translates. */
  private listLimit(root: Json, primaryLimit: string): void {
    for (const key of ['QualifiedLimit', 'ExpressionLimit']) {
      const type = asObject(root[key])?.Type;
      if (type !== undefined && type !== 'All' && primaryLimit !== 'First')
        this.skip(`$.${key}`, `a ${String(type)} limit after the inclusion rules`);
    }
  }

  /** Read a `{ Domain: { CodesetId, ... } }` criterion as the concept set it matches. */
  private readDomainCriterion(raw: unknown, path: string): ConceptSet | null {
    const criterion = asObject(raw) ?? {};
    const [domain, value] = Object.entries(criterion)[0] ?? [];
    if (!domain || !(eventDomains as readonly string[]).includes(domain)) {
      this.skip(path, `the ${domain ?? 'empty'} criterion is not supported`);
      return null;
    }
    const attributes = asObject(value) ?? {};
    const domainPath = `${path}.${domain}`;

    for (const key of Object.keys(attributes)) {
      if (key === 'CodesetId' && domain !== 'Death') continue;
      if (key === 'First' && attributes.First !== true) continue;
      const reason =
        key === 'CodesetId'
          ? 'causes of death are not events in the cache, so any death matches'
          : `the ${key} attribute is not supported`;
      this.skip(`${domainPath}.${key}`, reason);
    }

    // The cache records a death as MEDS_DEATH; causes of death are not events.
    if (domain === 'Death') {
      return { name: 'death', items: [{ code: 'MEDS_DEATH', match: 'exact', exclude: false }] };
    }
    const set = this.conceptSets.get(Number(attributes.CodesetId));
    if (!set) {
      this.skip(`${domainPath}.CodesetId`, 'no concept set with this id, or it is empty');
      return null;
    }
    return set;
  }

  private readInclusionRules(value: unknown, path: string): InclusionRule[] {
    const rules: InclusionRule[] = [];
    asArray(value).forEach((raw, i) => {
      const rulePath = `${path}[${i}]`;
      const rule = asObject(raw) ?? {};
      const group = this.readGroup(rule.expression, `${rulePath}.expression`);
      if (group) rules.push({ name: String(rule.name ?? `rule ${i + 1}`), enabled: true, group });
      else this.skip(rulePath, 'no criterion of the rule could be translated');
    });
    return rules;
  }

  private readGroup(raw: unknown, path: string): CriteriaGroup | null {
    const group = asObject(raw) ?? {};
    const items: Criterion[] = [];

    asArray(group.CriteriaList).forEach((entry, i) => {
      const criterion = this.readCorrelatedCriterion(entry, `${path}.CriteriaList[${i}]`);
      if (criterion) items.push(criterion);
    });
    asArray(group.DemographicCriteriaList).forEach((entry, i) => {
      const demographics = this.readDemographics(entry, `${path}.DemographicCriteriaList[${i}]`);
      if (demographics) items.push({ kind: 'demographic', demographics });
    });
    asArray(group.Groups).forEach((entry, i) => {
      const nested = this.readGroup(entry, `${path}.Groups[${i}]`);
      if (nested) items.push(nested);
    });
    if (items.length === 0) return null;

    const type = String(group.Type ?? 'ALL') as GroupType;
    if (!['ALL', 'ANY', 'AT_LEAST', 'AT_MOST'].includes(type)) {
      this.skip(`${path}.Type`, `group type ${type}`);
      return null;
    }
    const count = type.startsWith('AT_') ? Number(group.Count ?? 0) : undefined;
    return { kind: 'group', type, count, items };
  }

  private readCorrelatedCriterion(raw: unknown, path: string): EventCriterion | null {
    const entry = asObject(raw) ?? {};
    const conceptSet = this.readDomainCriterion(entry.Criteria, `${path}.Criteria`);
    if (!conceptSet) return null;

    const start = asObject(entry.StartWindow);
    if (!start) {
      this.skip(`${path}.StartWindow`, 'a criterion without a start window');
      return null;
    }
    if (start.UseIndexEnd === true)
      this.skip(`${path}.StartWindow.UseIndexEnd`, 'windows on the index end');
    if (start.UseEventEnd === true)
      this.skip(`${path}.StartWindow.UseEventEnd`, 'windows on the event end');
    if (entry.EndWindow) this.skip(`${path}.EndWindow`, 'windows on the event end date');
    if (entry.RestrictVisit === true)
      this.skip(`${path}.RestrictVisit`, 'restriction to the index visit');
    // IgnoreObservationPeriod is not listed: Horizon always counts events in
    // the window whether observed or not, which equals true and differs from
    // false only for events outside every observation period.

    const occurrence = asObject(entry.Occurrence) ?? {};
    const type = occurrenceTypes[Number(occurrence.Type ?? 2) as 0 | 1 | 2];
    if (!type) {
      this.skip(`${path}.Occurrence.Type`, `occurrence type ${String(occurrence.Type)}`);
      return null;
    }
    const distinctDates = occurrence.IsDistinct === true && occurrence.CountColumn === 'START_DATE';
    if (occurrence.IsDistinct === true && !distinctDates)
      this.skip(`${path}.Occurrence.CountColumn`, 'distinct counts other than by start date');

    return {
      kind: 'event',
      conceptSet,
      window: {
        startDays: windowBound(asObject(start.Start), -UNBOUNDED_DAYS),
        endDays: windowBound(asObject(start.End), UNBOUNDED_DAYS),
      },
      occurrence: { type, count: Number(occurrence.Count ?? 1), distinctDates },
    };
  }

  private readDemographics(raw: unknown, path: string): Demographics | null {
    const criteria = asObject(raw) ?? {};
    const demographics: Demographics = {};

    for (const [key, value] of Object.entries(criteria)) {
      if (key === 'Age') {
        const age = asObject(value) ?? {};
        const bounds = ageBounds(String(age.Op), Number(age.Value), Number(age.Extent));
        if (bounds) Object.assign(demographics, bounds);
        else this.skip(`${path}.Age`, `age operator ${String(age.Op)}`);
      } else if (key === 'Gender') {
        const sexes = asArray(value).map((g) => genders[String(asObject(g)?.CONCEPT_ID)]);
        if (sexes.every((sex) => sex !== undefined)) demographics.sex = sexes as ('F' | 'M')[];
        else
          this.skip(`${path}.Gender`, 'gender concepts other than 8532 (female) and 8507 (male)');
      } else {
        this.skip(`${path}.${key}`, `the ${key} demographic criterion is not supported`);
      }
    }
    return Object.keys(demographics).length > 0 ? demographics : null;
  }

  private readEndStrategy(value: unknown, path: string): CohortExit {
    const strategy = asObject(value);
    if (!strategy) return { kind: 'end_of_observation' };

    const offset = asObject(strategy.DateOffset);
    if (offset) {
      if (offset.DateField === 'EndDate')
        this.skip(
          `${path}.DateOffset.DateField`,
          'offsets from the event end date; the start date is used',
        );
      return { kind: 'fixed_days', days: Number(offset.Offset ?? 0) };
    }
    for (const key of Object.keys(strategy)) this.skip(`${path}.${key}`, `the ${key} end strategy`);
    return { kind: 'end_of_observation' };
  }

  private listUnsupportedTopLevel(root: Json): void {
    if (asArray(root.CensoringCriteria).length > 0)
      this.skip('$.CensoringCriteria', 'censoring events');
    if (Number(asObject(root.CollapseSettings)?.EraPad ?? 0) > 0)
      this.skip('$.CollapseSettings.EraPad', 'collapsing cohort eras with a gap');
    const censorWindow = asObject(root.CensorWindow) ?? {};
    if (censorWindow.StartDate || censorWindow.EndDate)
      this.skip('$.CensorWindow', 'a censor window');
    if (root.AdditionalCriteria) this.skip('$.AdditionalCriteria', 'additional entry criteria');
  }
}

/** Horizon codes are `VOCABULARY//CODE`, as the OMOP importer writes them. */
function conceptCode(concept: Json): string {
  if (concept.CONCEPT_CODE !== undefined && concept.VOCABULARY_ID !== undefined)
    return `${String(concept.VOCABULARY_ID)}//${String(concept.CONCEPT_CODE)}`;
  return `OMOP_CONCEPT//${String(concept.CONCEPT_ID)}`;
}

/** Circe bounds are Days times Coeff (-1 before index, 1 after); null Days is unbounded. */
function windowBound(bound: Json | null, unbounded: number): number {
  if (!bound || bound.Days === null || bound.Days === undefined) return unbounded;
  return Number(bound.Days) * Number(bound.Coeff ?? 1);
}

function ageBounds(op: string, value: number, extent: number): Demographics | null {
  switch (op) {
    case 'gt':
      return { ageMin: value + 1 };
    case 'gte':
      return { ageMin: value };
    case 'lt':
      return { ageMax: value - 1 };
    case 'lte':
      return { ageMax: value };
    case 'eq':
      return { ageMin: value, ageMax: value };
    case 'bt':
      return { ageMin: value, ageMax: extent };
    default:
      return null;
  }
}

function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : null;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function requireObject(value: unknown, path: string): Json {
  const object = asObject(value);
  if (!object) {
    throw new HorizonError(
      'atlas_invalid',
      `${path} is missing or not an object. Export the cohort from ATLAS as JSON (the "expression"), not as SQL.`,
      { field: path },
    );
  }
  return object;
}
