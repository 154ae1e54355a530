import { saveBacktestReport } from '../forecast/backtest-store';
import { writeFileSync } from 'node:fs';
import type { BacktestReport } from '../../shared/backtest';
import { runBacktest } from '../forecast/backtest';
import {
  newestSyntheticDataset,
  synthesisOf,
  writeSyntheticTruth,
} from '../forecast/synthetic-truth';
import { ForecastRequestError, checkForecastRequest } from '../forecast/limits';
import { loadModel } from '../model/model-folder';
import { openExistingCache } from './existing-cache';
import { integer, modelOptions, withSignals } from './forecast-command';
import { UsageError, requireOption } from './usage';

interface BacktestValues {
  db?: string;
  model?: string;
  cutoff?: string;
  'horizon-days'?: string;
  samples?: string;
  seed?: string;
  truth?: string;
  'max-people'?: string;
  ep?: string;
  threads?: string;
  'dataset-id'?: string;
  out?: string;
  json?: boolean;
}

/** `horizon backtest`: forecast from the history before a cutoff and score it on what followed. */
export async function runBacktestCommand(
  args: string[],
  values: BacktestValues,
  createdBy: string,
): Promise<{ json: unknown; text: string }> {
  if (args.length > 0) throw new UsageError(`backtest takes no arguments (got ${args.join(' ')})`);
  const db = requireOption(values.db, '--db FILE');
  const modelFolder = requireOption(values.model, '--model DIR');
  const cutoff = requireOption(values.cutoff, '--cutoff YYYY-MM-DD');
  const out = requireOption(values.out, '--out report.json');
  const horizonDays = integer(
    requireOption(values['horizon-days'], '--horizon-days N'),
    '--horizon-days',
  );
  const samples = integer(values.samples ?? '64', '--samples');
  const seed = integer(values.seed ?? '1', '--seed');
  const maxPeople =
    values['max-people'] === undefined ? undefined : integer(values['max-people'], '--max-people');
  if (maxPeople !== undefined && maxPeople < 1)
    throw new UsageError('--max-people must be at least 1');
  const datasetId =
    values['dataset-id'] === undefined ? undefined : integer(values['dataset-id'], '--dataset-id');
  try {
    checkForecastRequest({ horizonDays, samples, seed });
  } catch (error) {
    if (error instanceof ForecastRequestError) throw new UsageError(error.message);
    throw error;
  }

  const model = await loadModel(modelFolder, modelOptions(values));
  const cache = openExistingCache(db);
  const showProgress = !values.json && process.stderr.isTTY;
  // Held in an object because it is set inside the callback below.
  const truth: { file: { csv: string; remove(): void } | null } = { file: null };
  try {
    const report = await withSignals(async (signal) => {
      // `--truth synthetic`: simulate the cache's synthetic population again, as the app does.
      if (values.truth === SYNTHETIC_TRUTH) {
        const synthesis = synthesisOf(cache, datasetId);
        if (!synthesis) {
          const synthetic = newestSyntheticDataset(cache);
          const scored = datasetId === undefined ? 'the newest dataset' : `dataset ${datasetId}`;
          throw new Error(
            `--truth ${SYNTHETIC_TRUTH} needs a synthetic dataset (from horizon synth or the demo), ` +
              `but ${scored} is not one; ` +
              (synthetic === null
                ? 'pass a truth file from horizon truth instead'
                : `add --dataset-id ${synthetic} to backtest the synthetic population`),
          );
        }
        truth.file = await writeSyntheticTruth({
          synthesis,
          cutoff,
          horizonDays,
          people: maxPeople,
          signal,
        });
      }
      return runBacktest({
        cache,
        model,
        datasetId,
        cutoff,
        horizonDays,
        samples,
        seed,
        truthCsv: truth.file?.csv ?? values.truth,
        maxPeople,
        createdBy,
        signal,
        onProgress: showProgress
          ? (p) => process.stderr.write(`\rbacktest: ${p.phase} ${p.done} of ${p.total}`.padEnd(60))
          : undefined,
      });
    });
    if (showProgress) process.stderr.write('\n');
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
    // Also kept in the cache, where the Validation page lists it.
    const reportId = saveBacktestReport(cache, report, createdBy);
    return {
      json: { backtest: { out, reportId, summary: report.summary, people: report.people } },
      text: `${formatReport(report, out)}\nSaved in the cache as backtest report ${reportId}.`,
    };
  } finally {
    truth.file?.remove();
    cache.close();
    await model.release();
  }
}

/** The `--truth` value that requests the simulator's true risks of a synthetic cache. */
export const SYNTHETIC_TRUTH = 'synthetic';

function formatReport(report: BacktestReport, out: string): string {
  const { summary } = report;
  const number = (value: number | null | undefined, digits = 3) =>
    value === null || value === undefined ? '-' : value.toFixed(digits);
  const line = (name: string, source: BacktestReport['summary']['model']) =>
    `  ${name.padEnd(9)} mean AUROC ${number(source.meanAuroc)}, calibration slope ${number(source.calibrationSlope, 2)}, ` +
    `mean Brier ${number(source.brier, 5)}`;
  return [
    `Backtest of ${report.model.id} ${report.model.version} on ${report.people} people alive at ${report.cutoff}, ` +
      `horizon ${report.horizonDays} days, ${report.samples} samples, on ${report.executionProvider} in ${report.seconds.toFixed(0)} s.`,
    `Codes with at least ${report.minPositives} positives: ${summary.codesCompared}; the model beats the age-sex baseline on ${summary.codesBeatingBaseline}.`,
    line('model', summary.model),
    line('baseline', summary.baseline),
    summary.truth ? line('truth', summary.truth) : '',
    summary.aurocRatioToTruth != null
      ? `  model / truth mean AUROC: ${number(summary.aurocRatioToTruth)}`
      : '',
    `Report: ${out}`,
  ]
    .filter(Boolean)
    .join('\n');
}
