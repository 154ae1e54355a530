/**
 * The cohort definition: who a cohort contains, when each member enters
 * (the index date) and when they leave. Stored as JSON with each saved cohort,
 * so the schema is versioned and a newer version is rejected, not guessed at.
 * Days are whole UTC calendar days relative to the index day (day 0);
 * negative days are before the index.
 */
import { z } from 'zod';

export const COHORT_DEFINITION_VERSION = 1;

const days = z.number().int().min(-36_500).max(36_500);

export const conceptMatchSchema = z.enum(['exact', 'prefix', 'descendants']);
export type ConceptMatch = z.infer<typeof conceptMatchSchema>;

/**
 * One entry of a concept set. `prefix` matches every code that starts with
 * `code` (written `ICD10//I2*` in the builder); `descendants` matches the code
 * and every code below it in code_parents. An excluded entry removes its
 * matches from the set.
 */
export const conceptItemSchema = z.object({
  code: z.string().min(1).max(200),
  match: conceptMatchSchema.default('exact'),
  exclude: z.boolean().default(false),
});
export type ConceptItem = z.infer<typeof conceptItemSchema>;

export const conceptSetSchema = z.object({
  name: z.string().max(200).default(''),
  items: z.array(conceptItemSchema).min(1).max(1000),
});
export type ConceptSet = z.infer<typeof conceptSetSchema>;

/** Inclusive window of days relative to the index day. */
export const windowSchema = z
  .object({ startDays: days, endDays: days })
  .refine((window) => window.startDays <= window.endDays, {
    message: 'startDays must not be after endDays',
    path: ['startDays'],
  });
export type CriterionWindow = z.infer<typeof windowSchema>;

export const occurrenceSchema = z.object({
  type: z.enum(['at_least', 'at_most', 'exactly']),
  count: z.number().int().min(0).max(100_000),
  /** Count days with an event instead of events, so repeats on one day count once. */
  distinctDates: z.boolean().default(false),
});
export type Occurrence = z.infer<typeof occurrenceSchema>;

export const sexSchema = z.enum(['F', 'M']);

/** Sex and age at index; age is whole years completed at the index date, bounds inclusive. */
export const demographicsSchema = z
  .object({
    sex: z.array(sexSchema).max(2).optional(),
    ageMin: z.number().int().min(0).max(150).optional(),
    ageMax: z.number().int().min(0).max(150).optional(),
  })
  .refine((d) => d.ageMin === undefined || d.ageMax === undefined || d.ageMin <= d.ageMax, {
    message: 'ageMin must not be above ageMax',
    path: ['ageMin'],
  });
export type Demographics = z.infer<typeof demographicsSchema>;

export const eventCriterionSchema = z.object({
  kind: z.literal('event'),
  conceptSet: conceptSetSchema,
  window: windowSchema,
  occurrence: occurrenceSchema,
});
export type EventCriterion = z.infer<typeof eventCriterionSchema>;

export const demographicCriterionSchema = z.object({
  kind: z.literal('demographic'),
  demographics: demographicsSchema,
});
export type DemographicCriterion = z.infer<typeof demographicCriterionSchema>;

export const groupTypeSchema = z.enum(['ALL', 'ANY', 'AT_LEAST', 'AT_MOST']);
export type GroupType = z.infer<typeof groupTypeSchema>;

export interface CriteriaGroup {
  kind: 'group';
  type: GroupType;
  /** The n of AT_LEAST and AT_MOST; ignored by ALL and ANY. */
  count?: number | undefined;
  items: Criterion[];
}
export type Criterion = EventCriterion | DemographicCriterion | CriteriaGroup;

export const criteriaGroupSchema: z.ZodType<CriteriaGroup> = z.lazy(() =>
  z
    .object({
      kind: z.literal('group'),
      type: groupTypeSchema,
      count: z.number().int().min(0).max(1000).optional(),
      items: z.array(criterionSchema).min(1).max(100),
    })
    .refine((group) => !group.type.startsWith('AT_') || group.count !== undefined, {
      message: 'AT_LEAST and AT_MOST groups need a count',
      path: ['count'],
    }),
);

export const criterionSchema: z.ZodType<Criterion> = z.lazy(() =>
  z.union([eventCriterionSchema, demographicCriterionSchema, criteriaGroupSchema]),
);

export const inclusionRuleSchema = z.object({
  name: z.string().min(1).max(200),
  /** A switched-off rule stays in the definition but is skipped when generating. */
  enabled: z.boolean().default(true),
  group: criteriaGroupSchema,
});
export type InclusionRule = z.infer<typeof inclusionRuleSchema>;

export const indexSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('event'),
    conceptSet: conceptSetSchema,
    occurrence: z.enum(['first', 'all']).default('first'),
    /** Days of observation required before the index date. */
    priorObservationDays: z.number().int().min(0).max(36_500).default(0),
    /** Days of observation required after the index date. */
    postObservationDays: z.number().int().min(0).max(36_500).default(0),
  }),
  z.object({
    kind: z.literal('date'),
    /** Everyone alive and observed on this UTC date enters on it. */
    date: z.iso.date(),
  }),
]);
export type CohortIndex = z.infer<typeof indexSchema>;

export const exitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed_days'), days: z.number().int().min(0).max(36_500) }),
  z.object({ kind: z.literal('end_of_observation') }),
  /** The first event of the set after the index date, or the end of observation without one. */
  z.object({ kind: z.literal('event'), conceptSet: conceptSetSchema }),
]);
export type CohortExit = z.infer<typeof exitSchema>;

export const cohortDefinitionSchema = z.object({
  version: z.literal(COHORT_DEFINITION_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).default(''),
  index: indexSchema,
  demographics: demographicsSchema.default({}),
  rules: z.array(inclusionRuleSchema).max(100).default([]),
  exit: exitSchema.default({ kind: 'end_of_observation' }),
});
export type CohortDefinition = z.infer<typeof cohortDefinitionSchema>;
/** What a caller writes: fields with defaults may be left out. */
export type CohortDefinitionInput = z.input<typeof cohortDefinitionSchema>;

/**
 * Parse a concept written in the builder: a trailing `*` means prefix
 * matching (`ICD10//I2*`), anything else exact matching.
 */
export function conceptItemFromText(text: string): ConceptItem {
  const trimmed = text.trim();
  if (trimmed.endsWith('*') && trimmed.length > 1)
    return { code: trimmed.slice(0, -1), match: 'prefix', exclude: false };
  return { code: trimmed, match: 'exact', exclude: false };
}
