/**
 * The forecast inputs of the benchmark, built the way `runForecast` builds
 * them (electron/forecast/forecast.ts): everyone alive on the date, tokenized up
 * to it, truncated to half the context, grouped by history length in first-seen
 * order and cut into batches of floor(batchRows / samples) patients. The file
 * feeds the sampler-only timing, the KV-cache comparison and the PyTorch
 * reference, so all of them sample exactly the batches `runForecast` samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_BATCH_ROWS, newTokenBudget } from '../../electron/forecast/limits';
import { aliveAt, memberTimeline } from '../../electron/forecast/population';
import { parseDateTime } from '../../electron/ingest/time';
import type { LoadedModel } from '../../electron/model/model-folder';
import { subjectKey } from '../../electron/model/random';
import { tokenizeTimeline, truncateSequence } from '../../electron/model/tokenizer';
import type { Cache } from '../../electron/store/cache';

export interface HistoryBatch {
  /** subjectKey of each patient, which seeds its random streams as in runForecast. */
  keys: number[];
  tokens: number[][];
  ages: number[][];
  /** Age at the forecast date, where sampling starts (later than the last event). */
  startAges: number[];
  /** Chronic conditions truncated from each history, which the sampler still blocks. */
  droppedChronic: number[][];
}

export interface HistoriesFile {
  samples: number;
  horizonYears: number;
  maxNewTokens: number;
  /** Per token id: may be sampled, is a chronic condition, is death. */
  allowed: boolean[];
  chronic: boolean[];
  death: boolean[];
  noEvent: number;
  batches: HistoryBatch[];
}

export function buildHistories(
  cache: Cache,
  model: LoadedModel,
  options: { aliveAt: string; horizonDays: number; samples: number },
): HistoriesFile {
  const dataset = cache
    .prepare(`SELECT id FROM datasets WHERE status = 'complete' ORDER BY id DESC LIMIT 1`)
    .get() as { id: number };
  const indexTime = parseDateTime(options.aliveAt)!;
  const maxNewTokens = newTokenBudget(model.card.context_length, options.horizonDays);
  const { vocabulary } = model;
  const chronic = vocabulary.tokens.map(
    (token) => token.kind === 'condition' && token.chronic === true,
  );
  const byLength = new Map<number, HistoryBatch>();
  for (const member of aliveAt(cache, dataset.id, indexTime)) {
    const sequence = tokenizeTimeline(memberTimeline(cache, dataset.id, member), vocabulary, {
      until: member.indexTime,
      noEventYears: model.card.tokenizer.no_event_years,
    });
    if (sequence === null) continue;
    const history = truncateSequence(
      sequence,
      model.card.context_length - maxNewTokens,
      vocabulary,
    );
    const group = byLength.get(history.tokens.length) ?? {
      keys: [],
      tokens: [],
      ages: [],
      startAges: [],
      droppedChronic: [],
    };
    group.keys.push(subjectKey(member.subjectId));
    group.tokens.push(history.tokens);
    group.ages.push(history.ages);
    group.startAges.push(history.startAge ?? history.ages.at(-1)!);
    group.droppedChronic.push((history.dropped ?? []).filter((token) => chronic[token]));
    byLength.set(history.tokens.length, group);
  }

  const perBatch = Math.max(1, Math.floor(DEFAULT_BATCH_ROWS / options.samples));
  const batches: HistoryBatch[] = [];
  for (const group of byLength.values())
    for (let start = 0; start < group.keys.length; start += perBatch)
      batches.push({
        keys: group.keys.slice(start, start + perBatch),
        tokens: group.tokens.slice(start, start + perBatch),
        ages: group.ages.slice(start, start + perBatch),
        startAges: group.startAges.slice(start, start + perBatch),
        droppedChronic: group.droppedChronic.slice(start, start + perBatch),
      });

  const ids = vocabulary.tokens.map((_, id) => id);
  return {
    samples: options.samples,
    horizonYears: options.horizonDays / 365.25,
    maxNewTokens,
    allowed: ids.map((id) => vocabulary.predictable(id)),
    chronic,
    death: ids.map((id) => vocabulary.kind(id) === 'death'),
    noEvent: vocabulary.noEvent,
    batches,
  };
}

export function writeHistories(path: string, histories: HistoriesFile): void {
  writeFileSync(path, JSON.stringify(histories));
}

export function readHistories(path: string): HistoriesFile {
  return JSON.parse(readFileSync(path, 'utf8')) as HistoriesFile;
}

/** Select the first whole batches that together contain at least `patients` patients. */
export function firstBatches(histories: HistoriesFile, patients: number): HistoryBatch[] {
  const chosen: HistoryBatch[] = [];
  let count = 0;
  for (const batch of histories.batches) {
    if (count >= patients) break;
    chosen.push(batch);
    count += batch.keys.length;
  }
  return chosen;
}
