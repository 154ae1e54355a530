/** `synthesizeIntoCache`: a synthetic population imported into the cohort cache. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetSummary, ImportProgress } from '../../shared/datasets';
import { importDataset } from '../ingest';
import type { Cache } from '../store/cache';
import { SYNTHETIC_DATASET_NAME, synthesizeMeds } from './meds-output';

export interface SynthesizeIntoCacheOptions {
  people: number;
  seed: number;
  start?: string;
  end?: string;
  /** Operating-system user recorded on the dataset row (default 'horizon'). */
  importedBy?: string;
  /** Import even if the cache already contains the same population, as a new version. */
  asNewVersion?: boolean;
  signal?: AbortSignal;
  /** Phase 'simulating' counts people in `rows`; the import phases follow. */
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Simulate the population into a temporary MEDS directory, then import it like
 * any MEDS dataset. dataset.json marks it synthetic, and the importer keeps that
 * in the dataset's metadata. The temporary directory is always removed.
 */
export async function synthesizeIntoCache(
  db: Cache,
  options: SynthesizeIntoCacheOptions,
): Promise<DatasetSummary> {
  const temporary = mkdtempSync(join(tmpdir(), 'horizon-synth-'));
  const started = Date.now();
  try {
    const dir = join(temporary, 'meds');
    await synthesizeMeds({
      people: options.people,
      seed: options.seed,
      start: options.start,
      end: options.end,
      dir,
      signal: options.signal,
      onProgress: ({ people, total }) => {
        const elapsedMs = Date.now() - started;
        options.onProgress?.({
          phase: 'simulating',
          file: null,
          rows: people,
          totalRows: total,
          bytes: 0,
          totalBytes: null,
          elapsedMs,
          etaMs: people > 0 ? (elapsedMs * (total - people)) / people : null,
        });
      },
    });
    return await importDataset(db, {
      format: 'meds',
      path: dir,
      name: SYNTHETIC_DATASET_NAME,
      asNewVersion: options.asNewVersion ?? false,
      importedBy: options.importedBy ?? 'horizon',
      signal: options.signal,
      onProgress: options.onProgress,
    });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
