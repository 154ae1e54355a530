/**
 * Synthetic MEDS datasets for the import benchmark and for importer tests.
 *
 * `generateMeds` streams millions of deterministic events into sharded parquet
 * files, one row group at a time, so memory stays bounded by the row group size.
 * The parquet writers and `writeMedsDir`, which writes small test directories,
 * are in `electron/meds/writer.ts`, and the PRNG is in `electron/synth/prng.ts`.
 *
 * CLI: `tsx bench/import/generate-meds.ts --dir DIR [--events N] [--seed S]`
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  MEDS_COLUMNS,
  ShardWriter,
  toBigInts,
  writeCodesParquet,
  writeDatasetJson,
  writeSubjectSplitsParquet,
  type CodeMetadata,
} from '../../electron/meds/writer';
import { Prng } from '../../electron/synth/prng';

export { Prng } from '../../electron/synth/prng';

/** Bumped whenever the generated data changes for the same seed, so cached copies are rebuilt. */
export const GENERATOR_VERSION = 1;

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
const MICROS_PER_DAY = 24 * 60 * MICROS_PER_MINUTE;
const MICROS_PER_YEAR = 365.25 * MICROS_PER_DAY;

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

interface LabDefinition {
  /** Index into the vocabulary. */
  codeIndex: number;
  mean: number;
  sd: number;
  /** Qualitative labs carry a text_value and no numeric_value. */
  qualitative: boolean;
}

interface Vocabulary {
  /** Every code that occurs in the data. A code's interned id in the reference CSV is its index + 1. */
  codes: string[];
  /** codes.parquet rows: every data code plus parent codes that occur only in metadata. */
  metadata: CodeMetadata[];
  diagnoses: number[];
  drugs: number[];
  labs: LabDefinition[];
  birth: number;
  death: number;
  female: number;
  male: number;
  inpatient: number;
}

const ICD10_CHAPTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ATC_GROUPS = 'ABCDGHJLMNPRSV';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LAB_UNITS = ['mg/dL', 'mmol/L', 'g/L', 'U/L', '10*9/L', '%', 'mL/min/1.73m2', 'pg/mL'];

/** Build about 3,000 ICD-10, LOINC and ATC codes, deterministic for the PRNG state. */
function buildVocabulary(rng: Prng): Vocabulary {
  const codes: string[] = [];
  const metadata: CodeMetadata[] = [];
  const add = (code: string, description: string, parentCodes: string[] = []): number => {
    codes.push(code);
    metadata.push({ code, description, parentCodes });
    return codes.length - 1;
  };

  const birth = add('MEDS_BIRTH', 'Birth');
  const death = add('MEDS_DEATH', 'Death');
  const female = add('GENDER//F', 'Female');
  const male = add('GENDER//M', 'Male');
  const inpatient = add('ADMISSION//INPATIENT', 'Inpatient admission');

  // ICD-10: 600 three-character categories, most with a few four-character subcodes.
  const diagnoses: number[] = [];
  const categories = new Set<string>();
  while (categories.size < 600) {
    const chapter = ICD10_CHAPTERS[rng.int(ICD10_CHAPTERS.length)]!;
    categories.add(`${chapter}${String(rng.int(100)).padStart(2, '0')}`);
  }
  for (const category of categories) {
    const parent = `ICD10//${category}`;
    diagnoses.push(add(parent, `Synthetic diagnosis category ${category}`));
    const subcodes = rng.int(4);
    for (let digit = 0; digit < subcodes; digit++) {
      const code = `${category}.${digit}`;
      diagnoses.push(add(`ICD10//${code}`, `Synthetic diagnosis ${code}`, [parent]));
    }
  }

  // LOINC: 400 lab tests, one in twenty qualitative.
  const labs: LabDefinition[] = [];
  const loincNumbers = new Set<number>();
  while (loincNumbers.size < 400) loincNumbers.add(rng.range(1000, 99999));
  for (const number of loincNumbers) {
    const loinc = `${number}-${number % 10}`;
    const qualitative = rng.chance(0.05);
    const unit = rng.pick(LAB_UNITS);
    const codeIndex = add(
      `LOINC//${loinc}`,
      qualitative ? `Synthetic qualitative test ${loinc}` : `Synthetic lab ${loinc} (${unit})`,
    );
    const mean = Math.round(Math.exp(rng.next() * 6) * 10) / 10;
    labs.push({ codeIndex, mean, sd: mean * (0.05 + rng.next() * 0.25), qualitative });
  }

  // ATC: 900 fifth-level substances under their fourth-level chemical subgroups,
  // which are listed in codes.parquet only, as real MEDS metadata often does.
  const drugs: number[] = [];
  const substances = new Set<string>();
  const subgroups = new Set<string>();
  while (substances.size < 900) {
    const group = ATC_GROUPS[rng.int(ATC_GROUPS.length)]!;
    const subgroup =
      `${group}${String(rng.range(1, 16)).padStart(2, '0')}` +
      `${LETTERS[rng.int(8)]!}${LETTERS[rng.int(8)]!}`;
    const substance = `${subgroup}${String(rng.range(1, 30)).padStart(2, '0')}`;
    if (substances.has(substance)) continue;
    substances.add(substance);
    subgroups.add(subgroup);
    drugs.push(add(`ATC//${substance}`, `Synthetic substance ${substance}`, [`ATC//${subgroup}`]));
  }
  for (const subgroup of subgroups) {
    metadata.push({
      code: `ATC//${subgroup}`,
      description: `Synthetic chemical subgroup ${subgroup}`,
      parentCodes: [],
    });
  }

  return { codes, metadata, diagnoses, drugs, labs, birth, death, female, male, inpatient };
}

