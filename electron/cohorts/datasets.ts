import { HorizonError } from '../../shared/errors';
import type { Cache } from '../store/cache';

/** The dataset a cohort is built on: the one given, else the most recently imported. */
export function resolveDatasetId(db: Cache, datasetId?: number): number {
  const row =
    datasetId === undefined
      ? db
          .prepare<[], { id: number }>(
            "SELECT id FROM datasets WHERE status = 'complete' ORDER BY id DESC LIMIT 1",
          )
          .get()
      : db
          .prepare<[number], { id: number }>(
            "SELECT id FROM datasets WHERE status = 'complete' AND id = ?",
          )
          .get(datasetId);
  if (row) return row.id;

  if (datasetId === undefined) {
    throw new HorizonError(
      'cohort_no_dataset',
      'The cache has no complete dataset. Import a dataset or load the demo population first.',
    );
  }
  throw new HorizonError(
    'cohort_no_dataset',
    `Dataset ${datasetId} was not found or is still importing. List the datasets with "horizon datasets" and pick one.`,
    { dataset: datasetId },
  );
}
