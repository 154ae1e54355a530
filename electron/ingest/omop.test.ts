import { parse } from 'csv-parse/sync';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../store/cache';
import {
  integrityCheck,
  missingSamples,
  removeTempDirs,
  samples,
  tempDir,
} from '../testing/fixtures';
import { importDataset } from './index';

afterEach(removeTempDirs);

/** Read the sample's tables as text straight from the zip, without Horizon's code. */
async function readZipTables(path: string): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (error, file) =>
      error ? reject(error) : resolve(file!),
    ),
  );
  const tables = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.startsWith('__MACOSX/') || !entry.fileName.endsWith('.csv'))
        return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream!.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream!.on('end', () => {
          tables.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return tables;
}

function rowCount(text: string | undefined): number {
  return text ? (parse(text, { columns: true, skip_empty_lines: true }) as unknown[]).length : 0;
}

describe.skipIf(missingSamples)('OMOP sample import', () => {
  let tables: Map<string, string>;
  beforeAll(async () => {
    tables = await readZipTables(samples.omopZip);
  });

  /** Count the expected events: one per clinical row, plus a birth and a sex event per person. */
  function expectedEvents(name: (table: string) => string): number {
    const persons = rowCount(tables.get(name('person')));
    const clinical = [
      'visit_occurrence',
      'condition_occurrence',
      'drug_exposure',
      'procedure_occurrence',
      'measurement',
      'observation',
      'death',
    ];
    return (
      2 * persons + clinical.reduce((sum, table) => sum + rowCount(tables.get(name(table))), 0)
    );
  }

  it('imports the zip with counts matching the CSV files', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const dataset = await importDataset(db, {
      format: 'omop',
      path: samples.omopZip,
      importedBy: 'tester',
    });

    expect(dataset.subjects).toBe(rowCount(tables.get('PERSON.csv')));
    expect(dataset.events).toBe(expectedEvents((table) => `${table.toUpperCase()}.csv`));
    expect(dataset.warnings).toEqual([]);
    expect(integrityCheck(db)).toBe('ok');

    const periods = db.prepare('SELECT count(*) FROM observation_periods').pluck().get();
    expect(periods).toBe(rowCount(tables.get('OBSERVATION_PERIOD.csv')));
    db.close();
  });

  it('maps concepts to MEDS codes with descriptions', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    await importDataset(db, { format: 'omop', path: samples.omopZip, importedBy: 'tester' });

    const codes = db.prepare('SELECT code FROM codes').pluck().all() as string[];
    expect(codes).toContain('MEDS_BIRTH');
    expect(codes).toContain('MEDS_DEATH');
    expect(codes.some((code) => code.startsWith('SNOMED//'))).toBe(true);
    expect(codes.some((code) => code.startsWith('RxNorm//'))).toBe(true);
    expect(codes.some((code) => code.startsWith('LOINC//'))).toBe(true);
    expect(codes.some((code) => code.startsWith('ADMISSION//'))).toBe(true);
    expect(codes.filter((code) => code.startsWith('OMOP_CONCEPT//'))).toEqual([]);

    // Concept 372328 in the sample's CONCEPT.csv is SNOMED 65363002.
    const otitis = db
      .prepare(`SELECT description FROM codes WHERE code = 'SNOMED//65363002'`)
      .pluck()
      .get();
    expect(otitis).toBeTypeOf('string');

    const deaths = db
      .prepare('SELECT count(*) FROM subjects WHERE death_time IS NOT NULL')
      .pluck()
      .get();
    expect(deaths).toBe(rowCount(tables.get('DEATH.csv')));
    const births = db.prepare('SELECT birth_time FROM subjects').pluck().all() as number[];
    for (const birth of births) expect(new Date(birth * 1000).getUTCDate()).toBe(1);
    db.close();
  });

  it('imports a folder with lower-case names the same way', async () => {
    const dir = tempDir();
    for (const [name, text] of tables) writeFileSync(join(dir, name.toLowerCase()), text);
    const db = openCache(join(tempDir(), 'cache.sqlite'));

    const dataset = await importDataset(db, { format: 'omop', path: dir, importedBy: 'tester' });

    expect(dataset.subjects).toBe(rowCount(tables.get('PERSON.csv')));
    expect(dataset.events).toBe(expectedEvents((table) => `${table.toUpperCase()}.csv`));
    db.close();
  });
});

describe('OMOP import of written tables', () => {
  it('links parents from concept_ancestor and upper-case columns', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'PERSON.csv'),
      'PERSON_ID,GENDER_CONCEPT_ID,YEAR_OF_BIRTH,MONTH_OF_BIRTH\n1,8532,1950,\n2,8507,1960,11\n',
    );
    writeFileSync(
      join(dir, 'CONCEPT.csv'),
      'concept_id,concept_name,domain_id,vocabulary_id,concept_class_id,standard_concept,concept_code\n' +
        '45576876,Type 2 diabetes mellitus,Condition,ICD10CM,3-char nonbill code,,E11\n' +
        '45542411,Endocrine diseases,Condition,ICD10CM,Chapter,,E00-E89\n',
    );
    writeFileSync(
      join(dir, 'CONCEPT_ANCESTOR.csv'),
      'ancestor_concept_id,descendant_concept_id,min_levels_of_separation,max_levels_of_separation\n' +
        '45542411,45576876,1,1\n',
    );
    writeFileSync(
      join(dir, 'CONDITION_OCCURRENCE.csv'),
      'condition_occurrence_id,person_id,condition_concept_id,condition_start_date,condition_start_datetime,condition_source_value\n' +
        '1,1,45576876,2019-02-03,,\n2,2,0,2020-03-04,2020-03-04 10:30:00,X99\n3,3,45576876,2021-01-01,,\n',
    );
    const db = openCache(join(tempDir(), 'cache.sqlite'));

    const dataset = await importDataset(db, { format: 'omop', path: dir, importedBy: 'tester' });

    // Person 3 is not in PERSON.csv: its event is dropped and counted.
    expect(dataset.subjects).toBe(2);
    expect(dataset.events).toBe(2 * 2 + 2);
    expect(dataset.warnings.join(' ')).toMatch(/1 events of person ids missing/);
    const parent = db
      .prepare(
        `SELECT p.code FROM code_parents l JOIN codes c ON c.id = l.code_id JOIN codes p ON p.id = l.parent_id
          WHERE c.code = 'ICD10//E11'`,
      )
      .pluck()
      .get();
    expect(parent).toBe('ICD10//E00-E89');
    const fallback = db
      .prepare(`SELECT count(*) FROM codes WHERE code = 'CONDITION_SOURCE//X99'`)
      .pluck()
      .get();
    expect(fallback).toBe(1);
    // A missing month of birth becomes July.
    const birth = db.prepare('SELECT birth_time FROM subjects WHERE subject_id = 1').pluck().get();
    expect(birth).toBe(Date.UTC(1950, 6, 1) / 1000);
    db.close();
  });
});
