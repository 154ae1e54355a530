import { ForecastCsv } from '../forecast/csv-output';
import { runForecast } from '../forecast/forecast';
import { ForecastRequestError, checkForecastRequest } from '../forecast/limits';
import { parseProviders } from '../model/execution-providers';
import { loadModel } from '../model/model-folder';
import { DEFAULT_DISCLOSURE_THRESHOLD } from '../../shared/cohorts';
import { maskExpectation } from '../forecast/run-queries';
import { openExistingCache } from './existing-cache';
import { UsageError, requireOption } from './usage';

interface ForecastValues {
  db?: string;
  model?: string;
  'alive-at'?: string;
  cohort?: string;
  'cohort-version'?: string;
  'horizon-days'?: string;
  samples?: string;
  seed?: string;
  ep?: string;
  threads?: string;
  'dataset-id'?: string;
  out?: string;
  json?: boolean;
}

/** `horizon forecast`: forecast everyone alive on a date, or a saved cohort, and store the run in the cache. */
export async function runForecastCommand(
  args: string[],
  values: ForecastValues,
  createdBy: string,
): Promise<{ json: unknown; text: string }> {
  if (args.length > 0) throw new UsageError(`forecast takes no arguments (got ${args.join(' ')})`);
  const db = requireOption(values.db, '--db FILE');
  const modelFolder = requireOption(values.model, '--model DIR');
  const aliveAt = values['alive-at'];
  if ((aliveAt === undefined) === (values.cohort === undefined))
    throw new UsageError('forecast needs exactly one of --alive-at YYYY-MM-DD or --cohort NAME');
  const cohort =
    values.cohort === undefined
      ? undefined
      : {
          name: values.cohort,
          version:
            values['cohort-version'] === undefined
              ? undefined
              : integer(values['cohort-version'], '--cohort-version'),
        };
  const population = cohort ? `members of cohort ${cohort.name}` : `members alive on ${aliveAt}`;
  const horizonDays = integer(
    requireOption(values['horizon-days'], '--horizon-days N'),
    '--horizon-days',
  );
  const samples = integer(values.samples ?? '100', '--samples');
  const seed = integer(values.seed ?? '1', '--seed');
  const datasetId =
    values['dataset-id'] === undefined ? undefined : integer(values['dataset-id'], '--dataset-id');
  const loadOptions = modelOptions(values);

  // Check the numbers before loading the model, which can take seconds on a GPU provider.
  try {
    checkForecastRequest({ horizonDays, samples, seed });
  } catch (error) {
    if (error instanceof ForecastRequestError) throw new UsageError(error.message);
    throw error;
  }

  const model = await loadModel(modelFolder, loadOptions);
  const cache = openExistingCache(db);
  const csv = values.out ? new ForecastCsv(values.out, model.vocabulary) : null;
  const showProgress = !values.json && process.stderr.isTTY;
  try {
    const run = await withSignals((signal) =>
      runForecast({
        cache,
        model,
        datasetId,
        aliveAt,
        cohort,
        horizonDays,
        samples,
        seed,
        createdBy,
        signal,
        onMember: csv
          ? (member, forecasts, coverage) => csv.add(member, forecasts, coverage)
          : undefined,
        onProgress: showProgress
          ? (p) => process.stderr.write(`\rforecast ${p.done} of ${p.members} members`.padEnd(60))
          : undefined,
      }),
    );
    if (showProgress) process.stderr.write('\n');
    const result = {
      ...run,
      model: { id: model.card.id, version: model.card.version, hash: model.hash },
      providerFailures: model.providerFailures,
      out: values.out ?? null,
    };
    // Expected cases below the disclosure threshold print masked, as the app shows them.
    const top = run.summary.expectedCases.slice(0, 5).map((c) => {
      const shown = maskExpectation(c, DEFAULT_DISCLOSURE_THRESHOLD);
      if (shown.masked) return `  ${c.code}: <${DEFAULT_DISCLOSURE_THRESHOLD}`;
      return `  ${c.code}: ${c.expected.toFixed(1)} (${c.low.toFixed(1)}-${c.high.toFixed(1)})`;
    });
    const text = [
      `Forecast run ${run.runId}: ${run.members} ${population}, ${samples} samples each, ` +
        `horizon ${horizonDays} days, on ${run.executionProvider} in ${run.seconds.toFixed(1)} s.`,
      `Coverage: ${(100 * run.coverage.share).toFixed(1)}% of events readable by the model.`,
      'Expected cases (95% prediction interval):',
      ...top,
      values.out ? `Per-member results: ${values.out}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    return { json: { forecast: result }, text };
  } finally {
    csv?.close();
    cache.close();
    await model.release();
  }
}

/** Execution providers and threads from --ep and --threads. */
export function modelOptions(values: { ep?: string; threads?: string }) {
  const threads = values.threads === undefined ? undefined : integer(values.threads, '--threads');
  try {
    const providers = values.ep === undefined ? undefined : parseProviders(values.ep);
    return { providers, threads };
  } catch (error) {
    throw new UsageError(`--ep: ${(error as Error).message}`);
  }
}

/** Run `work` with an AbortSignal that SIGINT and SIGTERM trigger. */
export async function withSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function integer(text: string, name: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new UsageError(`${name} must be a whole number (got ${text})`);
  return value;
}
