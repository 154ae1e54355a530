import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../audit';
import { generateCohort } from '../cohorts/store';
import { importDataset } from '../ingest';
import { writeMedsDir } from '../meds/writer';
import { openCache, type Cache } from '../store/cache';
import { integrityCheck, removeTempDirs, tableCount, tempDir } from '../testing/fixtures';
import { addOptOuts, optOutCount, readOptOutList } from './index';

afterEach(removeTempDirs);

function listFile(text: string, name = 'optout.txt'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

/** Ten people, 1..10, each with a birth, a sex and two diagnoses. */
function medsDir(): string {
  const dir = tempDir();
  const rows = [];
  for (let id = 1; id <= 10; id++) {
    rows.push({ subject_id: id, time: null, code: id % 2 ? 'GENDER//F' : 'GENDER//M' });
    rows.push({
      subject_id: id,
      time: new Date(`19${50 + id}-03-01T00:00:00Z`),
      code: 'MEDS_BIRTH',
    });
    rows.push({ subject_id: id, time: new Date('2020-01-10T00:00:00Z'), code: 'ICD10//E11' });
    rows.push({ subject_id: id, time: new Date('2021-06-10T00:00:00Z'), code: 'ICD10//I10' });
  }
  writeMedsDir(dir, rows);
  return dir;
}

function omopDir(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'person.csv'),
    'person_id,gender_concept_id,year_of_birth,month_of_birth\n1,8507,1960,5\n2,8532,1970,6\n3,8532,1980,7\n',
  );
  writeFileSync(
    join(dir, 'observation_period.csv'),
    'person_id,observation_period_start_date,observation_period_end_date\n1,2015-01-01,2022-01-01\n2,2015-01-01,2022-01-01\n3,2015-01-01,2022-01-01\n',
  );
  writeFileSync(
    join(dir, 'condition_occurrence.csv'),
    'person_id,condition_concept_id,condition_start_date,condition_source_value\n1,0,2019-01-01,E11\n2,0,2019-02-01,E11\n3,0,2019-03-01,I10\n',
  );
  return dir;
}

function subjectIds(db: Cache, table: string): number[] {
  return db
    .prepare(`SELECT DISTINCT subject_id FROM ${table} ORDER BY 1`)
    .pluck()
    .all() as number[];
}

const everyone = {
  version: 1 as const,
  name: 'All',
  description: '',
  index: { kind: 'date' as const, date: '2020-01-01' },
  demographics: {},
  rules: [],
  exit: { kind: 'end_of_observation' as const },
};

