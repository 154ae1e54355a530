import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../meds/writer';
import { openCache } from '../store/cache';
import { listDatasets } from '../store/datasets';
import {
  integrityCheck,
  missingSamples,
  removeTempDirs,
  samples,
  tempDir,
} from '../testing/fixtures';
import { importDataset } from './index';

afterEach(removeTempDirs);

const user = 'tester';

describe.skipIf(missingSamples)('MEDS sample import', () => {
  it('imports the MIMIC-IV demo with counts matching the source', async () => {
    const shard = join(samples.meds, 'data', 'tuning', '0.parquet');
    const rows = await parquetReadObjects({
      file: await asyncBufferFromFile(shard),
      columns: ['subject_id', 'code'],
      compressors,
    });
    const db = openCache(join(tempDir(), 'cache.sqlite'));

    const dataset = await importDataset(db, {
      format: 'meds',
      path: samples.meds,
      importedBy: user,
    });

    expect(dataset.events).toBe(rows.length);
    expect(dataset.subjects).toBe(new Set(rows.map((row) => row.subject_id)).size);
    expect(dataset.codes).toBe(new Set(rows.map((row) => row.code)).size);
    expect(dataset.name).toBe('MIMIC-IV');
    expect(dataset.format).toBe('meds');
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('reads descriptions, parent codes and splits', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const dataset = await importDataset(db, {
      format: 'meds',
      path: samples.meds,
      importedBy: user,
    });

    const described = db
      .prepare(`SELECT description FROM codes WHERE code = 'DIAGNOSIS//ICD//9//70723'`)
      .pluck()
      .get();
    expect(described).toBe('Pressure ulcer, stage III');
    const parents = db.prepare('SELECT count(*) FROM code_parents').pluck().get() as number;
    expect(parents).toBeGreaterThan(0);
    const splits = db
      .prepare('SELECT DISTINCT split FROM subjects WHERE dataset_id = ?')
      .pluck()
      .all(dataset.id);
    expect(splits).toEqual(['tuning']);
    db.close();
  });

  it('keeps date-shifted years and coarsens births to month', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const dataset = await importDataset(db, {
      format: 'meds',
      path: samples.meds,
      importedBy: user,
    });

    // MIMIC shifts dates into 2100-2200; they are valid input.
    expect(new Date(dataset.lastEventTime! * 1000).getUTCFullYear()).toBeGreaterThan(2100);
    const births = db
      .prepare('SELECT birth_time FROM subjects WHERE dataset_id = ? AND birth_time IS NOT NULL')
      .pluck()
      .all(dataset.id) as number[];
    expect(births.length).toBe(dataset.subjects);
    for (const birth of births) expect(new Date(birth * 1000).getUTCDate()).toBe(1);
    db.close();
  });
});

describe('MEDS import of written shards', () => {
  it('stores values, static rows and sex', async () => {
    const dir = tempDir();
    writeMedsDir(dir, [
      { subject_id: 7, time: null, code: 'GENDER//F' },
      { subject_id: 7, time: new Date('1980-06-17T10:00:00Z'), code: 'MEDS_BIRTH' },
      {
        subject_id: 7,
        time: new Date('2020-01-02T00:00:00Z'),
        code: 'LOINC//2345-7',
        numeric_value: 5.5,
      },
      { subject_id: 7, time: new Date('2021-03-04T00:00:00Z'), code: 'NOTE', text_value: 'stable' },
      { subject_id: 9, time: new Date('1990-01-01T00:00:00Z'), code: 'MEDS_BIRTH' },
      { subject_id: 9, time: new Date('2022-05-05T00:00:00Z'), code: 'MEDS_DEATH' },
    ]);
    const db = openCache(join(tempDir(), 'cache.sqlite'));

    const dataset = await importDataset(db, { format: 'meds', path: dir, importedBy: user });

    expect(dataset.subjects).toBe(2);
    expect(dataset.events).toBe(6);
    const seven = db.prepare('SELECT * FROM subjects WHERE subject_id = 7').get() as Record<
      string,
      unknown
    >;
    expect(seven.sex).toBe('F');
    expect(seven.birth_time).toBe(Date.UTC(1980, 5, 1) / 1000);
    expect(seven.events).toBe(4);
    const nine = db.prepare('SELECT * FROM subjects WHERE subject_id = 9').get() as Record<
      string,
      unknown
    >;
    expect(nine.death_time).toBe(Date.UTC(2022, 4, 5) / 1000);
    const lab = db
      .prepare(
        `SELECT numeric_value, text_value FROM events e JOIN codes c ON c.id = e.code_id WHERE c.code = 'LOINC//2345-7'`,
      )
      .get();
    expect(lab).toEqual({ numeric_value: 5.5, text_value: null });
    const note = db
      .prepare(
        `SELECT text_value FROM events e JOIN codes c ON c.id = e.code_id WHERE c.code = 'NOTE'`,
      )
      .pluck()
      .get();
    expect(note).toBe('stable');
    expect(listDatasets(db)).toHaveLength(1);
    db.close();
  });

  it('reads several row groups and reports progress', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      subject_id: Math.floor(i / 10) + 1,
      time: new Date(Date.UTC(2010, 0, 1) + i * 86_400_000),
      code: `ICD10//E${i % 50}`,
    }));
    writeMedsDir(dir, rows, { rowGroupSize: 500 });
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const progress: number[] = [];

    const dataset = await importDataset(db, {
      format: 'meds',
      path: dir,
      importedBy: user,
      onProgress: (p) => {
        if (p.phase === 'reading') progress.push(p.rows);
      },
    });

    expect(dataset.events).toBe(2_500);
    expect(dataset.subjects).toBe(250);
    expect(dataset.codes).toBe(50);
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBeLessThanOrEqual(2_500);
    db.close();
  });
});
