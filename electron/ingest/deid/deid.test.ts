import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, describe, expect, it } from 'vitest';
import { HorizonError } from '../../../shared/errors';
import { listAudit, verifyAudit } from '../../audit';
import { COLUMN_SCHEMA, writeMedsDir } from '../../meds/writer';
import { openCache } from '../../store/cache';
import {
  integrityCheck,
  missingSamples,
  removeTempDirs,
  samples,
  tableCount,
  tempDir,
} from '../../testing/fixtures';
import { importDataset } from '../index';
import { columnRule, isValidNhsNumber, isValidTaiwanId, valueRule } from './index';

const savedPolicy = process.env.HORIZON_POLICY_FILE;
afterEach(() => {
  if (savedPolicy === undefined) delete process.env.HORIZON_POLICY_FILE;
  else process.env.HORIZON_POLICY_FILE = savedPolicy;
  removeTempDirs();
});

/** Build an NHS number from nine digits and a mod-11 check digit computed here independently. */
function nhsNumber(seed: number, valid = true): string {
  for (let n = seed; ; n++) {
    const nine = String(100_000_000 + (n % 899_999_999)).padStart(9, '0');
    const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check === 10) continue;
    return nine + String(valid ? check : (check + 1) % 10);
  }
}

function policy(columns: Record<string, string>): void {
  const path = join(tempDir(), 'policy.json');
  writeFileSync(path, JSON.stringify({ deidentification: { columns } }));
  process.env.HORIZON_POLICY_FILE = path;
}

describe('check digits', () => {
  it('accepts NHS numbers only with the right mod-11 check digit', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    for (let i = 0; i < 50; i++) {
      expect(isValidNhsNumber(nhsNumber(i * 7919))).toBe(true);
      expect(isValidNhsNumber(nhsNumber(i * 7919, false))).toBe(false);
    }
    expect(isValidNhsNumber('12345')).toBe(false);
  });

  it('accepts Taiwan national ids only with the right check digit', () => {
    expect(isValidTaiwanId('A123456789')).toBe(true);
    expect(isValidTaiwanId('A123456788')).toBe(false);
    expect(isValidTaiwanId('F131232216')).toBe(true);
    expect(isValidTaiwanId('F131232217')).toBe(false);
    expect(isValidTaiwanId('A323456789')).toBe(false);
    expect(isValidTaiwanId('a123456789')).toBe(false);
  });
});

describe('identifier rules', () => {
  it.each([
    ['email', 'Contact john.smith@example.org'],
    ['phone_number', 'call 020 7946 0018'],
    ['phone_number', '+886 2 2345 6789'],
    ['phone_number', '0912-345-678'],
    ['street_address', '12 Acacia Avenue'],
    ['street_address', '台北市中正路100號'],
    ['uk_postcode', 'SW1A 1AA'],
    ['person_name', 'Seen by Mrs Jane Doe'],
    ['date_of_birth', 'DOB: 1980-02-03'],
    ['taiwan_national_id', 'ID A123456789'],
    ['nhs_number', '943 476 5919'],
  ])('recognises %s in "%s"', (rule, text) => {
    expect(valueRule(text)).toBe(rule);
  });

  it.each([
    '111/65',
    'LAB//220045//bpm',
    'SR (Sinus Rhythm)',
    '10016810-12',
    '00338004904',
    'A10BA02',
    'E11.9',
    '3528b5de-9f60-a69a-ca36-d508f1f31852',
    'Dr notified',
    '2020-01-01 10:00:00',
    '943 476 5918',
    'A123456788',
  ])('leaves ordinary values alone: "%s"', (text) => {
    expect(valueRule(text)).toBeNull();
  });

  it('recognises identifier column names but not OMOP ones', () => {
    expect(columnRule('NHS_Number')).toBe('nhs_number');
    expect(columnRule('e-mail')).toBe('email');
    expect(columnRule('surname')).toBe('person_name');
    expect(columnRule('address_1')).toBe('street_address');
    expect(columnRule('post code')).toBe('uk_postcode');
    expect(columnRule('date_of_birth')).toBe('date_of_birth');
    expect(columnRule('身分證字號')).toBe('taiwan_national_id');
    expect(columnRule('mobile_phone')).toBe('phone_number');
    for (const name of [
      'concept_name',
      'person_id',
      'year_of_birth',
      'person_source_value',
      'location_id',
    ])
      expect(columnRule(name)).toBeNull();
  });
});

