/**
 * Bad input: each case must fail with an error that names the file, row and
 * field and gives the fix, and must leave nothing of the import behind.
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMedsDir } from '../meds/writer';
import { HorizonError } from '../../shared/errors';
import { openCache, type Cache } from '../store/cache';
import {
  integrityCheck,
  missingSamples,
  removeTempDirs,
  samples,
  tableCount,
  tempDir,
} from '../testing/fixtures';
import { importDataset } from './index';
import type { ImportOptions } from './options';

afterEach(removeTempDirs);

async function expectRejected(
  options: Omit<ImportOptions, 'importedBy'>,
): Promise<{ error: HorizonError; db: Cache }> {
  const db = openCache(join(tempDir(), 'cache.sqlite'));
  let caught: unknown = null;
  try {
    await importDataset(db, { ...options, importedBy: 'tester' });
  } catch (error) {
    caught = error;
  }
  expect(caught, 'import should fail').toBeInstanceOf(HorizonError);
  // Nothing of the failed import is visible or left behind.
  expect(tableCount(db, 'datasets')).toBe(0);
  expect(tableCount(db, 'events')).toBe(0);
  expect(tableCount(db, 'subjects')).toBe(0);
  expect(tableCount(db, 'codes')).toBe(0);
  expect(integrityCheck(db)).toBe('ok');
  return { error: caught as HorizonError, db };
}

const personHeader =
  'person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime,race_concept_id,ethnicity_concept_id';

function omopFolder(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('MEDS bad input', () => {
  it.skipIf(missingSamples)('rejects a truncated parquet file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'), { recursive: true });
    const shard = join(dir, 'data', '0.parquet');
    copyFileSync(join(samples.meds, 'data', 'tuning', '0.parquet'), shard);
    truncateSync(shard, Math.floor(statSync(shard).size / 2));

    const { error, db } = await expectRejected({ format: 'meds', path: dir });
    expect(error.code).toBe('import_invalid_input');
    expect(error.message).toContain('data/0.parquet');
    expect(error.message).toMatch(/truncated or corrupt/);
    db.close();
  });

  it('rejects a shard without subject_id', async () => {
    const dir = tempDir();
    writeMedsDir(dir, [{ subject_id: 1, time: new Date('2020-01-01'), code: 'A' }], {
      columns: ['time', 'code', 'numeric_value'],
    });
    const { error, db } = await expectRejected({ format: 'meds', path: dir });
    expect(error.params.file).toBe('data/train/0.parquet');
    expect(error.params.field).toBe('subject_id');
    expect(error.message).toMatch(/has no column subject_id/);
    expect(error.message).toMatch(/need the columns subject_id, time and code/);
    db.close();
  });

  it('rejects a shard without code', async () => {
    const dir = tempDir();
    writeMedsDir(dir, [{ subject_id: 1, time: new Date('2020-01-01'), code: 'A' }], {
      columns: ['subject_id', 'time'],
    });
    const { error, db } = await expectRejected({ format: 'meds', path: dir });
    expect(error.params.field).toBe('code');
    db.close();
  });

  it('names the row of an empty code', async () => {
    const dir = tempDir();
    writeMedsDir(dir, [
      { subject_id: 1, time: new Date('2020-01-01'), code: 'A' },
      { subject_id: 1, time: new Date('2020-01-02'), code: '' },
    ]);
    const { error, db } = await expectRejected({ format: 'meds', path: dir });
    expect(error.params).toMatchObject({ file: 'data/train/0.parquet', row: 2, field: 'code' });
    db.close();
  });

  it('rejects a folder without data files', async () => {
    const { error, db } = await expectRejected({ format: 'meds', path: tempDir() });
    expect(error.message).toMatch(/contains no \.parquet files/);
    expect(error.message).toMatch(/MEDS root folder/);
    db.close();
  });
});

describe('OMOP bad input', () => {
  it('rejects a folder without person', async () => {
    const dir = omopFolder({
      'condition_occurrence.csv':
        'person_id,condition_concept_id,condition_start_date\n1,2,2020-01-01\n',
    });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.message).toMatch(/has no person table/);
    expect(error.message).toMatch(/PERSON\.csv/);
    db.close();
  });

  it('rejects person.csv without person_id', async () => {
    const dir = omopFolder({ 'person.csv': 'id,gender_concept_id,year_of_birth\n1,8507,1970\n' });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params).toMatchObject({ file: 'person.csv', field: 'person_id' });
    expect(error.message).toMatch(/has no column person_id/);
    db.close();
  });

  it('rejects a non-numeric person_id', async () => {
    const dir = omopFolder({
      'person.csv': `${personHeader}\n1,8507,1970,3,,,0,0\nabc,8532,1980,4,,,0,0\n`,
    });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params).toMatchObject({ file: 'person.csv', row: 3, field: 'person_id' });
    expect(error.message).toMatch(/is not an integer/);
    // The identifier itself is patient-level and must not be echoed.
    expect(error.message).not.toContain('abc');
    db.close();
  });

  it('rejects invalid UTF-8 bytes', async () => {
    const bad = Buffer.concat([
      Buffer.from(
        `${personHeader},person_source_value\n1,8507,1970,3,,,0,0,ok\n2,8532,1980,4,,,0,0,`,
      ),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "caf" + a lone Latin-1 byte
      Buffer.from('\n'),
    ]);
    const dir = omopFolder({ 'PERSON.csv': bad });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params).toMatchObject({
      file: 'PERSON.csv',
      row: 3,
      field: 'person_source_value',
    });
    expect(error.message).toMatch(/not valid UTF-8/);
    expect(error.message).toMatch(/iconv/);
    db.close();
  });

  it('rejects an unparseable date', async () => {
    const dir = omopFolder({
      'person.csv': `${personHeader}\n1,8507,1970,3,,,0,0\n`,
      'condition_occurrence.csv':
        'condition_occurrence_id,person_id,condition_concept_id,condition_start_date,condition_start_datetime\n' +
        '1,1,201826,2020-01-05,\n2,1,201826,05/13/2021,\n',
    });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params).toMatchObject({
      file: 'condition_occurrence.csv',
      row: 3,
      field: 'condition_start_date',
    });
    expect(error.message).toMatch(/not a valid date/);
    expect(error.message).toMatch(/YYYY-MM-DD/);
    db.close();
  });

  it('rejects a zip that is not a zip', async () => {
    const path = join(tempDir(), 'cdm.zip');
    writeFileSync(path, 'PK but not really a zip archive at all');
    const { error, db } = await expectRejected({ format: 'omop', path });
    expect(error.params.file).toBe(path);
    expect(error.message).toMatch(/not a readable zip archive/);
    db.close();
  });

  it('rejects a duplicate person_id', async () => {
    const dir = omopFolder({
      'person.csv': `${personHeader}\n1,8507,1970,3,,,0,0\n1,8532,1980,4,,,0,0\n`,
    });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params).toMatchObject({ row: 3, field: 'person_id' });
    db.close();
  });

  it('rejects a row with a wrong number of fields', async () => {
    const dir = omopFolder({ 'person.csv': `${personHeader}\n1,8507,1970\n` });
    const { error, db } = await expectRejected({ format: 'omop', path: dir });
    expect(error.params.file).toBe('person.csv');
    expect(error.message).toMatch(/not valid CSV/);
    db.close();
  });
});

it('keeps the source untouched', () => {
  // Guard for the helpers above: they only read the samples.
  if (missingSamples) return;
  expect(readFileSync(join(samples.meds, 'metadata', 'dataset.json'), 'utf8')).toContain(
    'MIMIC-IV',
  );
});
