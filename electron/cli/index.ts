/**
 * The `horizon` command: the same domain modules as the app, without a window.
 * Run from source with `npm run horizon -- <command>`.
 */
import { parseArgs } from 'node:util';
import { toErrorPayload } from '../../shared/errors';
import { currentUser } from '../ipc/handlers';
import { importDataset } from '../ingest';
import { setDefaultLogLevel } from '../log';
import { openCache } from '../store/cache';
import { cacheInfo, listDatasets } from '../store/datasets';
import { openExistingCache } from './existing-cache';
import { runAuditCommand } from './audit-command';
import { runExportCommand } from './export-command';
import { runBacktestCommand } from './backtest-command';
import { runCohort } from './cohort';
import { runForecastCommand } from './forecast-command';
import { runModelCommand } from './model-command';
import { runOptOutCommand } from './optout-command';
import { formatDatasets } from './output';
import { runSynth, runTruth } from './synth';
import { USAGE, UsageError, requireOption } from './usage';

const options = {
  db: { type: 'string' },
  format: { type: 'string' },
  name: { type: 'string' },
  'as-new-version': { type: 'boolean' },
  definition: { type: 'string' },
  attrition: { type: 'boolean' },
  'cohort-version': { type: 'string' },
  people: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  describe: { type: 'boolean' },
  cutoff: { type: 'string' },
  'horizon-days': { type: 'string' },
  'max-standard-error': { type: 'string' },
  truth: { type: 'string' },
  'max-people': { type: 'string' },
  check: { type: 'boolean' },
  replicates: { type: 'string' },
  dataset: { type: 'string' },
  out: { type: 'string' },
  'min-count': { type: 'string' },
  model: { type: 'string' },
  'alive-at': { type: 'string' },
  cohort: { type: 'string' },
  samples: { type: 'string' },
  ep: { type: 'string' },
  threads: { type: 'string' },
  'dataset-id': { type: 'string' },
  log: { type: 'string' },
  column: { type: 'string' },
  action: { type: 'string' },
  user: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  airlock: { type: 'string' },
  outbox: { type: 'string' },
  title: { type: 'string' },
  purpose: { type: 'string' },
  request: { type: 'string' },
  output: { type: 'string' },
  file: { type: 'string' },
  'file-id': { type: 'string' },
  context: { type: 'string' },
  group: { type: 'string' },
  decision: { type: 'string' },
  comment: { type: 'string' },
  private: { type: 'boolean' },
  controls: { type: 'string' },
  'forecast-run': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values'];

async function main(argv: string[]): Promise<number> {
  setDefaultLogLevel('warn');
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseCommandLine(argv);
    json = values.json ?? false;
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined && !values.help ? 2 : 0;
    }

    const result = await run(command, rest, values);
    process.stdout.write((json ? JSON.stringify(result.json) : result.text) + '\n');
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      if (json)
        process.stdout.write(
          JSON.stringify({ error: { code: 'usage', message: error.message } }) + '\n',
        );
      else process.stderr.write(`horizon: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const payload = toErrorPayload(error);
    if (json) process.stdout.write(JSON.stringify({ error: payload }) + '\n');
    else process.stderr.write(`horizon: ${payload.message}\n`);
    return 1;
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function run(
  command: string,
  args: string[],
  values: Values,
): Promise<{ json: unknown; text: string; exitCode?: number }> {
  if (command === 'audit') return runAuditCommand(args, values);
  if (command === 'export') return runExportCommand(args, values);
  if (command === 'optout') return runOptOutCommand(args, values);
  if (command === 'model') return runModelCommand(args, values);
  if (command === 'cohort') return runCohort(args, values);
  if (command === 'forecast') return runForecastCommand(args, values, currentUser());
  if (command === 'backtest') return runBacktestCommand(args, values, currentUser());
  if (command === 'synth') return runSynth(args, values);
  if (command === 'truth') return runTruth(args, values);
  const db = requireOption(values.db, '--db FILE');
  switch (command) {
    case 'import':
      return runImport(db, args, values);
    case 'datasets': {
      noArguments(command, args);
      const cache = openExistingCache(db);
      try {
        const datasets = listDatasets(cache);
        return { json: { datasets }, text: formatDatasets(datasets) };
      } finally {
        cache.close();
      }
    }
    case 'info': {
      noArguments(command, args);
      const cache = openExistingCache(db);
      try {
        const info = cacheInfo(cache);
        const text = [
          `cache:          ${info.path}`,
          `schema version: ${info.schemaVersion}`,
          `size:           ${(info.sizeBytes / 1e6).toFixed(1)} MB`,
          `datasets:       ${info.datasets}`,
          `subjects:       ${info.subjects}`,
          `events:         ${info.events}`,
          `codes:          ${info.codes}`,
        ].join('\n');
        return { json: { cache: info }, text };
      } finally {
        cache.close();
      }
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runImport(db: string, args: string[], values: Values) {
  const format = values.format;
  if (format !== 'meds' && format !== 'omop')
    throw new UsageError('import needs --format meds or --format omop');
  if (args.length !== 1)
    throw new UsageError(
      'import needs exactly one PATH (a MEDS directory, or an OMOP folder or zip)',
    );

  const cache = openCache(db);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const showProgress = !values.json && process.stderr.isTTY;
  try {
    const dataset = await importDataset(cache, {
      format,
      path: args[0]!,
      name: values.name,
      asNewVersion: values['as-new-version'] ?? false,
      importedBy: currentUser(),
      signal: abort.signal,
      onProgress: showProgress
        ? (p) =>
            process.stderr.write(
              `\r${p.phase} ${p.file ?? ''} ${p.rows.toLocaleString('en')} rows`.padEnd(80),
            )
        : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    const text =
      `Imported "${dataset.name}" version ${dataset.version} (dataset ${dataset.id}): ` +
      `${dataset.subjects} subjects, ${dataset.events} events, ${dataset.codes} codes in ${(dataset.durationMs / 1000).toFixed(1)} s` +
      dataset.warnings.map((warning) => `\nwarning: ${warning}`).join('');
    return { json: { dataset }, text };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cache.close();
  }
}

function noArguments(command: string, args: string[]): void {
  if (args.length > 0)
    throw new UsageError(`${command} takes no arguments (got ${args.join(' ')})`);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