// ---------------------------------------------------------------------------
// Event batches
// ---------------------------------------------------------------------------

/** One row group of generated events, column by column. */
export interface EventBatch {
  length: number;
  subjectIds: number[];
  /** Microseconds since 1970-01-01 UTC, or null for static rows such as `GENDER//F`. */
  timesMicros: (number | null)[];
  /** Index into `GeneratedDataset.codes`. */
  codeIndexes: number[];
  /** Already rounded to float32, so a reader of the parquet files gets exactly these values. */
  numericValues: (number | null)[];
  textValues: (string | null)[];
}

function emptyBatch(): EventBatch {
  return {
    length: 0,
    subjectIds: [],
    timesMicros: [],
    codeIndexes: [],
    numericValues: [],
    textValues: [],
  };
}

function pushEvent(
  batch: EventBatch,
  subjectId: number,
  timeMicros: number | null,
  codeIndex: number,
  numericValue: number | null = null,
  textValue: string | null = null,
): void {
  batch.subjectIds.push(subjectId);
  batch.timesMicros.push(timeMicros);
  batch.codeIndexes.push(codeIndex);
  batch.numericValues.push(numericValue === null ? null : Math.fround(numericValue));
  batch.textValues.push(textValue);
  batch.length++;
}

// ---------------------------------------------------------------------------
// Parquet writing
// ---------------------------------------------------------------------------

function writeBatch(shard: ShardWriter, batch: EventBatch, codes: readonly string[]): void {
  shard.write(
    {
      subject_id: toBigInts(batch.subjectIds),
      time: batch.timesMicros,
      code: batch.codeIndexes.map((index) => codes[index]!),
      numeric_value: batch.numericValues,
      text_value: batch.textValues,
    },
    batch.length,
  );
}

// ---------------------------------------------------------------------------
// Large synthetic dataset
// ---------------------------------------------------------------------------

export interface GenerateMedsOptions {
  /** Output directory; replaced if it exists. */
  dir: string;
  /** Exact number of event rows to write. */
  events: number;
  seed: number;
  /** Rows per parquet row group (default 100,000). */
  rowGroupSize?: number;
  /** Target rows per shard (default 1,000,000). A shard is closed at the first subject boundary past it. */
  rowsPerShard?: number;
  /** Called with every row group as it is written, e.g. to write the same events as CSV. */
  onBatch?: (batch: EventBatch) => void;
}

export interface GeneratedDataset {
  dir: string;
  events: number;
  subjects: number;
  /** Distinct codes that occur in the data, in the order `EventBatch.codeIndexes` refers to. */
  codes: readonly string[];
  /** Data shard paths relative to `dir`. */
  shards: string[];
  bytes: number;
}

const FOLLOW_UP_END_MICROS = Date.UTC(2024, 11, 31) * 1000;
const EARLIEST_BIRTH_MICROS = Date.UTC(1930, 0, 1) * 1000;
const LATEST_BIRTH_MICROS = Date.UTC(2015, 0, 1) * 1000;
/** Records start here, or at birth for people born later. */
const RECORDS_START_MICROS = Date.UTC(1995, 0, 1) * 1000;
const QUALITATIVE_RESULTS = ['negative', 'positive', 'trace', 'not detected'];

/** Shard split by position: the last shard is held_out, the one before it tuning, when there are 3 or more. */
function splitOfShard(index: number, plannedShards: number): string {
  if (plannedShards >= 3 && index === plannedShards - 1) return 'held_out';
  if (plannedShards >= 3 && index === plannedShards - 2) return 'tuning';
  return 'train';
}

/**
 * Generator of subject timelines. Each `generate` call emits exactly `budget`
 * rows (at least 1) through `emit`, sorted by time with the static row first.
 */
class SubjectGenerator {
  constructor(
    private readonly rng: Prng,
    private readonly vocabulary: Vocabulary,
  ) {}

