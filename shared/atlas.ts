import type { CohortDefinition } from './cohort-definition';

export interface UntranslatedElement {
  /** JSONPath of the element in the ATLAS file, e.g. `$.InclusionRules[0].expression.Groups[1]`. */
  path: string;
  reason: string;
}

/** An ATLAS cohort expression translated to a Horizon definition, with what did not translate. */
export interface AtlasImportResult {
  definition: CohortDefinition;
  untranslated: UntranslatedElement[];
}