/** Write a MEDS directory of 30 people whose shard has one more column. */
function medsWithColumn(
  name: string,
  values: (string | bigint | null)[],
  text?: (string | null)[],
): string {
  const dir = tempDir();
  writeMedsDir(dir, []);
  const subjects = values.map((_, i) => BigInt(i + 1));
  const type = typeof values.find((v) => v !== null) === 'bigint' ? 'INT64' : 'BYTE_ARRAY';
  const buffer = parquetWriteBuffer({
    schema: [
      { name: 'schema', repetition_type: 'REQUIRED', num_children: 5 },
      COLUMN_SCHEMA.subject_id,
      COLUMN_SCHEMA.time,
      COLUMN_SCHEMA.code,
      COLUMN_SCHEMA.text_value,
      type === 'INT64'
        ? { name, type: 'INT64', repetition_type: 'OPTIONAL' }
        : { ...COLUMN_SCHEMA.text_value, name },
    ],
    columnData: [
      { name: 'subject_id', data: subjects },
      { name: 'time', data: values.map(() => 1_600_000_000_000_000n) },
      { name: 'code', data: values.map(() => 'ICD10//E11') },
      { name: 'text_value', data: text ?? values.map(() => null) },
      { name, data: values },
    ],
  });
  writeFileSync(join(dir, 'data', 'train', '0.parquet'), Buffer.from(buffer));
  return dir;
}

async function rejection(run: () => Promise<unknown>): Promise<HorizonError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HorizonError) return error;
    throw error;
  }
  throw new Error('the import was expected to be rejected');
}

