import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { openParquet, type ParquetFile } from '../ingest/meds/parquet-file';
import { coarsenToMonth } from '../ingest/time';
import type { Timeline } from './timeline';

/**
 * Stream the subjects of a MEDS directory as timelines, one data shard at a
 * time. MEDS keeps each subject in one shard, so memory is bounded by the
 * largest shard. Birth is coarsened to its month, as the importer stores it,
 * so that training sees the ages inference will compute from the cache.
 */
export async function* readMedsTimelines(root: string): AsyncGenerator<Timeline> {
  const files = await findParquetFiles(join(root, 'data'));
  if (files.length === 0) throw new Error(`${join(root, 'data')} contains no .parquet files`);

  for (const path of files) {
    const shard = await openParquet(path, relative(root, path));
    yield* shardTimelines(shard);
  }
}

async function* shardTimelines(shard: ParquetFile): AsyncGenerator<Timeline> {
  const bySubject = new Map<number | bigint, Timeline>();
  let rowStart = 0;
  for (const group of shard.metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await shard.readRows(rowStart, rowEnd, ['subject_id', 'time', 'code']);
    for (const [rawSubject, rawTime, code] of rows) {
      if (typeof code !== 'string') continue;
      const subjectId = subjectKey(rawSubject);
      let timeline = bySubject.get(subjectId);
      if (!timeline) {
        timeline = { subjectId, birthTime: null, events: [] };
        bySubject.set(subjectId, timeline);
      }
      const time = typeof rawTime === 'number' ? rawTime : null;
      if (code === 'MEDS_BIRTH' && time !== null) timeline.birthTime = coarsenToMonth(time);
      timeline.events.push({ time, code });
    }
    rowStart = rowEnd;
  }

  for (const timeline of bySubject.values()) {
    // Static events (time null) first, then time order; the sort is stable for equal times.
    timeline.events.sort((a, b) => (a.time ?? -Infinity) - (b.time ?? -Infinity));
    yield timeline;
  }
}

function subjectKey(value: unknown): number | bigint {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  return Number(value);
}

/** Code descriptions from `metadata/codes.parquet`, or none when the file is absent. */
export async function readCodeDescriptions(root: string): Promise<Map<string, string>> {
  const descriptions = new Map<string, string>();
  const path = join(root, 'metadata', 'codes.parquet');
  const file = await openParquet(path, 'metadata/codes.parquet').catch(() => null);
  if (!file || !file.columns.includes('description')) return descriptions;

  const rows = await file.readRows(0, Number(file.metadata.num_rows), ['code', 'description']);
  for (const [code, description] of rows) {
    if (typeof code === 'string' && typeof description === 'string')
      descriptions.set(code, description);
  }
  return descriptions;
}

async function findParquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await findParquetFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.parquet')) files.push(path);
  }
  return files;
}
