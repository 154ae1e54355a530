import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelCode } from './code-mapping';
import { readCodeDescriptions, readMedsTimelines } from './meds-timelines';
import { NpyWriter } from './npy';
import { tokenizeTimeline } from './tokenizer';
import { buildVocabulary, type VocabularyToken } from './vocabulary';

/** Conditions with fewer repeat diagnoses than this share of their occurrences count as chronic. */
const CHRONIC_REPEAT_SHARE = 0.01;

export interface TrainingDataOptions {
  /** MEDS directory to read. */
  dataset: string;
  /** Folder to write the arrays and the vocabulary into (created if missing). */
  out: string;
  /** Codes seen fewer times than this get no token (default 10). */
  minCount?: number;
  /** Years of silence after which a no-event token is inserted (default 5). */
  noEventYears?: number;
}

export interface TrainingDataSummary {
  dataset: string;
  subjects: number;
  /** Subjects left out because their birth time is unknown or they have fewer than two tokens. */
  skippedSubjects: number;
  tokens: number;
  events: number;
  readableEvents: number;
  vocabularySize: number;
  minCount: number;
  noEventYears: number;
}

/**
 * Tokenize a MEDS directory for training, with the same tokenizer inference
 * uses. Writes `tokens.npy` (int32), `ages.npy` (float32, years),
 * `offsets.npy` (int64, subjects + 1 entries: subject i owns
 * tokens[offsets[i]:offsets[i+1]]), `subjects.npy` (int64 subject ids),
 * `vocabulary.json` and `summary.json`.
 */
export async function exportTrainingData(
  options: TrainingDataOptions,
): Promise<TrainingDataSummary> {
  const minCount = options.minCount ?? 10;
  const noEventYears = options.noEventYears ?? 5;
  mkdirSync(options.out, { recursive: true });

  // First pass: count codes, so the vocabulary keeps only codes with enough examples to learn.
  const counts = new Map<string, number>();
  const repeats = new Map<string, number>();
  for await (const timeline of readMedsTimelines(options.dataset)) {
    const seen = new Set<string>();
    for (const event of timeline.events) {
      const code = modelCode(event.code);
      if (code === null) continue;
      counts.set(code, (counts.get(code) ?? 0) + 1);
      if (seen.has(code)) repeats.set(code, (repeats.get(code) ?? 0) + 1);
      seen.add(code);
    }
  }
  const vocabulary = buildVocabulary(counts, await readCodeDescriptions(options.dataset), minCount);
  markChronicConditions(vocabulary.tokens, counts, repeats);
  writeFileSync(join(options.out, 'vocabulary.json'), JSON.stringify(vocabulary.tokens, null, 1));

  // Second pass: tokenize and stream the arrays to disk.
  const tokens = new NpyWriter(join(options.out, 'tokens.npy'), '<i4');
  const ages = new NpyWriter(join(options.out, 'ages.npy'), '<f4');
  const offsets: bigint[] = [0n];
  const subjects: bigint[] = [];
  const summary: TrainingDataSummary = {
    dataset: options.dataset,
    subjects: 0,
    skippedSubjects: 0,
    tokens: 0,
    events: 0,
    readableEvents: 0,
    vocabularySize: vocabulary.size,
    minCount,
    noEventYears,
  };
  for await (const timeline of readMedsTimelines(options.dataset)) {
    const sequence = tokenizeTimeline(timeline, vocabulary, { noEventYears });
    if (sequence === null || sequence.tokens.length < 2) {
      summary.skippedSubjects++;
      continue;
    }
    tokens.write(Int32Array.from(sequence.tokens));
    ages.write(Float32Array.from(sequence.ages));
    summary.subjects++;
    summary.tokens += sequence.tokens.length;
    summary.events += sequence.events;
    summary.readableEvents += sequence.readable;
    offsets.push(BigInt(summary.tokens));
    subjects.push(BigInt(timeline.subjectId));
  }
  tokens.finish();
  ages.finish();
  writeArray(join(options.out, 'offsets.npy'), BigInt64Array.from(offsets));
  writeArray(join(options.out, 'subjects.npy'), BigInt64Array.from(subjects));
  writeFileSync(join(options.out, 'summary.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/**
 * Mark conditions that (almost) never recur within a person as chronic, so
 * sampling does not generate a second diagnosis of them. Acute conditions,
 * such as infections, recur and stay unmarked.
 */
function markChronicConditions(
  tokens: readonly VocabularyToken[],
  counts: ReadonlyMap<string, number>,
  repeats: ReadonlyMap<string, number>,
): void {
  for (const token of tokens) {
    if (token.kind !== 'condition') continue;
    const share = (repeats.get(token.code) ?? 0) / (counts.get(token.code) ?? 1);
    token.chronic = share < CHRONIC_REPEAT_SHARE;
  }
}

function writeArray(path: string, values: BigInt64Array): void {
  const writer = new NpyWriter(path, '<i8');
  writer.write(values);
  writer.finish();
}