describe('de-identification scan on import', () => {
  const people = Array.from({ length: 30 }, (_, i) => i);

  it('rejects a MEDS sample with a column of NHS numbers, reporting counts only', async () => {
    const numbers = people.map((i) => nhsNumber(i * 104_729 + 17));
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const error = await rejection(() =>
      importDataset(db, {
        format: 'meds',
        path: medsWithColumn('reference', numbers),
        importedBy: 't',
      }),
    );
    expect(error.code).toBe('import_identifiers');
    expect(error.params).toMatchObject({
      report: 'data/train/0.parquet column reference: nhs_number × 30',
      columns: 1,
      hits: 30,
    });
    for (const number of numbers) expect(error.message).not.toContain(number);
    expect(error.params.hits).toBe(30);
    expect(tableCount(db, 'datasets')).toBe(0);
    expect(tableCount(db, 'events')).toBe(0);
    expect(integrityCheck(db)).toBe('ok');
    const entry = listAudit({}, db).entries[0]!;
    expect(entry).toMatchObject({ action: 'import.rejected', counts: { columns: 1, hits: 30 } });
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  });

  it('writes no row holding a found identifier', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    // Observe every text value the import inserts; a rollback or purge cannot undo the observation.
    const written: unknown[] = [];
    db.function('observe', (value: unknown) => {
      written.push(value);
      return null;
    });
    db.exec(`CREATE TEMP TRIGGER observe_events AFTER INSERT ON main.events
             BEGIN SELECT observe(new.text_value); END;`);
    const text = people.map((i) => (i >= 10 ? `patient${i}@example.org` : `note ${i}`));
    const error = await rejection(() =>
      importDataset(db, {
        format: 'meds',
        path: medsWithColumn(
          'unit',
          people.map(() => 'mg'),
          text,
        ),
        importedBy: 't',
      }),
    );
    expect(error.params.report).toBe('data/train/0.parquet column text_value: email × 20');
    expect(written).toHaveLength(10);
    expect(written.some((value) => String(value).includes('@'))).toBe(false);
    expect(tableCount(db, 'events')).toBe(0);
    db.close();
  });

  it('imports numbers failing the check digit', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const invalid = people.map((i) => nhsNumber(i * 104_729 + 17, false));
    const dataset = await importDataset(db, {
      format: 'meds',
      path: medsWithColumn('reference', invalid),
      importedBy: 't',
    });
    expect(dataset.subjects).toBe(30);
    // A key column of random 10-digit ids: about one in eleven passes the check by chance.
    const random = people.map((i) => BigInt(1_000_000_000 + i * 7_654_321));
    const second = await importDataset(db, {
      format: 'meds',
      path: medsWithColumn('order_id', random),
      importedBy: 't',
    });
    expect(second.subjects).toBe(30);
    db.close();
  });

  it('rejects NHS numbers stored as integers under an identifier column name', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const error = await rejection(() =>
      importDataset(db, {
        format: 'meds',
        path: medsWithColumn(
          'nhs_no',
          people.map((i) => BigInt(nhsNumber(i * 31 + 5))),
        ),
        importedBy: 't',
      }),
    );
    expect(error.params.report).toBe('data/train/0.parquet column nhs_no: nhs_number × 30');
    db.close();
  });

  it('drops or coarsens columns as the policy says, before anything is written', async () => {
    const text = people.map((i) => (i % 3 === 0 ? `patient${i}@example.org` : 'stable'));
    const postcodes = people.map((i) => (i % 2 ? 'SW1A 1AA' : null));
    policy({ 'meds.text_value': 'drop', postcode_area: 'coarsen' });
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const dataset = await importDataset(db, {
      format: 'meds',
      path: medsWithColumn('postcode_area', postcodes, text),
      importedBy: 't',
    });
    expect(dataset.subjects).toBe(30);
    expect(
      db.prepare('SELECT count(*) FROM events WHERE text_value IS NOT NULL').pluck().get(),
    ).toBe(0);
    const entry = listAudit({ action: 'import.complete' }, db).entries[0]!;
    expect(entry.counts).toMatchObject({
      droppedIdentifierValues: 10,
      coarsenedIdentifierValues: 15,
    });
    db.close();
  });

  it('coarsens postcodes and empties free-text births', async () => {
    policy({ 'meds.text_value': 'coarsen' });
    const text = people.map((i) => (i % 2 ? 'SW1A 1AA' : 'DOB: 1980-02-03'));
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    await importDataset(db, {
      format: 'meds',
      path: medsWithColumn(
        'unit',
        people.map(() => 'mg'),
        text,
      ),
      importedBy: 't',
    });
    const values = db.prepare('SELECT DISTINCT text_value FROM events ORDER BY 1').pluck().all();
    // A free-text date of birth cannot be cut to its month safely, so it is emptied.
    expect(values).toEqual([null, 'SW1A']);
    db.close();
  });

  it('rejects OMOP tables with e-mail, phone, Taiwan id and address columns', async () => {
    const dir = tempDir();
    const rows = people.map(
      (i) =>
        `${i + 1},8507,1970,5,p${i}@example.org,+44 20 7946 ${String(1000 + i)},${i % 2 ? 'A123456789' : 'F131232216'}`,
    );
    writeFileSync(
      join(dir, 'person.csv'),
      'person_id,gender_concept_id,year_of_birth,month_of_birth,contact,telephone,national_id\n' +
        rows.join('\n') +
        '\n',
    );
    writeFileSync(
      join(dir, 'condition_occurrence.csv'),
      'person_id,condition_concept_id,condition_start_date,condition_source_value\n' +
        people
          .map((i) => `${i + 1},0,2019-01-01,${i < 4 ? `${i + 1} High Street` : 'E11'}`)
          .join('\n') +
        '\n',
    );
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const error = await rejection(() =>
      importDataset(db, { format: 'omop', path: dir, importedBy: 't' }),
    );
    expect(error.params.report).toBe(
      'person.csv column contact: email × 30; person.csv column telephone: phone_number × 30; ' +
        'person.csv column national_id: taiwan_national_id × 30',
    );
    expect(error.message).not.toMatch(/example\.org|7946|A123456789/);

    // With the person columns dropped, the condition table's addresses are found next.
    policy({ 'person.contact': 'drop', telephone: 'drop', national_id: 'drop' });
    const next = await rejection(() =>
      importDataset(db, { format: 'omop', path: dir, importedBy: 't' }),
    );
    expect(next.params.report).toBe(
      'condition_occurrence.csv column condition_source_value: street_address × 4',
    );
    expect(tableCount(db, 'datasets')).toBe(0);
    expect(tableCount(db, 'events')).toBe(0);
    db.close();
  });

  it.skipIf(missingSamples)(
    'imports the Synthea OMOP sample under the default policy',
    async () => {
      const db = openCache(join(tempDir(), 'cache.sqlite'));
      const dataset = await importDataset(db, {
        format: 'omop',
        path: samples.omopZip,
        importedBy: 't',
      });
      expect(dataset.subjects).toBeGreaterThan(0);
      const entry = listAudit({ action: 'import.complete' }, db).entries[0]!;
      // day_of_birth is dropped and birth_datetime coarsened for every person.
      expect(entry.counts.droppedIdentifierValues).toBe(dataset.subjects);
      expect(entry.counts.coarsenedIdentifierValues).toBe(dataset.subjects);
      db.close();
    },
    60_000,
  );
});
