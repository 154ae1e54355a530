/** The `synth` and `truth` commands: the synthetic population without a window. */
import { currentUser } from '../ipc/handlers';
import { openCache } from '../store/cache';
import {
  computeTruth,
  describePopulation,
  formatPopulation,
  synthesizeIntoCache,
  synthesizeMeds,
} from '../synth';
import {
  DEFAULT_REPLICATES,
  checkTruth,
  codesOutsideTolerance,
  formatTruthCheck,
} from '../synth/truth-check';
import { UsageError } from './usage';

export interface SynthValues {
  db?: string;
  people?: string;
  seed?: string;
  start?: string;
  end?: string;
  out?: string;
  describe?: boolean;
  dataset?: string;
  cutoff?: string;
  'horizon-days'?: string;
  'max-standard-error'?: string;
  check?: boolean;
  replicates?: string;
  'as-new-version'?: boolean;
  json?: boolean;
}

type Result = { json: unknown; text: string };

export async function runSynth(args: string[], values: SynthValues): Promise<Result> {
  if (args.length > 0) throw new UsageError(`synth takes no arguments (got ${args.join(' ')})`);
  const people = integerOption(values.people, '--people N', values.describe ? 20_000 : undefined);
  const seed = integerOption(values.seed, '--seed S', values.describe ? 1 : undefined);

  if (values.describe) {
    const description = describePopulation({ people, seed, start: values.start, end: values.end });
    return { json: { description }, text: formatPopulation(description) };
  }
  if ((values.out === undefined) === (values.db === undefined))
    throw new UsageError('synth needs exactly one of --out DIR and --db FILE (or --describe)');

  const progress = progressPrinter(values.json ?? false, 'people');
  return withAbort(async (signal) => {
    if (values.out !== undefined) {
      const summary = await synthesizeMeds({
        people,
        seed,
        start: values.start,
        end: values.end,
        dir: values.out,
        signal,
        onProgress: (p) => progress(p.people, p.total),
      });
      progress.done();
      const text = `Wrote ${summary.people} synthetic people (${summary.events} events, ${summary.shards.length} shards) to ${summary.dir}`;
      return { json: { synthesis: summary }, text };
    }
    const cache = openCache(values.db!);
    try {
      const dataset = await synthesizeIntoCache(cache, {
        people,
        seed,
        start: values.start,
        end: values.end,
        importedBy: currentUser(),
        asNewVersion: values['as-new-version'] ?? false,
        signal,
        onProgress: (p) =>
          p.phase === 'simulating' ? progress(p.rows, p.totalRows ?? 0) : undefined,
      });
      progress.done();
      const text = `Added "${dataset.name}" version ${dataset.version} (dataset ${dataset.id}): ${dataset.subjects} subjects, ${dataset.events} events`;
      return { json: { dataset }, text };
    } finally {
      cache.close();
    }
  });
}

export async function runTruth(args: string[], values: SynthValues): Promise<Result> {
  if (args.length > 0) throw new UsageError(`truth takes no arguments (got ${args.join(' ')})`);
  if (!values.dataset) throw new UsageError('missing --dataset DIR');
  if (!values.cutoff) throw new UsageError('missing --cutoff DATE');
  if (!values.out) throw new UsageError('missing --out FILE.csv');
  const horizonDays = integerOption(values['horizon-days'], '--horizon-days N');
  const maxStandardError =
    values['max-standard-error'] === undefined ? undefined : Number(values['max-standard-error']);
  if (maxStandardError !== undefined && !(maxStandardError > 0))
    throw new UsageError('--max-standard-error needs a positive number');

  const progress = progressPrinter(values.json ?? false, 'people');
  if (values.check) return runTruthCheck(values, horizonDays, maxStandardError, progress);
  return withAbort(async (signal) => {
    const summary = await computeTruth({
      dataset: values.dataset!,
      cutoff: values.cutoff!,
      horizonDays,
      maxStandardError,
      out: values.out,
      signal,
      onProgress: (p) => progress(p.people, p.total),
    });
    progress.done();
    const text =
      `Wrote the true risks of ${summary.people} people to ${values.out} ` +
      `(largest standard error ${summary.maxStandardError.toFixed(4)}, ${summary.meanDraws.toFixed(0)} draws per person on average` +
      (summary.peopleAboveTarget > 0
        ? `, ${summary.peopleAboveTarget} people above the target)`
        : ')');
    return { json: { truth: { ...summary, out: values.out } }, text };
  });
}

/** `truth --check`: write the truth and compare it with the recorded and continued shares. */
async function runTruthCheck(
  values: SynthValues,
  horizonDays: number,
  maxStandardError: number | undefined,
  progress: ReturnType<typeof progressPrinter>,
): Promise<Result> {
  const replicates = integerOption(values.replicates, '--replicates R', DEFAULT_REPLICATES);
  return withAbort(async (signal) => {
    const check = await checkTruth({
      dataset: values.dataset!,
      cutoff: values.cutoff!,
      horizonDays,
      maxStandardError,
      replicates,
      out: values.out,
      signal,
      onProgress: (p) => progress(p.people, p.total),
    });
    progress.done();
    const outside = codesOutsideTolerance(check).map((code) => code.code);
    const codes = check.codes.map(({ code, expected, observed, continued, continuedZ }) => ({
      code,
      expected,
      recorded: observed,
      continued,
      z: continuedZ,
    }));
    const text =
      `Wrote the true risks of ${check.people} people to ${values.out}.\n` +
      formatTruthCheck(check) +
      `\n${outside.length === 0 ? 'Every code' : `${check.codes.length - outside.length} of ${check.codes.length} codes`} ` +
      `within 10% of the continued share${outside.length > 0 ? ` (outside: ${outside.join(', ')})` : ''}.`;
    return {
      json: {
        truth: { ...check.summary, out: values.out, replicates, codes, outsideTolerance: outside },
      },
      text,
    };
  });
}

function integerOption(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`missing ${name}`);
  }
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0)
    throw new UsageError(`${name.split(' ')[0]} needs a non-negative integer (got ${value})`);
  return number;
}

async function withAbort<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Progress on stderr when it is a terminal and --json is off. */
function progressPrinter(json: boolean, unit: string) {
  const show = !json && process.stderr.isTTY;
  const print = (done: number, total: number) => {
    if (show)
      process.stderr.write(
        `\r${done.toLocaleString('en')} / ${total.toLocaleString('en')} ${unit}`.padEnd(60),
      );
  };
  print.done = () => {
    if (show) process.stderr.write('\n');
  };
  return print;
}
