import { exportTrainingData } from '../model/training-data';
import { UsageError, requireOption } from './usage';

interface ModelValues {
  dataset?: string;
  out?: string;
  'min-count'?: string;
}

/** `horizon model <subcommand>`: work on model training data. */
export async function runModelCommand(
  args: string[],
  values: ModelValues,
): Promise<{ json: unknown; text: string }> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'tokens') throw new UsageError('model needs a subcommand: tokens');
  if (rest.length > 0)
    throw new UsageError(`model tokens takes no arguments (got ${rest.join(' ')})`);

  const minCount = values['min-count'] === undefined ? undefined : Number(values['min-count']);
  if (minCount !== undefined && (!Number.isInteger(minCount) || minCount < 1))
    throw new UsageError(`--min-count must be a positive integer (got ${values['min-count']})`);

  const summary = await exportTrainingData({
    dataset: requireOption(values.dataset, '--dataset MEDS_DIR'),
    out: requireOption(values.out, '--out DIR'),
    minCount,
  });
  const text =
    `Tokenized ${summary.subjects} subjects into ${summary.tokens} tokens ` +
    `(vocabulary ${summary.vocabularySize}; ${summary.skippedSubjects} subjects skipped, ` +
    `${((100 * summary.readableEvents) / Math.max(1, summary.events)).toFixed(1)}% of events readable).`;
  return { json: { summary }, text };
}
