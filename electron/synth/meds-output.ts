/**
 * `synthesizeMeds`: stream a synthetic population into a MEDS directory.
 *
 * People are simulated one at a time, each from their own PRNG streams, and
 * their rows go to the shard of their split. Row groups close at a fixed row
 * count and shards at a fixed subject count, so the files do not depend on the
 * batch size, and memory stays bounded by one row group per split.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { HorizonError } from '../../shared/errors';
import {
  MEDS_COLUMNS,
  ShardWriter,
  SubjectSplitsWriter,
  writeCodesParquet,
  writeDatasetJson,
} from '../meds/writer';
import { formatDay } from './calendar';
import { CODE, CODE_NAMES, CODES } from './codes';
import { Model } from './model';
import { simulatePerson, splitOf, SPLITS, type Split } from './person';

/** Bumped whenever the same seed gives different data; stored in dataset.json. */
export const MODEL_VERSION = 1;
export const SYNTHETIC_DATASET_NAME = 'Horizon synthetic population';
export const DEFAULT_START = '2010-01-01';
export const DEFAULT_END = '2024-12-31';

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_MINUTE = 60_000_000;
const CREATED_BY = `horizon synth ${MODEL_VERSION}`;

export interface SynthesisProgress {
  people: number;
  total: number;
}

export interface SynthesizeOptions {
  people: number;
  seed: number;
  /** First day of the records, YYYY-MM-DD (default 2010-01-01). */
  start?: string;
  /** Records end before this day, YYYY-MM-DD (default 2024-12-31). */
  end?: string;
  /** Output directory. It must not exist, be empty, or hold an earlier synthetic population. */
  dir: string;
  signal?: AbortSignal;
  onProgress?: (progress: SynthesisProgress) => void;
  /** People simulated between progress reports and cancellation checks (default 1,000). */
  batchSize?: number;
  /** Rows per parquet row group (default 100,000). */
  rowGroupSize?: number;
  /** Subjects per data shard of each split (default 100,000). */
  subjectsPerShard?: number;
}

export interface SynthesisSummary {
  dir: string;
  people: number;
  events: number;
  shards: string[];
}

/** Synthesis parameters in dataset.json, from which `computeTruth` rebuilds every person. */
export interface SynthesisParameters {
  seed: number;
  people: number;
  start: string;
  end: string;
  model_version: number;
}

