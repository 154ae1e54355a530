import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileScan } from '../deid';
import type { DatasetSource, ReadContext } from '../reader';
import { invalidInput } from '../input-error';
import { monthStart } from '../time';
import { openTableArchive, type TableArchive, type TableEntry } from './archive';
import { ConceptMap } from './concepts';
import { readCsvTable, type CsvRecord } from './csv-table';
import { integerField, numberField, timeField } from './fields';
import {
  conceptIds,
  EVENT_TABLES,
  eventTime,
  requiredColumns,
  type EventTableSpec,
} from './tables';
import { admissionCode, sexOf } from './vocabulary';

/** Tables read by the importer, in the order they are read. */
const READ_TABLES = [
  'concept',
  'concept_ancestor',
  'concept_relationship',
  'person',
  'observation_period',
  'visit_occurrence',
  ...EVENT_TABLES.map((spec) => spec.table),
  'death',
];

/** Open an OMOP CDM v5.3 or v5.4 export: a folder of CSV files or a zip of them. */
export async function openOmop(path: string): Promise<DatasetSource> {
  const archive = await openTableArchive(path);
  if (!archive.tables.has('person')) {
    archive.close();
    throw invalidInput(
      { file: path },
      `has no person table (found: ${[...archive.tables.keys()].join(', ') || 'no CSV files'})`,
      'An OMOP CDM export needs PERSON.csv (or person.csv) beside the clinical tables',
    );
  }

  const entries = READ_TABLES.map((table) => archive.tables.get(table)).filter(
    (entry) => entry !== undefined,
  );
  // A zip is identified by its own bytes; a folder by the tables it holds.
  const info = await stat(path);
  return {
    format: 'omop',
    files: info.isDirectory()
      ? entries.map((entry) => ({
          name: entry.name,
          path: join(path, entry.name),
          size: entry.size,
        }))
      : [{ name: basename(path), path, size: info.size }],
    defaultName: basename(path).replace(/\.zip$/i, ''),
    metadata: { tables: entries.map((entry) => entry.table) },
    read: (context) => readOmop(context, archive, entries),
    close: async () => archive.close(),
  };
}

async function readOmop(
  context: ReadContext,
  archive: TableArchive,
  entries: TableEntry[],
): Promise<void> {
  const table = (name: string) => archive.tables.get(name);
  context.progress.totalBytes = entries.reduce((sum, entry) => sum + entry.size, 0);

  const concepts = await ConceptMap.stage(context, table('concept'));
  try {
    await concepts.stageParents(context, table('concept_ancestor'), table('concept_relationship'));
    await readPersons(context, table('person')!);
    await readObservationPeriods(context, table('observation_period'));
    await readVisits(context, table('visit_occurrence'));
    for (const spec of EVENT_TABLES)
      await readEventTable(context, concepts, spec, table(spec.table));
    await readDeaths(context, table('death'));
    context.writer.commit();

    removeOrphans(context);
    context.writer.within(() => concepts.linkParents());
    context.writer.commit();
  } finally {
    concepts.drop();
  }
}

async function* records(
  context: ReadContext,
  entry: TableEntry,
  required: string[],
): AsyncGenerator<CsvRecord> {
  context.progress.file = entry.name;
  let count = 0;
  const stream = await entry.open();
  const scan: { current: FileScan | null } = { current: null };
  for await (const record of readCsvTable({
    file: entry.name,
    stream,
    required,
    onBytes: (bytes) => {
      context.progress.bytes += bytes;
    },
    onHeader: (header) => {
      scan.current = context.deid.file(entry.name, entry.table, header, '');
    },
    onRecord: (fields) => scan.current!.row(fields),
  })) {
    // A table that will be rejected is still scanned to the end, but nothing more of it is written.
    if (!scan.current?.rejecting) yield record;
    context.progress.rows++;
    if (++count % 5_000 === 0) {
      context.progress.report();
      await context.writer.checkpoint();
    }
  }
  scan.current?.finish();
}

async function readPersons(context: ReadContext, entry: TableEntry): Promise<void> {
  const insert = context.db.prepare(
    'INSERT INTO subjects (dataset_id, subject_id, sex, birth_time) VALUES (?, ?, ?, ?)',
  );
  const birthCode = context.codes.id('MEDS_BIRTH', { description: 'Birth' });
  let missingBirth = 0;

  for await (const record of records(context, entry, [
    'person_id',
    'gender_concept_id',
    'year_of_birth',
  ])) {
    const personId = integerField(record, 'person_id');
    if (context.writer.isExcluded(personId)) continue;
    const sex = sexOf(record.get('gender_concept_id').trim(), record.get('gender_source_value'));
    const birth = birthMonth(record);
    if (birth === null) missingBirth++;

    try {
      context.writer.within(() => insert.run(context.datasetId, personId, sex, birth));
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw invalidInput(
          { file: record.file, row: record.line, field: 'person_id' },
          'repeats a person_id of an earlier row',
          'Each person must appear once in the person table; remove the duplicate',
        );
      }
      throw error;
    }
    if (birth !== null) context.writer.add(personId, birth, birthCode, null, null);
    if (sex !== null)
      context.writer.add(personId, null, context.codes.id(`GENDER//${sex}`), null, null);
  }
  if (missingBirth > 0)
    context.warnings.push(
      `${missingBirth} persons without a valid year_of_birth have no birth event`,
    );
}