  /** Draw how many events the next subject has (log-normal, median about 80). */
  drawEventCount(): number {
    const count = Math.round(Math.exp(Math.log(80) + 0.9 * this.rng.normal()));
    return Math.min(3000, Math.max(3, count));
  }

  generate(subjectId: number, budget: number, emit: (row: PendingRow) => void): void {
    const { rng, vocabulary } = this;
    const birth =
      EARLIEST_BIRTH_MICROS + rng.next() * (LATEST_BIRTH_MICROS - EARLIEST_BIRTH_MICROS);
    const birthMicros = Math.floor(birth / MICROS_PER_DAY) * MICROS_PER_DAY;
    const ageAtEnd = (FOLLOW_UP_END_MICROS - birthMicros) / MICROS_PER_YEAR;
    const dies = rng.chance(Math.min(0.5, Math.max(0.01, (ageAtEnd - 40) / 150)));

    const start = Math.max(birthMicros + MICROS_PER_DAY, RECORDS_START_MICROS);
    let end = FOLLOW_UP_END_MICROS;
    if (dies) end = start + (0.5 + 0.5 * rng.next()) * (FOLLOW_UP_END_MICROS - start);

    let remaining = budget;
    const emitRow = (
      time: number | null,
      code: number,
      value: number | null = null,
      text: string | null = null,
    ): void => {
      emit({ subjectId, time, code, value, text });
      remaining--;
    };

    emitRow(null, rng.chance(0.5) ? vocabulary.female : vocabulary.male);
    if (remaining > 0) emitRow(birthMicros, vocabulary.birth);
    const deathReserved = dies && remaining > 1 ? 1 : 0;
    remaining -= deathReserved;

    // Each person has a few recurring conditions and medications.
    const chronicDiagnoses = [0, 1, 2].map(() => rng.pick(vocabulary.diagnoses));
    const chronicDrugs = [0, 1, 2].map(() => rng.pick(vocabulary.drugs));

    // Encounter times: sorted uniform points in [start, end) from normalised exponential gaps.
    const encounters = Math.max(1, Math.ceil(remaining / 5.5));
    const gaps = new Float64Array(encounters + 1);
    let total = 0;
    for (let i = 0; i <= encounters; i++) {
      gaps[i] = rng.exponential();
      total += gaps[i]!;
    }
    let cumulative = 0;
    let lastTime = start;
    for (let i = 0; i < encounters && remaining > 0; i++) {
      cumulative += gaps[i]!;
      const day = start + ((end - start) * cumulative) / total;
      const minuteOfDay = rng.range(7 * 60, 20 * 60);
      const time = Math.max(
        lastTime,
        Math.floor(day / MICROS_PER_DAY) * MICROS_PER_DAY + minuteOfDay * MICROS_PER_MINUTE,
      );
      lastTime = time;

      const inpatient = rng.chance(0.12);
      if (inpatient) emitRow(time, vocabulary.inpatient);
      const diagnoses = inpatient ? rng.range(2, 5) : rng.range(1, 2);
      for (let d = 0; d < diagnoses && remaining > 0; d++) {
        const code = rng.chance(0.5)
          ? rng.pick(chronicDiagnoses)
          : vocabulary.diagnoses[rng.skewedIndex(vocabulary.diagnoses.length)]!;
        emitRow(time, code);
      }
      const labs = inpatient ? rng.range(3, 10) : rng.range(0, 4);
      for (let l = 0; l < labs && remaining > 0; l++) {
        const lab = vocabulary.labs[rng.skewedIndex(vocabulary.labs.length)]!;
        if (lab.qualitative) {
          emitRow(time, lab.codeIndex, null, rng.pick(QUALITATIVE_RESULTS));
        } else {
          const value = Math.max(0, lab.mean + lab.sd * rng.normal());
          emitRow(time, lab.codeIndex, Math.round(value * 10) / 10);
        }
      }
      const drugs = inpatient ? rng.range(1, 4) : rng.range(0, 2);
      for (let m = 0; m < drugs && remaining > 0; m++) {
        const code = rng.chance(0.6)
          ? rng.pick(chronicDrugs)
          : vocabulary.drugs[rng.skewedIndex(vocabulary.drugs.length)]!;
        emitRow(time, code);
      }
      // Rows still left after the last encounter become extra lab results at its time.
      if (i === encounters - 1 && remaining > 0) encountersOverflow(remaining);
    }

    function encountersOverflow(rows: number): void {
      for (let r = 0; r < rows; r++) {
        const lab = vocabulary.labs[rng.skewedIndex(vocabulary.labs.length)]!;
        if (lab.qualitative) {
          emitRow(lastTime, lab.codeIndex, null, rng.pick(QUALITATIVE_RESULTS));
        } else {
          emitRow(lastTime, lab.codeIndex, Math.round(lab.mean * 10) / 10);
        }
      }
    }

    if (deathReserved) emitRow(Math.max(lastTime, Math.floor(end)), vocabulary.death);
  }
}

