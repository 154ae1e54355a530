import * as ort from 'onnxruntime-node';
import { startDecodeCache, type Decoder } from './decode-cache';
import { cacheNames, type LoadedModel } from './model-folder';
import type { Random } from './random';
import type { TokenSequence } from './tokenizer';

/** One sampled future: the events after the start, with their delay in years. */
export interface Trajectory {
  tokens: number[];
  delays: number[];
  /** The trajectory ended at a death token. */
  died: boolean;
  /** The token budget ran out before the horizon was reached. */
  truncated: boolean;
  /**
   * Per token, the rate integrated along this path from the start until the
   * token first occurs, death or the horizon (see member-summary.ts).
   */
  firstHazard: Float64Array;
  /** Per token, its rate (per year) just before its first occurrence; 0 when it did not occur. */
  firstRate: Float64Array;
}

export interface SampleRequest {
  /** Histories of equal length, each ending at its forecast start. */
  histories: TokenSequence[];
  /** One generator per history and sample: randoms[patient][sample]. */
  randoms: Random[][];
  horizonYears: number;
  /** Tokens each trajectory may generate before it is cut off. */
  maxNewTokens: number;
  /** Graph for the steps after the prefill (decode-cache.ts); default the step graph when the folder has one. */
  decoder?: Decoder;
}

/**
 * Sample future trajectories by competing exponentials: at each step every
 * predictable token k fires after an exponential time with rate
 * exp(logit_k) per year, and the earliest wins. Equivalently, the waiting time
 * is exponential with the total rate and the token is drawn in proportion to
 * its rate, which is how it is computed here. Input-only tokens and chronic
 * conditions the person already has are blocked. A trajectory stops at death,
 * at the horizon or when its token budget is spent. The histories are run
 * once and their key/value cache is copied to every sample, so each further
 * step runs one token per trajectory (decode-cache.ts).
 */
export async function sampleTrajectories(
  model: LoadedModel,
  request: SampleRequest,
): Promise<Trajectory[][]> {
  const { histories, randoms } = request;
  const patients = histories.length;
  const samples = randoms[0]!.length;
  const length = histories[0]!.tokens.length;
  if (histories.some((history) => history.tokens.length !== length))
    throw new Error('sampleTrajectories needs histories of equal length');
  const rows = patients * samples;
  const vocabulary = model.vocabulary;
  const vocab = vocabulary.size;
  const layers = model.card.architecture.layers;
  const { heads, head_dim: headDim } = model.card.architecture;

  // Run the histories once, then repeat each patient's cache for its samples.
  const prefill = await model.cached.run({
    tokens: int64Tensor(
      histories.flatMap((history) => history.tokens),
      [patients, length],
    ),
    ages: new ort.Tensor(
      'float32',
      Float32Array.from(histories.flatMap((history) => history.ages)),
      [patients, length],
    ),
    ...emptyCache(layers, patients, heads, headDim),
  });
  const cache = startDecodeCache(
    model,
    { output: prefill, patients, length },
    samples,
    request.maxNewTokens,
    request.decoder,
  );
  let logits = lastPositionLogits(prefill.logits!, patients, length, vocab, samples);

  const chronic = vocabulary.tokens.map(
    (token) => token.kind === 'condition' && token.chronic === true,
  );
  // Rates stay constant until the next event, so by memorylessness the first wait may be
  // drawn from the forecast start, later than the last recorded event.
  const startAges = histories.map((history) =>
    Math.max(history.startAge ?? history.ages[length - 1]!, history.ages[length - 1]!),
  );
  const ages = new Float64Array(rows);
  const active = new Array<boolean>(rows).fill(true);
  const blocked: Set<number>[] = [];
  const trajectories: Trajectory[] = [];
  // Conditions truncated from the history are still the person's, so they are blocked too.
  const chronicKnown = histories.map((history) =>
    [...history.tokens, ...(history.dropped ?? [])].filter((token) => chronic[token]),
  );
  for (let row = 0; row < rows; row++) {
    const patient = Math.floor(row / samples);
    ages[row] = startAges[patient]!;
    blocked.push(new Set(chronicKnown[patient]));
    trajectories.push({
      tokens: [],
      delays: [],
      died: false,
      truncated: false,
      firstHazard: new Float64Array(vocab),
      firstRate: new Float64Array(vocab),
    });
  }
  const allowed = vocabulary.tokens.map((_, id) => vocabulary.predictable(id));
  const seen = new Uint8Array(rows * vocab);

  // Batch position -> trajectory row. Finished rows are dropped from the batch
  // (and their key/value cache) once they are a large share of it: otherwise
  // every step runs as many rows as the longest trajectory keeps alive.
  let positions = Array.from({ length: rows }, (_, row) => row);
  try {
    for (let step = 0; ; step++) {
      const width = positions.length;
      const nextTokens = new Array<number>(width);
      const nextAges = new Float32Array(width);
      const stillActive: number[] = [];
      for (let position = 0; position < width; position++) {
        const row = positions[position]!;
        nextTokens[position] = vocabulary.noEvent;
        nextAges[position] = ages[row]!;
        if (!active[row]) continue;

        const patient = Math.floor(row / samples);
        const random = randoms[patient]![row % samples]!;
        const offset = position * vocab;
        const next = drawNext(logits, offset, vocab, allowed, blocked[row]!, random);
        const age = ages[row]! + next.wait;
        const trajectory = trajectories[row]!;
        const stay = Math.min(next.wait, startAges[patient]! + request.horizonYears - ages[row]!);
        const rowSeen = seen.subarray(row * vocab, (row + 1) * vocab);
        accumulateHazard(
          trajectory.firstHazard,
          rowSeen,
          logits,
          offset,
          allowed,
          blocked[row]!,
          stay,
        );
        if (next.token < 0 || age - startAges[patient]! > request.horizonYears) {
          active[row] = false;
          continue;
        }
        trajectory.tokens.push(next.token);
        trajectory.delays.push(age - startAges[patient]!);
        rowSeen[next.token] = 1;
        trajectory.firstRate[next.token] = Math.exp(logits[offset + next.token]!);
        ages[row] = age;
        nextTokens[position] = next.token;
        nextAges[position] = age;
        if (vocabulary.kind(next.token) === 'death') {
          trajectory.died = true;
          active[row] = false;
          continue;
        }
        if (chronic[next.token]) blocked[row]!.add(next.token);
        stillActive.push(position);
      }
      if (stillActive.length === 0) break;
      if (step + 1 >= request.maxNewTokens) {
        for (const position of stillActive) trajectories[positions[position]!]!.truncated = true;
        break;
      }

      let tokensNow = nextTokens;
      let agesNow = nextAges;
      if (stillActive.length <= width * COMPACT_BELOW) {
        const order = fillHoles(stillActive);
        cache.keep(order);
        tokensNow = order.map((position) => nextTokens[position]!);
        agesNow = Float32Array.from(order, (position) => nextAges[position]!);
        positions = order.map((position) => positions[position]!);
      }
      logits = await cache.step(tokensNow, agesNow);
    }
  } finally {
    // On errors too (a cancelled run), so the next batch can reuse the buffers.
    cache.release();
  }

  const grouped: Trajectory[][] = [];
  for (let patient = 0; patient < patients; patient++)
    grouped.push(trajectories.slice(patient * samples, (patient + 1) * samples));
  return grouped;
}

