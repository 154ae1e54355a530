import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../../electron/meds/writer';
import { generateMeds, type EventBatch } from './generate-meds';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'horizon-bench-meds-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readParquet(path: string) {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const rows = await parquetReadObjects({ file });
  return { metadata, rows };
}

describe('writeMedsDir', () => {
  it('round-trips rows through hyparquet', async () => {
    writeMedsDir(dir, [
      { subject_id: 7, time: null, code: 'GENDER//F' },
      { subject_id: 7, time: new Date('1980-03-15T00:00:00Z'), code: 'MEDS_BIRTH' },
      {
        subject_id: 7n,
        time: 1_600_000_000_000_123n,
        code: 'LOINC//2345-7',
        numeric_value: 5.5,
        text_value: 'fasting',
      },
    ]);

    const { metadata, rows } = await readParquet(join(dir, 'data/train/0.parquet'));
    expect(metadata.schema.map((element) => element.name)).toEqual([
      'schema',
      'subject_id',
      'time',
      'code',
      'numeric_value',
      'text_value',
    ]);
    expect(metadata.schema[2]?.converted_type).toBe('TIMESTAMP_MICROS');
    expect(rows[0]).toEqual({
      subject_id: 7n,
      time: null,
      code: 'GENDER//F',
      numeric_value: null,
      text_value: null,
    });
    expect(rows[1]?.time).toEqual(new Date('1980-03-15T00:00:00Z'));
    expect(rows[2]?.numeric_value).toBe(5.5);
    expect(rows[2]?.text_value).toBe('fasting');

    const codes = await readParquet(join(dir, 'metadata/codes.parquet'));
    expect(codes.rows.map((row) => row.code)).toEqual(['GENDER//F', 'MEDS_BIRTH', 'LOINC//2345-7']);
    const splits = await readParquet(join(dir, 'metadata/subject_splits.parquet'));
    expect(splits.rows).toEqual([{ subject_id: 7n, split: 'train' }]);
    expect(existsSync(join(dir, 'metadata/dataset.json'))).toBe(true);
  });

  it('leaves out a column and metadata files', async () => {
    writeMedsDir(dir, [{ subject_id: 1, time: null, code: 'GENDER//M' }], {
      columns: ['time', 'code'],
      split: 'held_out',
      codes: false,
      datasetJson: false,
      subjectSplits: false,
    });

    const { metadata, rows } = await readParquet(join(dir, 'data/held_out/0.parquet'));
    expect(metadata.schema.map((element) => element.name)).toEqual(['schema', 'time', 'code']);
    expect(rows).toEqual([{ time: null, code: 'GENDER//M' }]);
    expect(existsSync(join(dir, 'metadata/codes.parquet'))).toBe(false);
    expect(existsSync(join(dir, 'metadata/dataset.json'))).toBe(false);
    expect(existsSync(join(dir, 'metadata/subject_splits.parquet'))).toBe(false);
  });

  it('writes an empty shard', async () => {
    writeMedsDir(dir, []);

    const { metadata, rows } = await readParquet(join(dir, 'data/train/0.parquet'));
    expect(metadata.num_rows).toBe(0n);
    expect(rows).toEqual([]);
  });
});

describe('generateMeds', () => {
  it('writes the exact event count in sorted shards', async () => {
    const batches: EventBatch[] = [];
    const result = generateMeds({
      dir,
      events: 30_000,
      seed: 3,
      rowGroupSize: 4_000,
      rowsPerShard: 8_000,
      onBatch: (batch) => batches.push(batch),
    });

    expect(result.events).toBe(30_000);
    expect(batches.reduce((sum, batch) => sum + batch.length, 0)).toBe(30_000);
    expect(result.shards).toEqual([
      'data/train/0.parquet',
      'data/train/1.parquet',
      'data/tuning/0.parquet',
      'data/held_out/0.parquet',
    ]);

    let total = 0;
    const subjectsSeen = new Set<bigint>();
    for (const shard of result.shards) {
      const { metadata, rows } = await readParquet(join(dir, shard));
      total += rows.length;
      expect(metadata.row_groups.every((group) => group.num_rows <= 4_000n)).toBe(true);
      const shardSubjects = new Set<bigint>();
      for (let i = 1; i < rows.length; i++) {
        const previous = rows[i - 1]!;
        const row = rows[i]!;
        expect(previous.subject_id <= row.subject_id).toBe(true);
        if (previous.subject_id === row.subject_id && row.time !== null) {
          expect(previous.time === null || previous.time <= row.time).toBe(true);
        }
        if (previous.subject_id === row.subject_id && row.time === null) {
          expect(previous.time).toBeNull();
        }
      }
      for (const row of rows) shardSubjects.add(row.subject_id as bigint);
      for (const subject of shardSubjects) {
        expect(subjectsSeen.has(subject)).toBe(false);
        subjectsSeen.add(subject);
      }
    }
    expect(total).toBe(30_000);
    expect(subjectsSeen.size).toBe(result.subjects);

    const splits = await readParquet(join(dir, 'metadata/subject_splits.parquet'));
    expect(splits.rows.length).toBe(result.subjects);
    expect(new Set(splits.rows.map((row) => row.split))).toEqual(
      new Set(['train', 'tuning', 'held_out']),
    );
  });

  it('is deterministic for a seed', () => {
    const first = generateMeds({ dir: join(dir, 'a'), events: 5_000, seed: 11 });
    const second = generateMeds({ dir: join(dir, 'b'), events: 5_000, seed: 11 });
    const third = generateMeds({ dir: join(dir, 'c'), events: 5_000, seed: 12 });
    const shard = (root: string) => readFileSync(join(root, 'data/train/0.parquet'));

    expect(shard(first.dir).equals(shard(second.dir))).toBe(true);
    expect(shard(first.dir).equals(shard(third.dir))).toBe(false);
  });
});
