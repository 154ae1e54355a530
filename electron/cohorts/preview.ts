/** Counts for the builder without saving anything: masked attrition and, on request, the characterization. */
import type { CohortDefinition } from '../../shared/cohort-definition';
import type { Characterization, CohortPreview } from '../../shared/cohorts';
import type { Cache } from '../store/cache';
import { characterizeSelection, selectEvaluatedCohort, selectSavedCohort } from './characterize';
import { resolveDatasetId } from './datasets';
import { MEMBER_FILTER, evaluateCohort } from './evaluate';
import { maskAttrition, maskCount } from './masking';

export function previewCohort(
  db: Cache,
  definition: CohortDefinition,
  threshold: number,
  datasetId?: number,
): CohortPreview & { characterization: Characterization } {
  const started = Date.now();
  const dataset = resolveDatasetId(db, datasetId);
  const { attrition, allRulesMask } = evaluateCohort(db, definition, dataset);

  selectEvaluatedCohort(db, MEMBER_FILTER, allRulesMask);
  const characterization = characterizeSelection(db, dataset, threshold);
  const members = db
    .prepare<[], { n: number }>('SELECT count(*) AS n FROM temp.cohort_selection')
    .get()!.n;

  return {
    attrition: maskAttrition(attrition, threshold),
    members: maskCount(members, threshold),
    persons: characterization.persons,
    threshold,
    durationMs: Date.now() - started,
    characterization,
  };
}

export function characterizeSavedCohort(
  db: Cache,
  cohortId: number,
  datasetId: number,
  threshold: number,
): Characterization {
  selectSavedCohort(db, cohortId);
  return characterizeSelection(db, datasetId, threshold);
}
