/** Request schemas and responses of the cohort channels, merged into the contract in api.ts. */
import { z } from 'zod';
import type { AtlasImportResult } from './atlas';
import { cohortDefinitionSchema } from './cohort-definition';
import type {
  Characterization,
  CodeSearchResult,
  CohortPreview,
  CohortSummary,
  MaskedAttritionStep,
} from './cohorts';

const datasetId = z.number().int().min(1).optional();

export const cohortRequestSchemas = {
  /**
   * Live counts for the builder. `sequence` grows with every edit; a preview
   * still queued when a later one for the same `key` arrives is skipped.
   */
  'cohorts.preview': z.object({
    definition: cohortDefinitionSchema,
    datasetId,
    key: z.string().min(1).max(100),
    sequence: z.number().int().min(0),
  }),
  'cohorts.generate': z.object({ definition: cohortDefinitionSchema, datasetId }),
  'cohorts.list': z.object({}),
  'cohorts.get': z.object({ id: z.number().int().min(1) }),
  'cohorts.importAtlas': z.object({
    json: z.string().min(1).max(5_000_000),
    name: z.string().min(1).max(200),
  }),
  'codes.search': z.object({
    query: z.string().max(200),
    vocabulary: z.string().max(100).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  }),
  'codes.vocabularies': z.object({}),
} as const;

export type LivePreview =
  | ({ superseded: false } & CohortPreview & { characterization: Characterization })
  | { superseded: true };

export interface CohortDetails {
  cohort: CohortSummary;
  attrition: MaskedAttritionStep[];
  characterization: Characterization;
}

export interface CohortResponses {
  'cohorts.preview': LivePreview;
  'cohorts.generate': CohortSummary;
  'cohorts.list': CohortSummary[];
  'cohorts.get': CohortDetails;
  'cohorts.importAtlas': AtlasImportResult;
  'codes.search': CodeSearchResult[];
  'codes.vocabularies': string[];
}
