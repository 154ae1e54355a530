/**
 * The simulator's true risks for a backtest on a synthetic dataset. The cache
 * keeps the synthesis parameters (seed, people, dates) in the dataset's
 * metadata, and the simulator is deterministic for them, so the population is
 * simulated again into a temporary folder and its truth written as the CSV
 * that `horizon truth` writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_VERSION, synthesizeMeds } from '../synth/meds-output';
import { computeTruth } from '../synth/truth';
import type { Cache } from '../store/cache';

/** Return the newest complete synthetic dataset's id, to suggest when another dataset is newer. */
export function newestSyntheticDataset(cache: Cache): number | null {
  const rows = cache
    .prepare(`SELECT id, metadata FROM datasets WHERE status = 'complete' ORDER BY id DESC`)
    .all() as { id: number; metadata: string }[];
  const row = rows.find((candidate) => synthesisOf(cache, candidate.id) !== null);
  return row?.id ?? null;
}

interface Synthesis {
  seed: number;
  people: number;
  start: string;
  end: string;
  model_version: number;
}

/**
 * The synthesis parameters of a complete dataset (default: the newest, which a
 * backtest scores unless given a dataset id), or null when it is not synthetic or
 * from another simulator version.
 */
export function synthesisOf(cache: Cache, datasetId?: number): Synthesis | null {
  const row = (
    datasetId === undefined
      ? cache
          .prepare(
            `SELECT metadata FROM datasets WHERE status = 'complete' ORDER BY id DESC LIMIT 1`,
          )
          .get()
      : cache
          .prepare(`SELECT metadata FROM datasets WHERE status = 'complete' AND id = ?`)
          .get(datasetId)
  ) as { metadata: string } | undefined;
  if (!row) return null;
  const metadata = JSON.parse(row.metadata) as { synthetic?: unknown; synthesis?: Synthesis };
  const synthesis = metadata.synthesis;
  if (metadata.synthetic !== true || !synthesis || synthesis.model_version !== MODEL_VERSION)
    return null;
  return synthesis;
}

/**
 * Write the true risks of the first `people` people (all when undefined) at
 * the cutoff to a CSV in a temporary folder; call `remove` when done with it.
 */
export async function writeSyntheticTruth(options: {
  synthesis: Synthesis;
  cutoff: string;
  horizonDays: number;
  people?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number }) => void;
}): Promise<{ csv: string; remove(): void }> {
  const folder = mkdtempSync(join(tmpdir(), 'horizon-truth-'));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    const { synthesis } = options;
    const dataset = join(folder, 'meds');
    await synthesizeMeds({
      people: synthesis.people,
      seed: synthesis.seed,
      start: synthesis.start,
      end: synthesis.end,
      dir: dataset,
      signal: options.signal,
    });
    const csv = join(folder, 'truth.csv');
    await computeTruth({
      dataset,
      cutoff: options.cutoff,
      horizonDays: options.horizonDays,
      people: options.people,
      out: csv,
      signal: options.signal,
      onProgress: ({ people, total }) => options.onProgress?.({ done: people, total }),
    });
    return { csv, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