interface PendingRow {
  subjectId: number;
  time: number | null;
  code: number;
  value: number | null;
  text: string | null;
}

/**
 * Write a synthetic MEDS directory of exactly `events` rows, deterministic for `seed`.
 * Subjects never span shards. Shards go to `data/train`, `data/tuning` and
 * `data/held_out` by position, and `metadata/subject_splits.parquet` lists each
 * subject's split.
 */
export function generateMeds(options: GenerateMedsOptions): GeneratedDataset {
  const { events, seed } = options;
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const rowsPerShard = options.rowsPerShard ?? 1_000_000;
  if (!Number.isSafeInteger(events) || events < 1) {
    throw new Error(`Invalid events count ${events}: expected a positive integer.`);
  }
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new Error(`Invalid row group size ${rowGroupSize}: expected a positive integer.`);
  }

  const dir = resolve(options.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'metadata'), { recursive: true });

  const rng = new Prng(seed);
  const vocabulary = buildVocabulary(rng);
  const subjects = new SubjectGenerator(rng, vocabulary);
  const plannedShards = Math.max(1, Math.ceil(events / rowsPerShard));

  const shardPaths: string[] = [];
  const shardsPerSplit = new Map<string, number>();
  const subjectIds: number[] = [];
  const subjectSplits: string[] = [];

  let shard: ShardWriter | null = null;
  let shardSplit = 'train';
  let shardRows = 0;
  let batch = emptyBatch();
  let written = 0;

  const openShard = (): ShardWriter => {
    shardSplit = splitOfShard(shardPaths.length, plannedShards);
    const index = shardsPerSplit.get(shardSplit) ?? 0;
    shardsPerSplit.set(shardSplit, index + 1);
    const relative = `data/${shardSplit}/${index}.parquet`;
    mkdirSync(join(dir, 'data', shardSplit), { recursive: true });
    shardPaths.push(relative);
    shardRows = 0;
    return new ShardWriter(
      join(dir, relative),
      MEDS_COLUMNS,
      `horizon bench generate-meds ${GENERATOR_VERSION}`,
    );
  };
  const flushBatch = (): void => {
    if (batch.length === 0 || shard === null) return;
    writeBatch(shard, batch, vocabulary.codes);
    options.onBatch?.(batch);
    batch = emptyBatch();
  };
  const emit = (row: PendingRow): void => {
    pushEvent(batch, row.subjectId, row.time, row.code, row.value, row.text);
    shardRows++;
    written++;
    if (batch.length >= rowGroupSize) flushBatch();
  };

  let subjectId = 10_000_000;
  while (written < events) {
    if (shard === null) shard = openShard();
    subjectId += rng.range(1, 3);
    const budget = Math.min(subjects.drawEventCount(), events - written);
    subjects.generate(subjectId, budget, emit);
    subjectIds.push(subjectId);
    subjectSplits.push(shardSplit);
    if (shardRows >= rowsPerShard && written < events) {
      flushBatch();
      shard.finish();
      shard = null;
    }
  }
  flushBatch();
  shard?.finish();

  writeCodesParquet(join(dir, 'metadata', 'codes.parquet'), vocabulary.metadata);
  writeSubjectSplitsParquet(
    join(dir, 'metadata', 'subject_splits.parquet'),
    subjectIds,
    subjectSplits,
  );
  writeDatasetJson(join(dir, 'metadata', 'dataset.json'), {
    dataset_name: 'horizon-bench-synthetic',
    dataset_version: `seed-${seed}-events-${events}`,
    etl_name: 'horizon bench/import/generate-meds.ts',
    etl_version: String(GENERATOR_VERSION),
    meds_version: '0.3.3',
    created_at: '2025-01-01T00:00:00',
  });

  let bytes = 0;
  for (const relative of shardPaths) bytes += statSync(join(dir, relative)).size;
  return {
    dir,
    events: written,
    subjects: subjectIds.length,
    codes: vocabulary.codes,
    shards: shardPaths,
    bytes,
  };
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function main(): void {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      events: { type: 'string', default: '5000000' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.dir) {
    console.error('Missing --dir: the output directory of the MEDS dataset.');
    process.exit(2);
  }
  const started = performance.now();
  const result = generateMeds({
    dir: values.dir,
    events: Number(values.events),
    seed: Number(values.seed),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Wrote ${result.events} events of ${result.subjects} subjects (${result.codes.length} codes) ` +
      `in ${result.shards.length} shards, ${(result.bytes / 1e6).toFixed(1)} MB, to ${result.dir} in ${seconds.toFixed(1)} s.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