/**
 * Birth coarsened to the first of its month; day_of_birth and birth_datetime
 * are never read. A missing month becomes July, halving the worst-case age error.
 */
function birthMonth(record: CsvRecord): number | null {
  const year = numberField(record, 'year_of_birth');
  if (year === null || !Number.isInteger(year) || year < 1800) return null;
  const month = numberField(record, 'month_of_birth');
  return monthStart(year, month !== null && month >= 1 && month <= 12 ? month : 7);
}

async function readObservationPeriods(
  context: ReadContext,
  entry: TableEntry | undefined,
): Promise<void> {
  if (!entry) return;
  const insert = context.db.prepare(
    'INSERT INTO observation_periods (dataset_id, subject_id, start_time, end_time) VALUES (?, ?, ?, ?)',
  );
  const required = ['person_id', 'observation_period_start_date', 'observation_period_end_date'];
  for await (const record of records(context, entry, required)) {
    const personId = integerField(record, 'person_id');
    if (context.writer.isExcluded(personId)) continue;
    const start = timeField(
      record,
      'observation_period_start_datetime',
      'observation_period_start_date',
    );
    const end = timeField(record, 'observation_period_end_datetime', 'observation_period_end_date');
    context.writer.within(() => insert.run(context.datasetId, personId, start, end));
  }
}

async function readVisits(context: ReadContext, entry: TableEntry | undefined): Promise<void> {
  if (!entry) return;
  const descriptions: Record<string, string> = {
    'ADMISSION//INPATIENT': 'Inpatient admission',
    'ADMISSION//EMERGENCY': 'Emergency attendance',
    'ADMISSION//OUTPATIENT': 'Outpatient visit',
    'ADMISSION//OTHER': 'Other visit',
  };
  for await (const record of records(context, entry, [
    'person_id',
    'visit_concept_id',
    'visit_start_date',
  ])) {
    const code = admissionCode(record.get('visit_concept_id').trim());
    const time = timeField(record, 'visit_start_datetime', 'visit_start_date');
    context.writer.add(
      integerField(record, 'person_id'),
      time,
      context.codes.id(code, { description: descriptions[code] ?? null }),
      null,
      null,
    );
  }
}

async function readEventTable(
  context: ReadContext,
  concepts: ConceptMap,
  spec: EventTableSpec,
  entry: TableEntry | undefined,
): Promise<void> {
  if (!entry) return;
  let unmapped = 0;
  for await (const record of records(context, entry, requiredColumns(spec))) {
    const [standard, source] = conceptIds(record, spec);
    let codeId = concepts.codeId(standard) ?? concepts.codeId(source);
    if (codeId === null) {
      const sourceValue = spec.sourceValueColumn ? record.get(spec.sourceValueColumn).trim() : '';
      if (sourceValue === '') {
        unmapped++;
        continue;
      }
      codeId = context.codes.id(`${spec.sourcePrefix}//${sourceValue}`);
    }
    const value = spec.value?.(record) ?? { numeric: null, text: null };
    context.writer.add(
      integerField(record, 'person_id'),
      eventTime(record, spec),
      codeId,
      value.numeric,
      value.text,
    );
  }
  if (unmapped > 0)
    context.warnings.push(
      `${entry.name}: ${unmapped} rows without any concept or source value were skipped`,
    );
}

async function readDeaths(context: ReadContext, entry: TableEntry | undefined): Promise<void> {
  if (!entry) return;
  const deathCode = context.codes.id('MEDS_DEATH', { description: 'Death' });
  for await (const record of records(context, entry, ['person_id', 'death_date'])) {
    context.writer.add(
      integerField(record, 'person_id'),
      timeField(record, 'death_datetime', 'death_date'),
      deathCode,
      null,
      null,
    );
  }
}

/** Events and periods of person ids that are not in the person table cannot be used; drop and count them. */
function removeOrphans(context: ReadContext): void {
  const { db, datasetId } = context;
  const orphanFilter = `dataset_id = ? AND subject_id NOT IN (SELECT subject_id FROM subjects WHERE dataset_id = ?)`;
  const events = db
    .prepare(`DELETE FROM events WHERE ${orphanFilter}`)
    .run(datasetId, datasetId).changes;
  const periods = db
    .prepare(`DELETE FROM observation_periods WHERE ${orphanFilter}`)
    .run(datasetId, datasetId).changes;
  context.removedEvents += events;
  if (events > 0)
    context.warnings.push(
      `${events} events of person ids missing from the person table were skipped`,
    );
  if (periods > 0)
    context.warnings.push(`${periods} observation periods of unknown person ids were skipped`);
}
