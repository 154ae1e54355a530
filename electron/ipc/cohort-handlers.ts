/** The cohort channels: live counts, generation, saved cohorts, code search and ATLAS import. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Channel } from '../../shared/api';
import { DEFAULT_DISCLOSURE_THRESHOLD, type CohortSummary } from '../../shared/cohorts';
import { HorizonError } from '../../shared/errors';
import { importAtlas } from '../cohorts/atlas';
import { listVocabularies, searchCodes } from '../cohorts/code-search';
import { maskAttrition, maskCount } from '../cohorts/masking';
import { characterizeSavedCohort, previewCohort } from '../cohorts/preview';
import { findCohortById, generateCohort, listCohorts, type SavedCohort } from '../cohorts/store';
import type { Cache } from '../store/cache';
import type { Handlers } from './router';

type CohortChannel = Extract<Channel, `cohorts.${string}` | 'codes.search' | 'codes.vocabularies'>;

export function cohortHandlers(db: Cache, user: string): Pick<Handlers, CohortChannel> {
  const threshold = DEFAULT_DISCLOSURE_THRESHOLD;
  const latest = new Map<string, number>();

  return {
    'cohorts.preview': async ({ definition, datasetId, key, sequence }) => {
      latest.set(key, Math.max(sequence, latest.get(key) ?? 0));

      // Evaluation is synchronous, so previews queue behind each other. After
      // one turn of the event loop a later edit has registered its sequence,
      // and this preview is skipped because the builder would discard its counts.
      await nextTurn();
      if ((latest.get(key) ?? 0) > sequence) return { superseded: true };
      // The app may have closed the cache during that turn (shutdown, end of a test).
      if (!db.open) return { superseded: true };
      return { superseded: false, ...previewCohort(db, definition, threshold, datasetId) };
    },
    'cohorts.generate': ({ definition, datasetId }) =>
      summarize(generateCohort(db, { definition, datasetId, createdBy: user }), threshold),
    'cohorts.list': () => listCohorts(db).map((cohort) => summarize(cohort, threshold)),
    'cohorts.get': ({ id }) => {
      const cohort = findCohortById(db, id);
      return {
        cohort: summarize(cohort, threshold),
        attrition: maskAttrition(cohort.attrition, threshold),
        characterization: characterizeSavedCohort(db, cohort.id, cohort.datasetId, threshold),
      };
    },
    'cohorts.importAtlas': ({ json, name }) => {
      let expression: unknown;
      try {
        expression = JSON.parse(json);
      } catch (error) {
        throw new HorizonError(
          'atlas_invalid',
          `The ATLAS definition is not valid JSON: ${(error as Error).message}.`,
          { field: '$' },
        );
      }
      return importAtlas(expression, name);
    },
    'codes.search': ({ query, vocabulary, limit }) => searchCodes(db, query, { vocabulary, limit }),
    'codes.vocabularies': () => listVocabularies(db),
  };
}

function summarize(cohort: SavedCohort, threshold: number): CohortSummary {
  return {
    id: cohort.id,
    name: cohort.name,
    version: cohort.version,
    datasetId: cohort.datasetId,
    members: maskCount(cohort.members, threshold),
    createdAt: cohort.createdAt,
    createdBy: cohort.createdBy,
    definition: cohort.definition,
  };
}
