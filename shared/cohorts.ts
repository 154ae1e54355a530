/** What generating, previewing and characterizing a cohort returns. */
import type { CohortDefinition } from './cohort-definition';

/**
 * A count as the renderer and reports see it: counts from 1 to below the
 * disclosure threshold are replaced by null with `masked` set, so the small
 * number itself never leaves the main process.
 */
export interface MaskedCount {
  value: number | null;
  masked: boolean;
}

/** One step of the attrition, in the order the steps apply. Raw counts: mask before showing. */
export interface AttritionStep {
  kind: 'index' | 'demographics' | 'rule';
  name: string;
  persons: number;
  events: number;
  lostPersons: number;
  lostEvents: number;
  /** Persons of the step before the first rule who satisfy this rule on its own (rules only). */
  satisfiedPersons: number | null;
}

export interface MaskedAttritionStep {
  kind: AttritionStep['kind'];
  name: string;
  persons: MaskedCount;
  events: MaskedCount;
  lostPersons: MaskedCount;
  lostEvents: MaskedCount;
  satisfiedPersons: MaskedCount | null;
  /** satisfiedPersons as a share of the persons before the first rule; null when either is masked. */
  satisfiedShare: number | null;
}

export interface AgeSexBand {
  /** Lower bound of the 10-year age band at index; the last band (90) is open. */
  ageFrom: number;
  female: MaskedCount;
  male: MaskedCount;
  other: MaskedCount;
}

export interface TopCode {
  code: string;
  description: string | null;
  persons: MaskedCount;
}

/** Days; null when the cohort has fewer persons than the disclosure threshold. */
export interface DurationSummary {
  p25: number | null;
  median: number | null;
  p75: number | null;
}

export interface Characterization {
  persons: MaskedCount;
  threshold: number;
  ageSex: AgeSexBand[];
  /** Codes with the most persons in the 365 days before index (index day excluded). */
  topCodes: TopCode[];
  priorObservationDays: DurationSummary;
  followUpDays: DurationSummary;
}

export interface CohortPreview {
  attrition: MaskedAttritionStep[];
  members: MaskedCount;
  persons: MaskedCount;
  threshold: number;
  durationMs: number;
}

export interface CohortSummary {
  id: number;
  name: string;
  version: number;
  datasetId: number;
  members: MaskedCount;
  createdAt: number;
  createdBy: string;
  /** Null for cohorts whose stored definition this version cannot read (e.g. forecast populations). */
  definition: CohortDefinition | null;
}

export interface CodeSearchResult {
  code: string;
  description: string | null;
  vocabulary: string | null;
}

/** Policy default for the smallest count shown unmasked. */
export const DEFAULT_DISCLOSURE_THRESHOLD = 10;
