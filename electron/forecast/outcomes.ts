/**
 * Codes recorded in a time window, as model tokens: the outcomes a backtest
 * scores forecasts against, and the events the age-sex baseline counts.
 */
import { modelCode } from '../model/code-mapping';
import type { Vocabulary } from '../model/vocabulary';
import type { Cache } from '../store/cache';

/**
 * For each subject in `subjects`, a 0/1 row over the vocabulary: whether a
 * code mapping to that token was recorded in (from, to] (seconds). Cache
 * codes are mapped as the tokenizer maps them, so `ICD10//I21.4` counts as
 * `ICD10//I21`.
 */
export function recordedTokens(
  cache: Cache,
  datasetId: number,
  subjects: ReadonlyMap<number, number>,
  from: number,
  to: number,
  vocabulary: Vocabulary,
): Uint8Array {
  const vocab = vocabulary.size;
  const rows = new Uint8Array(subjects.size * vocab);
  const tokenOfCode = new Map<number, number | null>();
  const codes = cache.prepare('SELECT id, code FROM codes').all() as { id: number; code: string }[];
  for (const { id, code } of codes) {
    const mapped = modelCode(code);
    tokenOfCode.set(id, mapped === null ? null : (vocabulary.id(mapped) ?? null));
  }

  // One pass per subject over the (dataset, subject, time) index beats a scan
  // of every event in the window when the subjects are a sample of the dataset.
  const events = cache.prepare(
    `SELECT code_id AS codeId FROM events
      WHERE dataset_id = ? AND subject_id = ? AND time > ? AND time <= ?`,
  );
  for (const [subjectId, row] of subjects) {
    for (const { codeId } of events.all(datasetId, subjectId, from, to) as { codeId: number }[]) {
      const token = tokenOfCode.get(codeId);
      if (token !== null && token !== undefined) rows[row * vocab + token] = 1;
    }
  }
  return rows;
}