/**
 * Add each token's rate times `years` to the path's first-occurrence hazard,
 * for tokens that may still occur for the first time: not blocked, not input-only
 * and not yet on this path.
 */
export function accumulateHazard(
  hazard: Float64Array,
  seen: Uint8Array,
  logits: Float32Array,
  offset: number,
  allowed: boolean[],
  blocked: Set<number>,
  years: number,
): void {
  if (!(years > 0)) return;
  for (let k = 0; k < hazard.length; k++) {
    if (!allowed[k] || seen[k] || blocked.has(k)) continue;
    hazard[k]! += Math.exp(logits[offset + k]!) * years;
  }
}

/** Draw the next token and its waiting time (years); token -1 when no token has a rate. */
export function drawNext(
  logits: Float32Array,
  offset: number,
  vocab: number,
  allowed: boolean[],
  blocked: Set<number>,
  random: Random,
): { token: number; wait: number } {
  let max = -Infinity;
  for (let k = 0; k < vocab; k++)
    if (allowed[k] && !blocked.has(k)) max = Math.max(max, logits[offset + k]!);
  if (max === -Infinity) return { token: -1, wait: Infinity };

  // Rates are scaled by exp(-max) for stability; the total rate is scaled back for the wait.
  let total = 0;
  for (let k = 0; k < vocab; k++)
    if (allowed[k] && !blocked.has(k)) total += Math.exp(logits[offset + k]! - max);
  const wait = -Math.log(1 - random.next()) / (total * Math.exp(max));

  let target = random.next() * total;
  let token = -1;
  for (let k = 0; k < vocab; k++) {
    if (!allowed[k] || blocked.has(k)) continue;
    token = k;
    target -= Math.exp(logits[offset + k]! - max);
    if (target < 0) break;
  }
  return { token, wait };
}

function int64Tensor(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(values, (value) => BigInt(value)),
    dims,
  );
}

function emptyCache(layers: number, batch: number, heads: number, headDim: number) {
  const cache: Record<string, ort.Tensor> = {};
  for (const name of cacheNames(layers, 'past_key_values'))
    cache[name] = new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, headDim]);
  return cache;
}

/**
 * Compact the batch when the active rows fall to this share of it. Dropping
 * rows copies the cache once; every finished row left in the batch costs
 * attention over its cache at every step.
 */
const COMPACT_BELOW = 0.75;

/**
 * Order the kept batch positions (ascending) for compaction. Those already
 * inside the new width stay where they are, and the ones beyond it fill the
 * holes left by finished rows. Only the latter move, which copies far less of
 * the cache than shifting every kept row forward.
 */
export function fillHoles(kept: number[]): number[] {
  const width = kept.length;
  const order = new Array<number>(width);
  const inside = new Uint8Array(width);
  for (const position of kept) if (position < width) inside[position] = 1;
  let next = kept.findIndex((position) => position >= width);
  for (let i = 0; i < width; i++) order[i] = inside[i] ? i : kept[next++]!;
  return order;
}

/** Logits at each history's last position, repeated for its samples: [patients * times, vocab]. */
function lastPositionLogits(
  logits: ort.Tensor,
  patients: number,
  length: number,
  vocab: number,
  times: number,
): Float32Array {
  const data = logits.data as Float32Array;
  const out = new Float32Array(patients * times * vocab);
  for (let p = 0; p < patients; p++) {
    const row = data.subarray(((p + 1) * length - 1) * vocab, (p + 1) * length * vocab);
    for (let t = 0; t < times; t++) out.set(row, (p * times + t) * vocab);
  }
  return out;
}