describe('opt-out list files', () => {
  it('reads ids one a line, skipping a header, blanks and comments', () => {
    expect(readOptOutList(listFile('subject_id\n3\n\n# note\n5\n3\n'))).toEqual(['3', '5']);
    // Ids beyond 2^53 keep every digit.
    expect(readOptOutList(listFile('9007199254740993\n'))).toEqual(['9007199254740993']);
  });

  it('reads a named CSV column', () => {
    const path = listFile('nhs_ref,Person_ID\nx,7\ny,8\n', 'list.csv');
    expect(readOptOutList(path, 'person_id')).toEqual(['7', '8']);
    expect(() => readOptOutList(path, 'subject')).toThrow(
      /no column subject \(found: nhs_ref, person_id\)/,
    );
    expect(() => readOptOutList(path)).toThrow(/more than one column.*--column/);
  });

  it('names the line of a bad id without showing it', () => {
    const error = (() => {
      try {
        readOptOutList(listFile('1\n2\nJohn Smith\n'));
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(error.message).toMatch(/line 3 is not an integer subject id/);
    expect(error.message).not.toContain('John');
    expect(() => readOptOutList(listFile(''))).toThrow(/is empty/);
    expect(() => readOptOutList(join(tempDir(), 'missing.txt'))).toThrow(/cannot be read/);
  });
});

describe('opt-out registry', () => {
  it('keeps listed people out of later MEDS and OMOP imports', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    addOptOuts(db, ['2', '4', '99'], 'admin', 'list.txt');
    const meds = await importDataset(db, { format: 'meds', path: medsDir(), importedBy: 'tester' });
    expect(meds.subjects).toBe(8);
    expect(meds.events).toBe(32);
    expect(subjectIds(db, 'events')).toEqual([1, 3, 5, 6, 7, 8, 9, 10]);

    const omop = await importDataset(db, { format: 'omop', path: omopDir(), importedBy: 'tester' });
    expect(omop.subjects).toBe(2);
    const omopSubjects = db
      .prepare('SELECT subject_id FROM subjects WHERE dataset_id = ?')
      .pluck()
      .all(omop.id);
    expect(omopSubjects).toEqual([1, 3]);
    expect(
      db.prepare('SELECT count(*) FROM observation_periods WHERE subject_id = 2').pluck().get(),
    ).toBe(0);
    const imports = listAudit({ action: 'import.complete' }, db).entries;
    // Person 2's condition; their person row is skipped before its birth and sex events exist.
    expect(imports[0]!.counts.optedOutEvents).toBe(1);
    expect(imports[1]!.counts.optedOutEvents).toBe(8);
    db.close();
  });

  it('purges listed people from a cache in one audited transaction', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const dataset = await importDataset(db, {
      format: 'meds',
      path: medsDir(),
      importedBy: 'tester',
    });
    const cohort = generateCohort(db, { definition: everyone, createdBy: 'tester' });
    expect(cohort.members).toBe(10);
    // A forecast run with a result per member, as a completed run stores them.
    const run = Number(
      db
        .prepare(
          `INSERT INTO forecast_runs (cohort_id, model_id, model_hash, horizon_days, samples, seed, status, started_at, created_by)
           VALUES (?, 'm@1', 'h', 365, 10, 1, 'complete', 0, 'tester')`,
        )
        .run(cohort.id).lastInsertRowid,
    );
    const code = db.prepare("SELECT id FROM codes WHERE code = 'ICD10//E11'").pluck().get();
    for (let id = 1; id <= 10; id++)
      db.prepare(
        'INSERT INTO forecast_results (run_id, subject_id, code_id, probability) VALUES (?, ?, ?, 0.1)',
      ).run(run, id, code);

    const counts = addOptOuts(db, readOptOutList(listFile('3\n7\n7\n')), 'admin', 'list.txt');
    expect(counts).toEqual({
      listed: 2,
      added: 2,
      subjects: 2,
      events: 8,
      observationPeriods: 0,
      cohortMembers: 2,
      forecastResults: 2,
    });
    expect(subjectIds(db, 'events')).not.toContain(3);
    expect(subjectIds(db, 'subjects')).toEqual([1, 2, 4, 5, 6, 8, 9, 10]);
    expect(subjectIds(db, 'cohort_members')).toEqual([1, 2, 4, 5, 6, 8, 9, 10]);
    expect(subjectIds(db, 'forecast_results')).toEqual([1, 2, 4, 5, 6, 8, 9, 10]);
    expect(
      db.prepare('SELECT subjects, events FROM datasets WHERE id = ?').get(dataset.id),
    ).toEqual({
      subjects: 8,
      events: 32,
    });
    expect(db.prepare('SELECT members FROM cohorts WHERE id = ?').pluck().get(cohort.id)).toBe(8);
    expect(optOutCount(db)).toBe(2);
    expect(integrityCheck(db)).toBe('ok');

    const entry = listAudit({ action: 'optout.add' }, db).entries[0]!;
    expect(entry.counts).toMatchObject({
      subjects: 2,
      events: 8,
      cohortMembers: 2,
      forecastResults: 2,
    });
    expect(JSON.stringify(entry)).not.toMatch(/"3"|"7"/);
    expect(verifyAudit(db).ok).toBe(true);

    // Adding the same list again changes nothing but is still recorded.
    expect(addOptOuts(db, ['3', '7'], 'admin', 'list.txt')).toMatchObject({
      added: 0,
      subjects: 0,
    });
    expect(listAudit({ action: 'optout.add' }, db).total).toBe(2);
    db.close();
  });

  it('leaves the cache as it was when the purge fails', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    await importDataset(db, { format: 'meds', path: medsDir(), importedBy: 'tester' });
    const events = tableCount(db, 'events');
    // A trigger that fails half-way through plays the part of any error inside the transaction.
    db.exec(
      "CREATE TEMP TRIGGER fail_purge BEFORE DELETE ON cohort_members BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    generateCohort(db, { definition: everyone, createdBy: 'tester' });
    expect(() => addOptOuts(db, ['1'], 'admin', 'list.txt')).toThrow(/disk full/);
    expect(tableCount(db, 'events')).toBe(events);
    expect(optOutCount(db)).toBe(0);
    expect(listAudit({ action: 'optout.add' }, db).total).toBe(0);
    db.close();
  });
});