/** Write a synthetic population as a MEDS directory; on error or cancellation nothing is left. */
export async function synthesizeMeds(options: SynthesizeOptions): Promise<SynthesisSummary> {
  const people = requireCount(options.people, 'people count');
  const seed = requireSeed(options.seed);
  const start = options.start ?? DEFAULT_START;
  const end = options.end ?? DEFAULT_END;
  const model = Model.fromDates(start, end);
  const batchSize = options.batchSize ?? 1000;
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const subjectsPerShard = options.subjectsPerShard ?? 100_000;

  const dir = resolve(options.dir);
  checkOutputDir(dir);
  const partial = join(dirname(dir), `.${dir.split(/[\\/]/).pop()}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'metadata'), { recursive: true });

  try {
    const shards = new Map<Split, SplitShards>(
      SPLITS.map((split) => [
        split,
        new SplitShards(partial, split, rowGroupSize, subjectsPerShard),
      ]),
    );
    const splits = new SubjectSplitsWriter(join(partial, 'metadata', 'subject_splits.parquet'));
    let events = 0;

    for (let index = 0; index < people; index++) {
      const person = simulatePerson(model, seed, index);
      const split = splitOf(seed, index);
      events += shards.get(split)!.add(person.subjectId, person.sex, person.days, person.codes);
      splits.add(person.subjectId, split);

      if ((index + 1) % batchSize === 0 || index + 1 === people) {
        options.onProgress?.({ people: index + 1, total: people });
        await nextTick();
        if (options.signal?.aborted) throw cancelled();
      }
    }

    const shardPaths: string[] = [];
    for (const split of SPLITS) shardPaths.push(...shards.get(split)!.finish());
    splits.finish();
    writeCodesParquet(join(partial, 'metadata', 'codes.parquet'), CODES);
    const parameters: SynthesisParameters = {
      seed,
      people,
      start: formatDay(model.windowStart),
      end: formatDay(model.windowEnd),
      model_version: MODEL_VERSION,
    };
    writeDatasetJson(join(partial, 'metadata', 'dataset.json'), {
      dataset_name: SYNTHETIC_DATASET_NAME,
      dataset_version: `seed-${seed}-people-${people}`,
      etl_name: 'horizon synth',
      etl_version: String(MODEL_VERSION),
      meds_version: '0.3.3',
      synthetic: true,
      synthesis: parameters,
    });

    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    return { dir, people, events, shards: shardPaths };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Rows of one split, written as shards of at most `subjectsPerShard` subjects. */
class SplitShards {
  private writer: ShardWriter | null = null;
  private readonly paths: string[] = [];
  private subjectsInShard = 0;
  private subjectIds: bigint[] = [];
  private times: (number | null)[] = [];
  private codes: string[] = [];

  constructor(
    private readonly root: string,
    private readonly split: Split,
    private readonly rowGroupSize: number,
    private readonly subjectsPerShard: number,
  ) {}

  /** Add one subject's rows (static gender row first); returns the number of rows. */
  add(subjectId: number, sex: number, days: number[], codes: number[]): number {
    if (this.writer === null || this.subjectsInShard === this.subjectsPerShard) this.openShard();
    this.subjectsInShard++;
    const id = BigInt(subjectId);

    this.push(id, null, CODE_NAMES[sex === 1 ? CODE.male : CODE.female]!);
    for (let i = 0; i < days.length; i++) {
      // Times are kept to the minute, like a timestamped record.
      const micros =
        Math.floor((days[i]! * MICROS_PER_DAY) / MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
      this.push(id, micros, CODE_NAMES[codes[i]!]!);
    }
    return days.length + 1;
  }

  private push(id: bigint, time: number | null, code: string): void {
    this.subjectIds.push(id);
    this.times.push(time);
    this.codes.push(code);
    if (this.codes.length >= this.rowGroupSize) this.flush();
  }

  private flush(): void {
    const rows = this.codes.length;
    if (rows === 0 || this.writer === null) return;
    this.writer.write(
      {
        subject_id: this.subjectIds,
        time: this.times,
        code: this.codes,
        numeric_value: new Array<null>(rows).fill(null),
        text_value: new Array<null>(rows).fill(null),
      },
      rows,
    );
    this.subjectIds = [];
    this.times = [];
    this.codes = [];
  }

  private openShard(): void {
    this.flush();
    this.writer?.finish();
    const relative = `data/${this.split}/${this.paths.length}.parquet`;
    mkdirSync(join(this.root, 'data', this.split), { recursive: true });
    this.paths.push(relative);
    this.writer = new ShardWriter(join(this.root, relative), MEDS_COLUMNS, CREATED_BY);
    this.subjectsInShard = 0;
  }

  finish(): string[] {
    this.flush();
    this.writer?.finish();
    return this.paths;
  }
}

/** Refuse to overwrite a directory unless it is empty or an earlier synthetic population. */
function checkOutputDir(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  if (existsSync(join(dir, 'metadata', 'dataset.json')) && existsSync(join(dir, 'data'))) {
    const text = readJson(join(dir, 'metadata', 'dataset.json'));
    if (text?.synthetic === true) return;
  }
  throw new HorizonError(
    'invalid_request',
    `Output directory ${dir} exists and is not an earlier synthetic population. Choose an empty or new directory.`,
    { path: dir },
  );
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function requireCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new HorizonError(
      'invalid_request',
      `Invalid ${what} ${value}: expected a positive integer.`,
    );
  return value;
}

export function requireSeed(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff)
    throw new HorizonError(
      'invalid_request',
      `Invalid seed ${value}: expected an integer from 0 to 4294967295.`,
    );
  return value;
}

export function cancelled(): HorizonError {
  return new HorizonError(
    'import_cancelled',
    'The synthesis was cancelled; nothing of it was kept.',
  );
}
